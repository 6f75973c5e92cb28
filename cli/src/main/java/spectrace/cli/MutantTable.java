package spectrace.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import spectrace.conformance.TraceException;
import spectrace.conformance.Validator;
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/**
 * Runs each mutant of a protocol across seeds on the simulator (every fault the model allows,
 * the simulator's own safety checks off, so that each trace is written in full), validates
 * every trace against the spec, and counts the runs validation catches. The correct
 * implementation runs on the same seeds, and must never be caught.
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
   */
  record Row(String mutant, int runs, int caught, long firstCaught, String firstWhere) {}

  private MutantTable() {}

  static List<Row> run(String protocolName, int seeds, int nodes, Path specsRoot) throws IOException, TraceException {
    List<String> variants = new ArrayList<>();
    variants.add(null);
    variants.addAll(Protocols.mutants(protocolName));
    List<Row> rows = new ArrayList<>();
    Path trace = Files.createTempFile("spectrace-mutant-", ".ndjson");
    try (Validator validator = Validator.reusing(specsRoot)) {
      for (String mutant : variants) {
        Protocol<?> protocol = Protocols.get(protocolName, mutant);
        int caught = 0;
        long first = -1;
        String where = null;
        for (long seed = 1; seed <= seeds; seed++) {
          try (OutputStream out = Files.newOutputStream(trace); TraceWriter w = new TraceWriter(out)) {
            new Simulator(protocol, new SimConfig(seed, nodes, 5_000, protocol.model().faults(), false, false,
                SimConfig.Rates.DEFAULT), w).run();
          }
          Validator.Result r = validator.validate(List.of(trace), Validator.Progress.NONE);
          if (!r.conforms()) {
            caught++;
            if (first < 0) {
              first = seed;
              where = r.divergence().action() + " at line " + r.divergence().where()
                  .substring(r.divergence().where().lastIndexOf(':') + 1);
            }
          }
        }
        rows.add(new Row(mutant, seeds, caught, first, where));
      }
    } finally {
      Files.deleteIfExists(trace);
    }
    return rows;
  }
}
