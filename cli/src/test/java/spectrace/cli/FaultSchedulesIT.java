package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import spectrace.conformance.Report;
import spectrace.conformance.TraceException;
import spectrace.conformance.Validator;
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;
import spectrace.sim.RunResult;
import spectrace.sim.SimConfig;
import spectrace.sim.SimulationFailure;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;
import spectrace.trace.TraceWriter;

/**
 * Hundreds of seeded fault schedules per protocol: for every protocol but the replicated
 * services (RaftTracesIT, VrTracesIT), seeds 1 to {@value #DEFAULT_SEEDS} ({@code
 * -Dschedules.seeds=N} for more; the README's figures are of 1,000) at its
 * default node count with every fault its system model allows, the simulator checking the
 * protocol's safety properties after every event, and every trace validated against the spec.
 * A failure names the seed and the command that replays it. One validator keeps each spec
 * loaded across the runs of a protocol, and one trace file is rewritten run after run.
 */
class FaultSchedulesIT {

  /** Seeds per protocol in CI. */
  static final int DEFAULT_SEEDS = 500;
  /** Seeds per protocol: 1 to this. */
  static final int SEEDS = Integer.getInteger("schedules.seeds", DEFAULT_SEEDS);
  /** Events per run at most: runs end at quiescence long before, save for a few long ones. */
  static final long STEPS = 5_000;

  private static Validator validator;
  private static Path trace;

  @BeforeAll
  static void open() throws Exception {
    validator = Validator.reusing(Specs.locate().root());
    trace = Files.createTempFile("spectrace-schedules-", ".ndjson");
  }

  @AfterAll
  static void close() throws Exception {
    validator.close();
    Files.deleteIfExists(trace);
  }

  @TestFactory
  Stream<DynamicTest> everyScheduleKeepsSafetyAndEveryTraceConforms() {
    // A replicated service (raft) has clients and runs until they are done, thousands of events
    // a run, not a few dozen: RaftTracesIT and MutantRatesIT hold it, with its history checked too.
    List<String> names = Protocols.names().stream()
        .filter(n -> {
          Protocol<?> p = Protocols.get(n);
          return p.clients(p.nodeIds(p.defaultNodes()), 0, new java.util.SplittableRandom(0)) == null;
        }).toList();
    assertTrue(names.size() >= 10, "protocols: " + names);
    return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> schedules(Protocols.get(name))));
  }

  /** The loop can fail: a TM that commits on the first vote diverges at seed 1, and the failure says how to replay it. */
  @Test
  void aDivergenceNamesItsSeedAndTheReplayCommand() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> schedules(Protocols.get("twophase", "tm-commits-early")));
    assertTrue(e.getMessage().startsWith("twophase, seed 1: the trace diverges from the spec"), e.getMessage());
    assertTrue(e.getMessage().contains("replay with: ./spectrace simulate twophase --seed 1 --nodes 4 --steps 5000 "),
        e.getMessage());
    assertTrue(e.getMessage().contains(" --mutant tm-commits-early --trace t.ndjson && ./spectrace validate t.ndjson"),
        e.getMessage());
  }

  /** An RM that commits alone breaks the simulator's safety check at seed 1, and the failure says how to replay it. */
  @Test
  void aSafetyFailureNamesItsSeedAndTheReplayCommand() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> schedules(Protocols.get("twophase", "rm-commits-alone")));
    assertTrue(e.getMessage().startsWith("twophase, seed 1: the simulator's safety check failed: "), e.getMessage());
    assertTrue(e.getMessage().contains("replay with: ./spectrace simulate twophase --seed 1 "), e.getMessage());
    assertTrue(e.getMessage().contains("--mutant rm-commits-alone"), e.getMessage());
  }

  private static void schedules(Protocol<?> protocol) throws Exception {
    String name = protocol.name();
    long start = System.nanoTime();
    long events = 0;
    long actions = 0;
    long faults = 0;
    int validated = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      SimConfig cfg = new SimConfig(seed, protocol.defaultNodes(), STEPS, protocol.model().faults(), false, true,
          SimConfig.Rates.DEFAULT);
      Simulator sim;
      RunResult run;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(trace), 1 << 16);
           TraceWriter w = new TraceWriter(out)) {
        sim = new Simulator(protocol, cfg, w);
        try {
          run = sim.run();
        } catch (SimulationFailure f) {
          // The message names the property, the event, the seed and the replay command.
          throw new AssertionError(name + ", seed " + seed + ": the simulator's safety check failed: "
              + f.getMessage(), f);
        } catch (RuntimeException e) {
          throw new AssertionError(name + ", seed " + seed + ": the run failed: " + e + "\n  replay with: "
              + sim.replayCommand(), e);
        }
      }
      String replay = sim.replayCommand() + " --trace t.ndjson && ./spectrace validate t.ndjson";
      Validator.Result r;
      try {
        r = validator.validate(List.of(trace), Validator.Progress.NONE);
      } catch (TraceException e) {
        throw new AssertionError(name + ", seed " + seed + ": the trace is bad input: " + e.getMessage()
            + "\n  replay with: " + replay, e);
      }
      if (!r.conforms()) {
        fail(name + ", seed " + seed + ": the trace diverges from the spec\n"
            + Report.text(List.of(trace.toString()), r) + "\n  replay with: " + replay);
      }
      validated++;
      events += r.events();
      actions += r.actions();
      faults += run.faultCount();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%s: %d fault schedules, %d traces validated, %d events, %.1f s%n",
        name, SEEDS, validated, events, seconds);
    assertEquals(SEEDS, validated);
    assertTrue(actions > 0, name + ": no spec action in " + SEEDS + " runs");
    assertTrue(protocol.model().faults().isEmpty() || faults > 0,
        name + ": its model allows " + protocol.model().faults() + ", but no fault struck in " + SEEDS + " runs");
  }
}
