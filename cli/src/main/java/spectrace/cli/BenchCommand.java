package spectrace.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.sim.RunResult;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/** {@code spectrace bench}: throughput figures, printed with their ratios. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "Measure throughput: of the simulator, validation, gossip and the history checker.",
        "",
        "WHAT is one of:",
        "",
        "simulator: two-phase commit runs, seed after seed, each to quiescence, with",
        "duplication, reordering, delay and TM crash-recovery; events per second with",
        "tracing off, with tracing on (events serialised, then discarded), and with",
        "tracing on to a file. Each mode is warmed up, then measured over several rounds;",
        "the median round is reported. With --protocol raft, vr or pbft: runs of 20,000",
        "steps of 5 nodes (pbft: 4, one of them Byzantine) with every fault of the",
        "protocol's model and clients loading the store.",
        "",
        "validate: two-phase commit traces from the simulator (seed 5, TM crash-recovery,",
        "duplication, reordering) of each of --sizes simulator steps, validated by the",
        "engine (events/s, old-generation peak), then checked as a TLC trace spec by the TLC",
        "command line; the ratio is TLC's time over the engine's. The defaults reproduce the",
        "README's table. With --protocol raft, vr or pbft: traces of 5 nodes (pbft: 4,",
        "one of them Byzantine; seed 1) with every fault of its model and clients",
        "invoking an operation every 25 steps; the TLC trace spec only up to 10,000 steps",
        "by default (--tlc-max).",
        "",
        "gossip: push gossip's coverage against its fanout for N = 10, 100 and 1,000, with",
        "tracing off, as Markdown tables, and with --svg a plot against the ln N rule.",
        "",
        "history: the linearizability checker on generated linearizable client histories of",
        "the key-value store (5 clients, 10 keys, seed 1) of 10,000 and 100,000 operations (or",
        "--sizes), every write a new value and values 0 to 4; states explored and operations",
        "per second, median of --rounds checks after a warm-up.",
        "",
        "folder: --traces simulated runs (default: raft, 5 nodes, seeds 1 to 1,000 of 1,000",
        "steps each, every fault of its model) written to a folder, then validated as CI",
        "would: by 'validate DIR' in one JVM on one thread and on --jobs threads, and by one",
        "'validate FILE' JVM per trace, --jobs at once (on the first --jvm-traces). Wall time,",
        "traces and events per second, and each row's speed-up over one thread."})
final class BenchCommand implements Callable<Integer> {

  /** The benchmarks, as WHAT names them. */
  static final List<String> TARGETS = List.of("simulator", "validate", "gossip", "history", "folder");

  @Parameters(index = "0", paramLabel = "WHAT", completionCandidates = Targets.class,
      description = "What to measure: ${COMPLETION-CANDIDATES}.")
  String what;

  @Option(names = "--nodes", paramLabel = "N",
      description = "simulator and validate: nodes per run (default: 8, the TM and 7 RMs; for raft and vr 5; for pbft 4).")
  Integer nodes;

  /** The protocols bench simulator and validate run. */
  static final List<String> PROTOCOLS = List.of("twophase", "raft", "vr", "pbft");

  @Option(names = "--protocol", paramLabel = "P", defaultValue = "twophase",
      description = "simulator and validate: twophase, raft, vr or pbft (default: ${DEFAULT-VALUE}).")
  String protocolName;

  /** Simulator steps per client operation in the replicated services' runs. */
  static final long STEPS_PER_OPERATION = 25;
  /** Simulator steps of one run of a replicated service in bench simulator. */
  private static final long SERVICE_RUN_STEPS = 20_000;

  @Option(names = "--rounds", paramLabel = "R", defaultValue = "5",
      description = "simulator: measured rounds per mode; history: measured checks (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--round-seconds", paramLabel = "S", defaultValue = "2",
      description = "simulator: length of a round in seconds (default: ${DEFAULT-VALUE}).")
  double roundSeconds;

  /** The benchmarks, for the help. */
  static final class Targets implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return TARGETS.iterator();
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  private enum Mode { OFF, ON, FILE }

  private long nextSeed;

  @Option(names = "--sizes", paramLabel = "N", split = ",", defaultValue = "10000,100000,1000000",
      description = "validate: simulator steps of each trace, comma-separated (default: ${DEFAULT-VALUE}).")
  List<Long> sizes;

  @Option(names = "--tlc-max", paramLabel = "N",
      description = "validate: check the TLC trace spec only on sizes of at most N (default: 1,000,000; for raft, vr and"
          + " pbft 10,000); TLC's memory grows with the trace.")
  Long tlcMax;

  @Option(names = "--runs", paramLabel = "R", defaultValue = "200",
      description = "gossip: runs (seeds) per point (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--svg", paramLabel = "FILE", description = "gossip: also write the plot to FILE.")
  Path svg;

  @Option(names = "--traces", paramLabel = "N", defaultValue = "1000",
      description = "folder: traces in the folder (default: ${DEFAULT-VALUE}).")
  int traces;

  @Option(names = "--steps", paramLabel = "K", defaultValue = "1000",
      description = "folder: simulator steps per trace (default: ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "2",
      description = "folder: traces validated at once (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--jvm-traces", paramLabel = "N",
      description = "folder: time a JVM per trace on the first N traces only (default: all).")
  Integer jvmTraces;

  @Option(names = "--dir", paramLabel = "DIR", description = "folder: write the traces to DIR and keep them"
      + " (default: a temporary folder, deleted).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (!TARGETS.contains(what)) {
      throw new Main.UserError("unknown benchmark '" + what + "' (benchmarks: " + String.join(", ", TARGETS) + ")");
    }
    if (!PROTOCOLS.contains(protocolName)) {
      throw new Main.UserError("--protocol: bench runs " + String.join(" or ", PROTOCOLS) + ", not '" + protocolName
          + "'");
    }
    if (what.equals("folder") && !command.commandLine().getParseResult().hasMatchedOption("--protocol")) {
      protocolName = "raft";
    }
    boolean service = replicated();
    if (nodes == null) {
      nodes = service ? protocolName.equals("pbft") ? 4 : 5 : 8;
    }
    if (tlcMax == null) {
      tlcMax = service ? 10_000L : 1_000_000L;
    }
    if (nodes < 2 || nodes > Main.MAX_SIMULATED_NODES) {
      throw new Main.UserError(String.format("--nodes must be from 2 to %,d, not %,d", Main.MAX_SIMULATED_NODES, nodes));
    }
    if (what.equals("validate")) {
      return validate();
    }
    if (what.equals("folder")) {
      if (traces < 1 || traces > 100_000) {
        throw new Main.UserError(String.format("--traces must be from 1 to 100,000, not %,d", traces));
      }
      if (steps < 1 || steps > MAX_SIZE) {
        throw new Main.UserError(String.format("--steps must be from 1 to %,d, not %,d", MAX_SIZE, steps));
      }
      if (jobs < 1) {
        throw new Main.UserError("--jobs must be at least 1, not " + jobs);
      }
      if (jvmTraces != null && jvmTraces < 1) {
        throw new Main.UserError("--jvm-traces must be at least 1, not " + jvmTraces);
      }
      return FolderBench.run(command.commandLine().getOut(), command.commandLine().getErr(), protocolName, nodes,
          traces, steps, jobs,
          jvmTraces == null ? traces : jvmTraces, dir);
    }
    if (what.equals("history")) {
      List<Long> historySizes = command.commandLine().getParseResult().hasMatchedOption("--sizes") ? sizes
          : List.of(10_000L, 100_000L);
      for (long size : historySizes) {
        if (size < 1 || size > 10_000_000) {
          throw new Main.UserError(String.format("--sizes: each size must be from 1 to 10,000,000 operations, not %,d",
              size));
        }
      }
      if (rounds < 1) {
        throw new Main.UserError("--rounds must be at least 1, not " + rounds);
      }
      return HistoryBench.run(command.commandLine().getOut(), historySizes, rounds);
    }
    if (what.equals("gossip")) {
      if (svg != null) {
        Main.checkOutputFile("--svg", svg);
      }
      return GossipBench.run(command.commandLine().getOut(), runs, svg);
    }
    if (rounds < 1) {
      throw new Main.UserError("--rounds must be at least 1, not " + rounds);
    }
    Main.checkNumber("--round-seconds", roundSeconds, 0, false);
    PrintWriter out = command.commandLine().getOut();
    out.printf("%s, %d nodes, faults %s; %d round%s of %.1f s per mode%n", title(), nodes, words(simulatorFaults()),
        rounds, rounds == 1 ? "" : "s", roundSeconds);
    out.flush();
    Path file = Files.createTempFile("spectrace-bench-", ".ndjson");
    try {
      double off = measure(Mode.OFF, file);
      double on = measure(Mode.ON, file);
      double toFile = measure(Mode.FILE, file);
      String row = "%-" + "tracing on (serialised, discarded)".length() + "s  %,14.0f events/s%s%n";
      out.printf(row, "tracing off", off, "");
      out.printf(row, "tracing on (serialised, discarded)", on, String.format("  %.2fx slower than off", off / on));
      out.printf(row, "tracing on, to a file", toFile, String.format("  %.2fx slower than off", off / toFile));
    } finally {
      Files.deleteIfExists(file);
    }
    return Main.OK;
  }

  /** Warms up, then returns the median events/s of the measured rounds. */
  private double measure(Mode mode, Path file) throws IOException {
    round(mode, file, Math.max(1, roundSeconds));
    double[] rates = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      rates[i] = round(mode, file, roundSeconds);
    }
    Arrays.sort(rates);
    return rates[rounds / 2];
  }

  private double round(Mode mode, Path file, double seconds) throws IOException {
    Set<Fault> faults = simulatorFaults();
    boolean service = replicated();
    Protocol<?> protocol = protocol();
    long events = 0;
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long now;
    // In FILE mode the round's runs are appended to one file, so that the figure is the cost
    // of writing traces, not of creating a file per run.
    try (OutputStream fileOut = mode == Mode.FILE ? new BufferedOutputStream(Files.newOutputStream(file), 1 << 16) : null) {
      OutputStream shared = fileOut == null ? null : new java.io.FilterOutputStream(fileOut) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      };
      do {
        for (int i = 0; i < (service ? 1 : 64); i++) {
          long steps = service ? SERVICE_RUN_STEPS : 100_000;
          SimConfig cfg = new SimConfig(nextSeed++, nodes, steps, faults, false, false, SimConfig.Rates.DEFAULT);
          TraceWriter w = switch (mode) {
            case OFF -> null;
            case ON -> new TraceWriter(OutputStream.nullOutputStream());
            case FILE -> new TraceWriter(shared);
          };
          RunResult r = new Simulator(protocol, cfg, w).operations(steps / STEPS_PER_OPERATION).run();
          if (w != null) {
            w.close();
          }
          events += r.events();
        }
        now = System.nanoTime();
      } while (now < deadline);
    }
    return events / ((now - start) / 1e9);
  }

  /** A replicated service (raft, vr, pbft): runs with clients, sized by SERVICE_RUN_STEPS. */
  private boolean replicated() {
    return !protocolName.equals("twophase");
  }

  /** The protocol that bench simulator and validate run, a fresh instance. */
  private Protocol<?> protocol() {
    return replicated() ? Protocols.get(protocolName) : new TwoPhase();
  }

  private String title() {
    return replicated() ? protocolName : "two-phase commit";
  }

  /** The faults of bench simulator's runs. */
  private Set<Fault> simulatorFaults() {
    return replicated() ? protocol().model().faults()
        : EnumSet.of(Fault.DUPLICATE, Fault.REORDER, Fault.DELAY, Fault.CRASH_RECOVERY);
  }

  private static String words(Set<Fault> faults) {
    return faults.stream().sorted().map(Fault::word).collect(java.util.stream.Collectors.joining(","));
  }

  /** The largest trace bench validate writes, in simulator steps. */
  static final long MAX_SIZE = 10_000_000;

  /** A row of the validate table: right-aligned columns, two spaces apart. */
  private static final String VALIDATE_ROW = "%10s  %10s  %10s  %10s  %10s  %12s  %7s%n";

  /** Validation throughput against trace size, and against TLC checking the trace as a spec. */
  private int validate() throws Exception {
    for (long size : sizes) {
      if (size < 1 || size > MAX_SIZE) {
        throw new Main.UserError(String.format("--sizes: each size must be from 1 to %,d steps (a trace of about 3 GB),"
            + " not %,d", MAX_SIZE, size));
      }
    }
    PrintWriter out = command.commandLine().getOut();
    java.nio.file.Path specs = spectrace.tlc.Specs.locate().root();
    boolean service = replicated();
    Set<Fault> faults = service ? protocol().model().faults()
        : EnumSet.of(Fault.CRASH_RECOVERY, Fault.DUPLICATE, Fault.REORDER);
    long seed = service ? 1 : 5;
    out.printf("%s, %d nodes, seed %d, faults %s%n", title(), nodes, seed, words(faults));
    out.printf(VALIDATE_ROW, "events", "validate s", "events/s", "old-gen MB", "TLC spec s", "TLC events/s", "ratio");
    out.flush();
    for (long size : sizes) {
      Path trace = Files.createTempFile("spectrace-bench-", ".ndjson");
      try {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(trace), 1 << 16);
             TraceWriter w = new TraceWriter(o)) {
          Protocol<?> protocol = protocol();
          new Simulator(protocol, new SimConfig(seed, nodes, size, faults, !service, false, SimConfig.Rates.DEFAULT), w)
              .operations(size / STEPS_PER_OPERATION).run();
        }
        System.gc();
        java.util.List<java.lang.management.MemoryPoolMXBean> old = java.lang.management.ManagementFactory
            .getMemoryPoolMXBeans().stream().filter(p -> p.getName().contains("Old Gen")).toList();
        old.forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        spectrace.conformance.Validator.Result r = new spectrace.conformance.Validator(specs)
            .validate(java.util.List.of(trace), spectrace.conformance.Validator.Progress.NONE);
        double ours = (System.nanoTime() - t0) / 1e9;
        long peak = old.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        if (!r.conforms()) {
          throw new Main.UserError("the benchmark trace of " + size + " events does not conform: " + r.divergence().where());
        }
        String tlc = "-";
        String tlcRate = "-";
        String ratio = "not run";
        if (size <= tlcMax) {
          spectrace.conformance.TraceSpec.Result t = spectrace.conformance.TraceSpec.check(trace, specs);
          if (!t.conforms()) {
            throw new Main.UserError("TLC's trace spec rejects the benchmark trace of " + size + " events at "
                + t.firstUnmatched());
          }
          tlc = String.format("%.2f", t.seconds());
          tlcRate = String.format("%,.0f", r.events() / t.seconds());
          ratio = String.format("%.1fx", t.seconds() / ours);
        }
        out.printf(VALIDATE_ROW, String.format("%,d", r.events()), String.format("%.2f", ours),
            String.format("%,.0f", r.events() / ours), String.format("%.1f", peak / 1048576.0), tlc, tlcRate, ratio);
        out.flush();
      } finally {
        Files.deleteIfExists(trace);
      }
    }
    out.println("validate s and events/s include loading the spec (about 0.3 s); the ratio is TLC's wall time over"
        + " ours on the same trace");
    return Main.OK;
  }
}
