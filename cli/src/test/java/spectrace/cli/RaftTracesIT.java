package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import spectrace.conformance.Validator;
import spectrace.protocols.raft.Raft;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;

/**
 * Raft's runs are correct by both oracles, in all four variants of its switches, PreVote and
 * CheckQuorum (the command line runs only the default, both on): for each, seeds 1 to
 * {@value #SEEDS} with every fault the system model allows, each trace validated against
 * Raft.tla and each run's client history checked for linearizability. A failure names the
 * variant, the seed and the divergence or the witness.
 *
 * <p>Runs of {@value #STEPS} steps, as the mutant tables' (about 4,000 events each, validated
 * at a few thousand events a second: see the README's Raft section); {@code -Draft.seeds=N}
 * runs more seeds.
 */
class RaftTracesIT {

  static final int SEEDS = Integer.getInteger("raft.seeds", 4);
  static final long STEPS = 5_000;

  private static Validator validator;
  private static Path trace;

  @BeforeAll
  static void open() throws Exception {
    validator = Validator.reusing(Specs.locate().root());
    trace = Files.createTempFile("spectrace-raft-", ".ndjson");
  }

  @AfterAll
  static void close() throws Exception {
    validator.close();
    Files.deleteIfExists(trace);
  }

  @TestFactory
  Stream<DynamicTest> everyVariantsTracesConform() {
    return Stream.of(new boolean[] {true, true}, new boolean[] {true, false}, new boolean[] {false, true},
            new boolean[] {false, false})
        .map(v -> DynamicTest.dynamicTest("PreVote " + v[0] + ", CheckQuorum " + v[1], () -> variant(v[0], v[1])));
  }

  private static void variant(boolean preVote, boolean checkQuorum) throws Exception {
    Raft raft = new Raft(preVote, checkQuorum);
    long events = 0;
    long crashes = 0;
    long operations = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      SimConfig cfg = new SimConfig(seed, raft.defaultNodes(), STEPS, raft.model().faults(), false, true,
          SimConfig.Rates.DEFAULT);
      ServiceRun.Outcome o = ServiceRun.judge("raft (PreVote " + preVote + ", CheckQuorum " + checkQuorum + "), seed "
          + seed, w -> new Simulator(raft, cfg, w), validator, trace);
      operations += o.operations();
      events += o.events();
      crashes += o.run().faults().getOrDefault("crash-recovery", 0L);
    }
    System.out.printf("raft (PreVote %s, CheckQuorum %s): %d traces validated, %d events, %d crash-recoveries,"
        + " %d client operations linearizable%n", preVote, checkQuorum, SEEDS, events, crashes, operations);
    assertTrue(crashes > 0, "no server crashed in " + SEEDS + " runs");
    assertTrue(events > SEEDS, "the runs logged almost nothing: " + events + " events");
  }
}
