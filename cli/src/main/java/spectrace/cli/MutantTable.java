package spectrace.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import spectrace.conformance.TraceException;
import spectrace.conformance.Validator;
import spectrace.conformance.ValidatorPool;
import spectrace.history.LinearizabilityChecker;
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/**
 * Runs each mutant of a protocol across seeds on the simulator (by default every fault the
 * model allows, the simulator's own safety checks off, so that each trace is written in full), validates
 * every trace against the spec, and counts the runs validation catches; for a replicated
 * service, a run whose clients' history is not linearizable is caught too, and each row says
 * which oracle caught how many. The correct implementation runs on the same seeds, and must
 * never be caught.
 */
final class MutantTable {

  /**
   * One row.
   *
   * @param mutant      the mutant's name, or null for the correct implementation
   * @param runs        runs made
   * @param caught      runs whose trace diverged from the spec
   * @param firstCaught the first seed whose trace diverged, or -1
   * @param firstWhere  that trace's divergence: its action and line, or null
   * @param caughtSeeds the seeds whose trace diverged, or (a replicated service) whose history is
   *                    not linearizable
   * @param byTrace     runs whose trace diverged
   * @param byHistory   runs whose clients' history is not linearizable (0 without clients)
   * @param firstReport the report of the first caught run (its address, at the divergence), or null
   */
  record Row(String mutant, int runs, int caught, long firstCaught, String firstWhere, SortedSet<Long> caughtSeeds,
             int byTrace, int byHistory, String firstReport) {

    Row(String mutant, int runs, int caught, long firstCaught, String firstWhere, SortedSet<Long> caughtSeeds,
        int byTrace, int byHistory) {
      this(mutant, runs, caught, firstCaught, firstWhere, caughtSeeds, byTrace, byHistory, null);
    }

    /** Which oracle caught the runs: "trace", "history", "trace 3, history 2", or "-". */
    String by() {
      return byTrace > 0 && byHistory > 0 ? "trace " + byTrace + ", history " + byHistory
          : byTrace > 0 ? "trace" : byHistory > 0 ? "history" : "-";
    }
  }

  /** The steps of each run. */
  static final int STEPS = 5_000;

  private MutantTable() {}

  /** Null when the run's clients' history is linearizable, or what is not: "history: key k1 not linearizable". */
  private static String notLinearizable(Simulator sim) {
    LinearizabilityChecker.Result r = ClientHistory.check(sim.clients(), sim.replayCommand());
    return r instanceof LinearizabilityChecker.NotLinearizable n ? "history: key " + n.witness().key() + " not linearizable"
        : null;
  }


  /** The runs of a table of {@code protocol}: seeds 1..{@code seeds}, every fault its model allows. */
  static MutantRecord.Runs runs(String protocol, int seeds, int nodes) {
    return new MutantRecord.Runs(seeds, nodes, STEPS, Protocols.get(protocol).model().faults());
  }

  /** The table of {@code protocolName}: the correct implementation's row, then each mutant's, with {@code runs}. */
  static List<Row> run(String protocolName, MutantRecord.Runs runs, Path specsRoot, int jobs)
      throws IOException, TraceException, InterruptedException {
    return run(protocolName, runs, specsRoot, null, jobs, Done.NONE);
  }

  /** Told of each run as it ends. */
  interface Done {
    Done NONE = (done, total) -> { };

    void onRun(int done, int total);
  }

  /** One run to make: a variant (null: the correct implementation) on one seed. */
  private record Run(String mutant, long seed) {}

  /** What one run gave: the trace's divergence ("action at line N") or null, the history's verdict or null. */
  private record Caught(String byTrace, String byHistory) {}

