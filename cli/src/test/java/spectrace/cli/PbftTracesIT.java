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
import spectrace.core.Adversary;
import spectrace.core.Protocol;
import spectrace.protocols.pbft.Pbft;
import spectrace.protocols.pbft.PbftAdversaries;
import spectrace.protocols.pbft.PbftMessage;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;

/**
 * PBFT's runs are correct by both oracles while up to F replicas lie: for each adversary of
 * the menu, four replicas with one Byzantine replica that has it, seeds 1 to {@value #SEEDS};
 * and seven replicas with two Byzantine ones, each with an adversary the seed picks, or with
 * one, and a correct replica that crashes for good (the second of F = 2 faulty). Every
 * trace is validated against PBFT.tla, the correct replicas' steps by its actions and the
 * Byzantine replicas' sends by its ByzantineSend, and every run's client history is checked
 * for linearizability. A failure names the run and the divergence or the witness.
 *
 * <p>The runs must also have met the lies they stand for: each adversary's runs show its mark
 * (the messages a correct replica rejects for it, or forgeries the links refuse), and the runs
 * together completed view changes, checkpoints and executions; a run that never got there would
 * pass for nothing.
 *
 * <p>{@code -Dpbft.seeds=N} runs more seeds.
 */
class PbftTracesIT {

  static final int SEEDS = Integer.getInteger("pbft.seeds", 2);
  static final long STEPS = 5_000;

  /**
   * The counts the runs of each adversary must show, summed over its seeds: its sends, or what
   * the correct replicas reject of them (a replayed message is another replica's, on the
   * Byzantine replica's link: rejected for its sender). Silence shows nothing.
   */
  private static final Map<String, List<String>> MARKS = Map.of(
      "silent", List.of(),
      "equivocate", List.of("byzantine"),
      "conflict", List.of("byzantine"),
      "wrong-digest", List.of("rejected-digest", "rejected-signature"),
      "forge", List.of("forgery-rejected"),
      "replay", List.of("rejected-sender"),
      "lie-view-change", List.of("rejected-proof"));

  private static Validator validator;
  private static Path trace;

  @BeforeAll
  static void open() throws Exception {
    validator = Validator.reusing(Specs.locate().root());
    trace = Files.createTempFile("spectrace-pbft-", ".ndjson");
  }

  @AfterAll
  static void close() throws Exception {
    validator.close();
    Files.deleteIfExists(trace);
  }

  /**
   * One test per adversary, then the seven replicas, then what the runs did together: the
   * tests run in order, and the last reads the actions the others counted.
   */
  @TestFactory
  Stream<DynamicTest> everyAdversarysRunsConformAndTheirHistoriesAreLinearizable() {
    Map<String, Long> actions = new TreeMap<>();
    Stream<DynamicTest> each = PbftAdversaries.ALL.stream().map(a -> DynamicTest.dynamicTest(
        "4 replicas, 1 " + a.name(), () -> {
          Map<String, Long> faults = new TreeMap<>();
          runs(only(a), 4, 1, faults, actions);
          for (String mark : MARKS.get(a.name())) {
            assertTrue(faults.getOrDefault(mark, 0L) > 0, a.name() + ": no " + mark + " in " + SEEDS + " runs: " + faults);
          }
        }));
    Stream<DynamicTest> seven = Stream.of(DynamicTest.dynamicTest("7 replicas, 2 Byzantine", () -> {
      Map<String, Long> faults = new TreeMap<>();
      runs(new Pbft(), 7, 2, faults, actions);
      assertTrue(faults.getOrDefault("byzantine-node", 0L) == 2L * SEEDS, "two Byzantine replicas a run: " + faults);
      assertTrue(faults.getOrDefault("crash-stop", 0L) == 0, "no crash past the bound F = 2: " + faults);
    }), DynamicTest.dynamicTest("7 replicas, 1 Byzantine and a crash", () -> {
      Map<String, Long> faults = new TreeMap<>();
      runs(new Pbft(), 7, 1, faults, actions);
      assertTrue(faults.getOrDefault("crash-stop", 0L) > 0, "a correct replica crashed, within F = 2: " + faults);
    }));
    Stream<DynamicTest> together = Stream.of(DynamicTest.dynamicTest("view changes, checkpoints, executions", () -> {
      for (String a : List.of("SendNewView", "HandleNewView", "StableCheckpoint", "Execute", "HandlePrePrepare")) {
        assertTrue(actions.getOrDefault(a, 0L) > 0, "no " + a + " in the runs above: " + actions);
      }
    }));
    return Stream.of(each, seven, together).flatMap(t -> t);
  }

  /** PBFT whose Byzantine replicas all have adversary {@code a}. */
  private static Protocol<PbftMessage> only(Adversary a) {
    return Protocol.compose(Protocol.Parts.of((Protocol<PbftMessage>) new Pbft()).withAdversaries(List.of(a)));
  }

  private static void runs(Protocol<PbftMessage> pbft, int replicas, int byzantine, Map<String, Long> faults,
                           Map<String, Long> actions) throws Exception {
    long events = 0;
    long operations = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      SimConfig cfg = new SimConfig(seed, replicas, STEPS, pbft.model().faults(), false, true, SimConfig.Rates.DEFAULT);
      String what = String.format("pbft, %d replicas, %d Byzantine (%s), seed %d", replicas, byzantine,
          pbft.adversaries().size() == 1 ? pbft.adversaries().get(0).name() : "any adversary", seed);
      ServiceRun.Outcome o = ServiceRun.judge(what, w -> new Simulator(pbft, cfg, w).byzantine(byzantine), validator,
          trace);
      o.run().faults().forEach((k, v) -> faults.merge(k, v, Long::sum));
      o.actions().forEach((k, v) -> actions.merge(k, v, Long::sum));
      operations += o.operations();
      events += o.events();
    }
    System.out.printf("pbft (%d replicas, %d Byzantine): %d traces validated, %d events, %d client operations"
        + " linearizable; faults %s%n", replicas, byzantine, SEEDS, events, operations, faults);
    assertTrue(operations > SEEDS, "the clients did almost nothing: " + operations + " operations");
  }
}
