package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import spectrace.conformance.Report;
import spectrace.conformance.Validator;
import spectrace.protocols.raft.Raft;
import spectrace.sim.RunResult;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;
import spectrace.trace.TraceWriter;

/**
 * Raft's traces conform to Raft.tla in all four variants of its switches, PreVote and
 * CheckQuorum (the command line runs only the default, both on): for each, seeds 1 to
 * {@value #SEEDS} with every fault the system model allows, each trace validated. A failure
 * names the variant, the seed and the divergence.
 *
 * <p>Known divergence, not the node's to fix: a server that adopts a higher term from a
 * response (HandleRequestVoteResponse or HandleAppendEntriesResponse stepping down) writes
 * currentTerm and votedFor in a step that sends nothing, so the runtime does not flush them; a
 * crash before the server's next send may lose them (the simulator's unflushed-writes-lost), and
 * the Restart that follows logs the older term, which Raft.tla's Restart (durable state kept)
 * cannot produce. PreVote FALSE, CheckQuorum FALSE, seed 7 is one. Raft allows the loss (no
 * message depended on the write); the runtime must flush a traced step's writes, or the spec
 * must let Restart lose a step's writes that no send covered.
 */
class RaftTracesIT {

  static final int SEEDS = Integer.getInteger("raft.seeds", 10);
  static final long STEPS = 2_000;

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
    for (long seed = 1; seed <= SEEDS; seed++) {
      SimConfig cfg = new SimConfig(seed, raft.defaultNodes(), STEPS, raft.model().faults(), false, true,
          SimConfig.Rates.DEFAULT);
      RunResult run;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(trace), 1 << 16);
           TraceWriter w = new TraceWriter(out)) {
        run = new Simulator(raft, cfg, w).run();
      }
      Validator.Result r = validator.validate(List.of(trace), Validator.Progress.NONE);
      if (!r.conforms()) {
        fail("raft (PreVote " + preVote + ", CheckQuorum " + checkQuorum + "), seed " + seed
            + ": the trace diverges from the spec\n" + Report.text(List.of(trace.toString()), r));
      }
      events += r.events();
      crashes += run.faults().getOrDefault("crash-recovery", 0L);
    }
    System.out.printf("raft (PreVote %s, CheckQuorum %s): %d traces validated, %d events, %d crash-recoveries%n",
        preVote, checkQuorum, SEEDS, events, crashes);
    assertTrue(crashes > 0, "no server crashed in " + SEEDS + " runs");
    assertTrue(events > SEEDS, "the runs logged almost nothing: " + events + " events");
  }
}
