package spectrace.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.core.Clients;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.history.History;
import spectrace.history.LinearizabilityChecker;
import spectrace.protocols.Protocols;
import spectrace.sim.RunResult;
import spectrace.sim.SimConfig;
import spectrace.sim.RunTooLarge;
import spectrace.sim.SimulationFailure;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/** {@code spectrace simulate}: one seeded run of a protocol on the deterministic simulator. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Run a protocol on the deterministic simulator and write its trace.",
        "",
        "One seed is one run: the same command writes the same trace, byte for byte.",
        "Faults: loss, duplicate, reorder, delay, partition, crash-stop, crash-recovery,",
        "fail-stop, sender-crash-loss, byzantine; each only where the protocol's system",
        "model allows it (a crash-recovery keeps the node's flushed storage, or loses it in",
        "a model whose processes recover without state).",
        "The default is every fault the model allows.",
        "",
        "--mutant runs a deliberately broken implementation instead of the correct",
        "one, to test that trace validation catches it; its trace keeps the spec's names.",
        "Add --no-check to write the mutant's trace in full rather than stop at the first",
        "violation that the simulator's own safety checks find.",
        "",
        "A replicated service (raft, vr, pbft) runs with clients that load its key-value store; the",
        "run ends when they are done, and their history must be linearizable."},
    footer = {"", "Exit codes: 0 the run kept every safety property (or ran with --no-check) and",
        "its clients' history is linearizable; 1 a property failed, or the history is not",
        "linearizable (the message gives the seed and the command that replays the run);",
        "2 bad usage; 3 the linearizability check reached its bound without a verdict."})
final class SimulateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "PROTOCOL", description = "The protocol, e.g. twophase.")
  String protocolName;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "The seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--nodes", paramLabel = "N", description = "Nodes in the run (default: the protocol's).")
  Integer nodes;

  @Option(names = "--steps", paramLabel = "K", defaultValue = "10000",
      description = "Stop after K events (default: ${DEFAULT-VALUE}); a run also ends when nothing is left to happen.")
  long steps;

  @Option(names = "--faults", paramLabel = "LIST", split = ",",
      description = "Faults to inject, comma-separated, or 'none' (default: all the model allows).")
  List<String> faults;

  @Option(names = "--keep-going", description = "Keep injecting crashes and partitions until --steps, after the protocol is quiet.")
  boolean keepGoing;

  @Option(names = "--trace", paramLabel = "FILE", description = "Write the trace (NDJSON) to FILE.")
  Path trace;

  @Option(names = "--history", paramLabel = "FILE",
      description = "For a replicated service (raft, vr, pbft): write the clients' history (spectrace-history/1) to FILE."
          + " Every run of one is checked for linearizability, with or without this option.")
  Path history;

  @Option(names = "--operations", paramLabel = "N", defaultValue = "200",
      description = "For a replicated service: the operations its clients invoke in all (default: ${DEFAULT-VALUE}).")
  long operations;

  @Option(names = "--byzantine", paramLabel = "N",
      description = "With the fault byzantine: N Byzantine nodes, at most the model's bound (pbft: F of 3F+1);"
          + " which ones, and what each sends, the seed chooses (default: how many, too).")
  Integer byzantine;

  @Option(names = "--mutant", paramLabel = "NAME", completionCandidates = MutantNames.class,
      description = {"Run a mutant: a deliberately broken implementation of the protocol, for testing"
          + " that trace validation catches it. Mutants: ${COMPLETION-CANDIDATES}."})
  String mutant;

  @Option(names = "--no-check",
      description = "Skip the simulator's Java safety checks: the run does not stop at a violation, and the"
          + " trace is written in full (for validating a mutant's trace against the spec).")
  boolean noCheck;

  @Option(names = "--max-trace-size", paramLabel = "SIZE", defaultValue = "1G",
      description = "Stop the run, exit 2, when the trace passes SIZE bytes (K, M, G: powers of 1,024);"
          + " never more than the disk has free, less 64 MiB (default: ${DEFAULT-VALUE}).")
  String maxTraceSize;

  /** Room a trace leaves free on its disk. */
  static final long DISK_MARGIN = 64L << 20;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws IOException {
    Protocol<?> protocol;
    try {
      protocol = Protocols.get(protocolName, mutant);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    if (steps < 1) {
      throw new Main.UserError("--steps must be at least 1, not " + steps);
    }
    if (operations < 0) {
      throw new Main.UserError("--operations must be at least 0, not " + operations);
    }
    Set<Fault> chosen = parseFaults(protocol);
    int n = nodes == null ? protocol.defaultNodes() : nodes;
    if (n > Main.MAX_SIMULATED_NODES) {
      throw new Main.UserError(String.format("--nodes: the simulator runs at most %,d nodes, not %,d",
          Main.MAX_SIMULATED_NODES, n));
    }
    long limit = Main.parseSize("--max-trace-size", maxTraceSize);
    String limitReason = "--max-trace-size " + maxTraceSize;
    if (history != null) {
      Main.checkOutputFile("--history", history);
    }
    if (trace != null) {
      Main.checkOutputFile("--trace", trace);
      long free = usableSpace(trace);
      if (free - DISK_MARGIN < limit) {
        if (free < 2 * DISK_MARGIN) {
          throw new Main.UserError(String.format("--trace %s: its disk has %s free; a trace needs room (at least %s)",
              trace, RunTooLarge.size(free), RunTooLarge.size(2 * DISK_MARGIN)));
        }
        limit = free - DISK_MARGIN;
        limitReason = "the disk's free space less " + RunTooLarge.size(DISK_MARGIN);
      }
    }
    SimConfig cfg;
    Simulator sim;
    OutputStream file = trace == null ? null : open(trace);
    TraceWriter writer = file == null ? null : new TraceWriter(file);
    try {
      cfg = new SimConfig(seed, n, steps, chosen, keepGoing, !noCheck, SimConfig.Rates.DEFAULT);
      sim = new Simulator(protocol, cfg, writer).maxTraceBytes(limit).operations(operations);
    } catch (IllegalArgumentException e) {
      closeQuietly(writer);
      throw new Main.UserError(e.getMessage());
    }
    try {
      if (byzantine != null && byzantine < 1) {
        throw new IllegalArgumentException("at least 1, not " + byzantine);
      }
      sim.byzantine(byzantine == null ? 0 : byzantine);
    } catch (IllegalArgumentException e) {
      closeQuietly(writer);
      throw new Main.UserError("--byzantine: " + e.getMessage());
    }
    PrintWriter out = command.commandLine().getOut();
    long start = System.nanoTime();
    RunResult r;
    try {
      r = sim.run();
    } catch (SimulationFailure f) {
      closeQuietly(writer);
      out.println("SAFETY VIOLATION: " + f.getMessage());
      if (trace != null) {
        out.println("the trace up to the violation is in " + trace);
      }
      return Main.FOUND;
    } catch (RunTooLarge t) {
      closeQuietly(writer);
      if (trace != null) {
        cutToLastLine(trace); // the heap may have filled in the middle of a line
      }
      throw new Main.UserError(t.getMessage() + (t.bound() == RunTooLarge.Bound.TRACE ? " (" + limitReason + ")" : "")
          + (trace == null ? "" : "; the trace so far is in " + trace));
    } catch (java.io.UncheckedIOException e) {
      closeQuietly(writer);
      throw new Main.UserError("cannot write the trace " + trace + " (" + e.getCause().getMessage() + ")"
          + (trace == null ? "" : cutToLastLine(trace)));
    } catch (RuntimeException | Error e) {
      // An internal error, or the heap exhausted between two of the simulator's checks: the
      // trace so far is kept, ending with a whole line; Main reports the error.
      closeQuietly(writer);
      if (trace != null) {
        cutToLastLine(trace);
      }
      throw e;
    }
    if (writer != null) {
      writer.close();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    out.printf("simulated %s%s: seed %d, %d nodes, faults %s%s%n", protocol.name(),
        protocol.variant() == null ? "" : ", mutant " + protocol.variant(), seed, n, cfg.faultList(),
        noCheck ? ", safety checks off" : "");
    out.printf("events: %,d (%s)%s, virtual time %,d, %.2f s%n", r.events(),
        r.quiescent() ? "ran to quiescence" : "stopped at --steps",
        writer == null ? "" : String.format(", %,d actions", r.actions()), r.endTime(), secs);
    out.println("faults injected: " + (r.faults().isEmpty() ? "none"
        : r.faults().entrySet().stream().map(e -> String.format("%,d %s", e.getValue(), e.getKey())).collect(Collectors.joining(", "))));
    out.println("decisions: " + Summary.decisions(sim.nodes(), r.decisions(), SimulateCommand::word));
    if (!r.deliveries().isEmpty()) {
      out.println("deliveries: " + Summary.counts(sim.nodes(), r.deliveries()));
    }
    if (writer != null) {
      out.printf("trace: %s (%,d lines)%n", trace, writer.lines());
    }
    String replay = sim.replayCommand() + (noCheck ? " --no-check" : "") + (trace == null ? "" : " --trace " + trace)
        + (history == null ? "" : " --history " + history);
    int verdict = Main.OK;
    if (sim.clients() != null) {
      verdict = checkHistory(sim.clients(), replay, out);
    } else if (history != null) {
      out.println("history: none (" + protocol.name() + " has no clients)");
    }
    out.println("replay: " + replay);
    return verdict;
  }

  /**
   * Writes the clients' history (to --history, or only to memory) and checks that it is
   * linearizable: the second oracle of a replicated service, beside its trace.
   */
  private int checkHistory(Clients clients, String replay, PrintWriter out) {
    byte[] text = ClientHistory.text(clients, replay);
    if (history != null) {
      try {
        Files.write(history, text);
      } catch (IOException e) {
        throw new Main.UserError("--history " + history + ": cannot write the history (" + e.getMessage() + ")");
      }
    }
    History h = ClientHistory.read(history == null ? "the run's history" : history.toString(), text);
    out.print("history: " + (history == null ? "" : history + ", "));
    return LinearizableCommand.report(LinearizabilityChecker.kv().check(h), out);
  }


  /** Every protocol's mutants' names, for the help of --mutant. */
  static final class MutantNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Protocols.names().stream().flatMap(p -> Protocols.mutants(p).stream()).distinct().iterator();
    }
  }

  private static String word(Object decision) {
    return decision instanceof spectrace.core.SpecValue v ? String.valueOf(v.specValue()) : String.valueOf(decision);
  }

  private Set<Fault> parseFaults(Protocol<?> protocol) {
    if (faults == null) {
      return protocol.model().faults();
    }
    if (faults.size() == 1 && faults.get(0).equals("none")) {
      return EnumSet.noneOf(Fault.class);
    }
    if (faults.contains("none")) {
      throw new Main.UserError("--faults none means no faults: give it alone, not with " + String.join(",", faults));
    }
    Set<Fault> set = EnumSet.noneOf(Fault.class);
    for (String f : faults) {
      try {
        set.add(Fault.of(f.strip()));
      } catch (IllegalArgumentException e) {
        throw new Main.UserError(e.getMessage());
      }
    }
    return set;
  }

  private static OutputStream open(Path trace) {
    try {
      Path parent = trace.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new Main.UserError(trace + ": no such folder " + parent);
      }
      return new BufferedOutputStream(Files.newOutputStream(trace), 1 << 16);
    } catch (IOException | SecurityException e) {
      throw new Main.UserError(trace + ": cannot write the trace (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")");
    }
  }

  private static long usableSpace(Path file) {
    try {
      return Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE; // no figure: the limit is the option's
    }
  }

  /**
   * Cuts a regular file back to its last whole line, so that what a failed write left is a
   * trace that can be read; says what it did.
   */
  private static String cutToLastLine(Path file) {
    if (!Files.isRegularFile(file)) {
      return "";
    }
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      long end = ch.size();
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16);
      long at = end;
      while (at > 0) {
        int n = (int) Math.min(b.capacity(), at);
        b.clear().limit(n);
        ch.read(b, at - n);
        for (int i = n - 1; i >= 0; i--) {
          if (b.get(i) == '\n') {
            long keep = at - n + i + 1;
            ch.truncate(keep);
            return keep == end ? "; the trace so far is whole" : "; the trace so far is kept, cut at its last whole line";
          }
        }
        at -= n;
      }
      ch.truncate(0);
      return "; nothing whole was written";
    } catch (IOException e) {
      return "; the trace's last line may be partial";
    }
  }

  private static void closeQuietly(TraceWriter w) {
    if (w != null) {
      try {
        w.close();
      } catch (IOException ignored) {
        // The run's error is the one to report.
      }
    }
  }
}
