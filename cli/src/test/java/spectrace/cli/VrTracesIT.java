package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import spectrace.conformance.Validator;
import spectrace.protocols.vr.Vr;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;

/**
 * VR's runs are correct by both oracles, with five replicas and with three: for each, seeds 1
 * to {@value #SEEDS} with every fault the system model allows (replicas crash and come back
 * with nothing, at most F crashed or recovering at once), each trace validated against VR.tla
 * and each run's client history checked for linearizability. A failure names the size, the
 * seed and the divergence or the witness. The runs together must have done what makes VR VR:
 * view changes completed, recoveries completed, state transferred; a run that never got there
 * would pass for nothing.
 *
 * <p>{@code -Dvr.seeds=N} runs more seeds.
 */
class VrTracesIT {

  static final int SEEDS = Integer.getInteger("vr.seeds", 4);
  static final long STEPS = 5_000;

  private static Validator validator;
  private static Path trace;

  @BeforeAll
  static void open() throws Exception {
    validator = Validator.reusing(Specs.locate().root());
    trace = Files.createTempFile("spectrace-vr-", ".ndjson");
  }

  @AfterAll
  static void close() throws Exception {
    validator.close();
    Files.deleteIfExists(trace);
  }

  @TestFactory
  Stream<DynamicTest> everySizesTracesConformAndItsHistoriesAreLinearizable() {
    return Stream.of(5, 3).map(n -> DynamicTest.dynamicTest(n + " replicas", () -> size(n)));
  }

  private static void size(int replicas) throws Exception {
    Vr vr = new Vr();
    long events = 0;
    long operations = 0;
    Map<String, Long> actions = new TreeMap<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      SimConfig cfg = new SimConfig(seed, replicas, STEPS, vr.model().faults(), false, true, SimConfig.Rates.DEFAULT);
      ServiceRun.Outcome o = ServiceRun.judge("vr (" + replicas + " replicas), seed " + seed,
          w -> new Simulator(vr, cfg, w), validator, trace);
      operations += o.operations();
      events += o.events();
      o.actions().forEach((k, v) -> actions.merge(k, v, Long::sum));
    }
    System.out.printf("vr (%d replicas): %d traces validated, %d events, %d client operations linearizable; %s%n",
        replicas, SEEDS, events, operations, actions);
    for (String a : List.of("StartView", "HandleStartView", "CompleteRecovery", "HandleNewState", "PrimaryCommit")) {
      assertTrue(actions.getOrDefault(a, 0L) > 0, "no " + a + " in " + SEEDS + " runs of " + replicas + ": " + actions);
    }
    assertTrue(operations > SEEDS, "the clients did almost nothing: " + operations + " operations");
  }
}
