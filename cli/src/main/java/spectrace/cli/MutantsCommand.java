package spectrace.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.conformance.TraceException;
import spectrace.protocols.Protocols;
import spectrace.tlc.Specs;

/** {@code spectrace mutants}: does validation catch each deliberately broken implementation? */
@Command(
    name = "mutants",
    mixinStandardHelpOptions = true,
    description = {
        "Count, for each mutant of a protocol, the runs that trace validation catches.",
        "",
        "Each mutant (a deliberately broken implementation) runs across seeds on the",
        "simulator, every trace is validated against the spec, and the table gives how many",
        "runs validation caught. The correct implementation runs on the same seeds and must",
        "never be caught."},
    footer = {"", "Exit codes: 0 every mutant was caught and the correct implementation never was;",
        "1 otherwise; 2 bad usage."})
final class MutantsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "PROTOCOL", description = "The protocol, e.g. twophase.")
  String protocol;

  @Option(names = "--seeds", paramLabel = "N", defaultValue = "300", description = "Seeds per mutant (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "4", description = "Nodes per run (default: ${DEFAULT-VALUE}).")
  int nodes;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    if (seeds < 1) {
      throw new Main.UserError("--seeds must be at least 1");
    }
    if (nodes > Main.MAX_SIMULATED_NODES) {
      throw new Main.UserError(String.format("--nodes: the simulator runs at most %,d nodes, not %,d",
          Main.MAX_SIMULATED_NODES, nodes));
    }
    List<String> mutants;
    try {
      mutants = Protocols.mutants(protocol);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    if (mutants.isEmpty()) {
      throw new Main.UserError(protocol + " has no mutants");
    }
    List<MutantTable.Row> rows;
    try {
      rows = MutantTable.run(protocol, seeds, nodes, Specs.locate().root());
    } catch (TraceException e) {
      throw new Main.UserError(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    PrintWriter out = command.commandLine().getOut();
    out.printf("%-34s %8s  %s%n", "MUTANT", "CAUGHT", "FIRST CAUGHT");
    boolean ok = true;
    for (MutantTable.Row r : rows) {
      String name = r.mutant() == null ? "(correct implementation)" : r.mutant();
      String first = r.firstCaught() < 0 ? "-" : "seed " + r.firstCaught() + ": " + r.firstWhere()
          + "  (./spectrace simulate " + protocol + " --seed " + r.firstCaught() + " --nodes " + nodes
          + (r.mutant() == null ? "" : " --mutant " + r.mutant()) + " --no-check --trace t.ndjson)";
      out.printf("%-34s %3d/%-4d  %s%n", name, r.caught(), r.runs(), first);
      ok &= r.mutant() == null ? r.caught() == 0 : r.caught() > 0;
    }
    out.println(ok ? "every mutant caught; the correct implementation conforms in every run"
        : "NOT every mutant was caught, or the correct implementation was");
    return ok ? Main.OK : Main.FOUND;
  }
}
