package spectrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.conformance.TraceException;
import spectrace.history.History;
import spectrace.history.HistoryReader;
import spectrace.history.KvModel;
import spectrace.history.LinearizabilityChecker;

/** {@code spectrace linearizable}: is this client history linearizable? */
@Command(
    name = "linearizable",
    mixinStandardHelpOptions = true,
    description = {
        "Check that a client history of the key-value store is linearizable.",
        "",
        "If it is not, show the fewest operations of one key that no order explains.",
        "The history is a spectrace-history/1 file (traces/README.md, \"Client histories\").",
        "Each key is checked alone (Wing and Gong's search with Lowe's just-in-time",
        "linearization and memoization); ok operations take effect within their interval,",
        "info ones at any time after their invoke or never, fail ones not at all."},
    footer = {"", "Exit codes: 0 linearizable; 1 not linearizable (the witness is printed); 2 bad input;",
        "3 no verdict: the bound on states or time was reached first."})
final class LinearizableCommand implements Callable<Integer> {

  /** Exit code when the bound was reached before a verdict. */
  static final int UNKNOWN = 3;

  @Parameters(index = "0", paramLabel = "HISTORY", description = "The history file (NDJSON).")
  Path file;

  @Option(names = "--max-states", paramLabel = "N", defaultValue = "10000000",
      description = "Give up (exit 3) after exploring N configurations (default: ${DEFAULT-VALUE}).")
  long maxStates;

  @Option(names = "--time-limit", paramLabel = "S",
      description = "Give up (exit 3) after S seconds (default: no limit).")
  Double timeLimit;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    if (maxStates < 1) {
      throw new Main.UserError("--max-states must be at least 1, not " + maxStates);
    }
    Duration limit = null;
    if (timeLimit != null) {
      Main.checkNumber("--time-limit", timeLimit, 0, false);
      limit = Duration.ofNanos((long) Math.min(timeLimit * 1e9, Long.MAX_VALUE));
    }
    History h;
    try {
      h = HistoryReader.read(file);
    } catch (TraceException e) {
      throw new Main.UserError(e.getMessage());
    }
    PrintWriter out = command.commandLine().getOut();
    LinearizabilityChecker.Result r = new LinearizabilityChecker<>(new KvModel(), maxStates, limit).check(h);
    String figures = String.format("%,d ops, %,d keys, %,d states, %,d ms", r.operations(), r.keys(), r.states(),
        r.nanos() / 1_000_000);
    if (r instanceof LinearizabilityChecker.NotLinearizable n) {
      out.println("not linearizable: " + figures + "; " + (n.failingKeys().size() == 1 ? "key " : "keys ")
          + String.join(", ", n.failingKeys()) + " not linearizable");
      out.println(n.witness().report());
      return Main.FOUND;
    }
    if (r instanceof LinearizabilityChecker.Unknown u) {
      out.println("unknown: " + u.why() + " on key " + u.key() + " (" + figures + "); no verdict");
      return UNKNOWN;
    }
    out.println("linearizable: " + figures);
    return Main.OK;
  }
}
