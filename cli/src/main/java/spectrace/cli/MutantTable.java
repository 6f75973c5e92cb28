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
  static List<Row> run(String protocolName, MutantRecord.Runs runs, Path specsRoot) throws IOException, TraceException {
    return run(protocolName, runs, specsRoot, null);
  }

  /**
   * The table, and with {@code reports} (a folder) the first caught run of each variant kept
   * there: its trace and its report ({@code <protocol>-<mutant>-seed<N>.ndjson}, {@code .html}).
   */
  static List<Row> run(String protocolName, MutantRecord.Runs runs, Path specsRoot, Path reports)
      throws IOException, TraceException {
    List<String> variants = new ArrayList<>();
    variants.add(null);
    variants.addAll(Protocols.mutants(protocolName));
    List<Row> rows = new ArrayList<>();
    Path trace = Files.createTempFile("spectrace-mutant-", ".ndjson");
    try (Validator validator = Validator.reusing(specsRoot)) {
      for (String mutant : variants) {
        Protocol<?> protocol = Protocols.get(protocolName, mutant);
        SortedSet<Long> caught = new TreeSet<>();
        long first = -1;
        String where = null;
        String report = null;
        int byTrace = 0;
        int byHistory = 0;
        for (long seed = 1; seed <= runs.seeds(); seed++) {
          Simulator sim;
          try (OutputStream out = Files.newOutputStream(trace); TraceWriter w = new TraceWriter(out)) {
            sim = new Simulator(protocol, new SimConfig(seed, runs.nodes(), runs.steps(), runs.faults(), false, false,
                SimConfig.Rates.DEFAULT), w);
            sim.run();
          }
          Validator.Result r = validator.validate(List.of(trace), Validator.Progress.NONE);
          String notLinearizable = sim.clients() == null ? null : notLinearizable(sim);
          if (!r.conforms()) {
            byTrace++;
          }
          if (notLinearizable != null) {
            byHistory++;
          }
          if (!r.conforms() || notLinearizable != null) {
            caught.add(seed);
            if (first < 0) {
              first = seed;
              where = !r.conforms() ? r.divergence().action() + " at line " + r.divergence().where()
                  .substring(r.divergence().where().lastIndexOf(':') + 1) : notLinearizable;
              if (reports != null) {
                String name = protocolName + "-" + (mutant == null ? "correct" : mutant) + "-seed" + seed;
                Path kept = reports.resolve(name + ".ndjson");
                Files.copy(trace, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Path html = reports.resolve(name + ".html");
                Validator.Result shown = validator.validate(List.of(kept), Validator.Progress.NONE);
                HtmlReports.write(html, List.of(kept), shown, notLinearizable);
                report = html + (shown.conforms() ? "" : "#seq=" + shown.divergence().seq());
              }
            }
          }
        }
        rows.add(new Row(mutant, runs.seeds(), caught.size(), first, where, Collections.unmodifiableSortedSet(caught),
            byTrace, byHistory, report));
      }
    } finally {
      Files.deleteIfExists(trace);
    }
    return rows;
  }
}