  /**
   * The table, its runs made {@code jobs} at a time (each variant on each seed is one
   * simulation and one validation, independent of the others), and with {@code reports} (a
   * folder) the first caught run of each variant kept there: its trace, made again from its
   * seed, and its report ({@code <protocol>-<mutant>-seed<N>.ndjson}, {@code .html}).
   */
  static List<Row> run(String protocolName, MutantRecord.Runs runs, Path specsRoot, Path reports, int jobs, Done done)
      throws IOException, TraceException, InterruptedException {
    List<String> variants = new ArrayList<>();
    variants.add(null);
    variants.addAll(Protocols.mutants(protocolName));
    List<Run> all = new ArrayList<>();
    for (String mutant : variants) {
      for (long seed = 1; seed <= runs.seeds(); seed++) {
        all.add(new Run(mutant, seed));
      }
    }
    List<Caught> results = ValidatorPool.map(all, specsRoot, jobs, (run, validator) -> {
      Path trace = Files.createTempFile("spectrace-mutant-", ".ndjson");
      try {
        Simulator sim = simulate(protocolName, run, runs, trace);
        Validator.Result r = validator.validate(List.of(trace), Validator.Progress.NONE);
        return new Caught(r.conforms() ? null : r.divergence().action() + " at line " + r.divergence().where()
            .substring(r.divergence().where().lastIndexOf(':') + 1), sim.clients() == null ? null : notLinearizable(sim));
      } finally {
        Files.deleteIfExists(trace);
      }
    }, (c, n, total) -> done.onRun(n, total));
    List<Row> rows = new ArrayList<>();
    for (int v = 0; v < variants.size(); v++) {
      String mutant = variants.get(v);
      SortedSet<Long> caught = new TreeSet<>();
      long first = -1;
      String where = null;
      int byTrace = 0;
      int byHistory = 0;
      for (int k = 0; k < runs.seeds(); k++) {
        Caught c = results.get(v * runs.seeds() + k);
        long seed = k + 1;
        byTrace += c.byTrace() != null ? 1 : 0;
        byHistory += c.byHistory() != null ? 1 : 0;
        if (c.byTrace() != null || c.byHistory() != null) {
          caught.add(seed);
          if (first < 0) {
            first = seed;
            where = c.byTrace() != null ? c.byTrace() : c.byHistory();
          }
        }
      }
      String report = reports != null && first > 0 ? report(protocolName, new Run(mutant, first), runs, specsRoot,
          reports) : null;
      rows.add(new Row(mutant, runs.seeds(), caught.size(), first, where, Collections.unmodifiableSortedSet(caught),
          byTrace, byHistory, report));
    }
    return rows;
  }

  /** Runs {@code run} on the simulator, its trace written to {@code trace}. */
  private static Simulator simulate(String protocolName, Run run, MutantRecord.Runs runs, Path trace)
      throws IOException {
    Protocol<?> protocol = Protocols.get(protocolName, run.mutant());
    try (OutputStream out = Files.newOutputStream(trace); TraceWriter w = new TraceWriter(out)) {
      Simulator sim = new Simulator(protocol, new SimConfig(run.seed(), runs.nodes(), runs.steps(), runs.faults(),
          false, false, SimConfig.Rates.DEFAULT), w);
      sim.run();
      return sim;
    }
  }

  /**
   * Makes {@code run} again (the simulator is reproducible from its seed) and keeps its trace
   * and its report in {@code reports}; the report's address, at the divergence if there is one.
   */
  private static String report(String protocolName, Run run, MutantRecord.Runs runs, Path specsRoot, Path reports)
      throws IOException, TraceException {
    String name = protocolName + "-" + (run.mutant() == null ? "correct" : run.mutant()) + "-seed" + run.seed();
    Path kept = reports.resolve(name + ".ndjson");
    Simulator sim = simulate(protocolName, run, runs, kept);
    Path html = reports.resolve(name + ".html");
    try (Validator validator = Validator.reusing(specsRoot)) {
      Validator.Result shown = validator.validate(List.of(kept), Validator.Progress.NONE);
      HtmlReports.write(html, List.of(kept), shown, sim.clients() == null ? null : notLinearizable(sim));
      return html + (shown.conforms() ? "" : "#seq=" + shown.divergence().seq());
    }
  }
}
