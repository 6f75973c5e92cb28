package spectrace.protocols.maekawa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import spectrace.core.Fault;
import spectrace.core.Mutant;
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;
import spectrace.sim.RunResult;
import spectrace.sim.SimConfig;
import spectrace.sim.SimulationFailure;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/**
 * Maekawa on the simulator, under random request patterns (which node asks for the critical
 * section, when, and for how long), seeds and node counts: mutual exclusion and one holder
 * per vote hold after every event (the simulator checks MutualExclusionInv and VoteInv, and a
 * failure names the seed and the replay command), every request is eventually granted (no
 * deadlock, no starvation: Maekawa.tla's StarvationFreedomProp, on runs that end), and a seed
 * replays byte for byte. jqwik shrinks a failing pattern to a minimal one.
 */
class MaekawaSimulationProperties {

  /** One request of a pattern: node number {@code node} (0-based) wants the CS at {@code time}. */
  record Ask(int node, long time, long hold) {}

  @Provide
  Arbitrary<List<Ask>> patterns() {
    return Combinators.combine(Arbitraries.integers().between(0, 8), Arbitraries.longs().between(1, 200),
        Arbitraries.longs().between(0, 30)).as(Ask::new).list().ofMinSize(1).ofMaxSize(24);
  }

  /** Maekawa whose workload is {@code pattern} (asks for nodes beyond the run's are left out). */
  static Maekawa withPattern(List<Ask> pattern) {
    return new Maekawa() {
      @Override
      public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {
        for (Ask a : pattern) {
          if (a.node() < nodes.size()) {
            schedule.request(a.time(), nodes.get(a.node()), new Want(a.hold()));
          }
        }
      }
    };
  }

  /** The same, with the nodes of the mutant named {@code mutant}. */
  static Protocol<MaekawaMessage> withPattern(List<Ask> pattern, String mutant) {
    return Mutant.named(mutant, MaekawaMutants.ALL).applyTo(withPattern(pattern));
  }

  /** {@code wants} requests from each of {@code nodes} nodes, at random moments of the first 100 ticks. */
  private static List<Ask> randomPattern(SplittableRandom random, int nodes, int wants) {
    List<Ask> pattern = new java.util.ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      for (int k = 0; k < wants; k++) {
        pattern.add(new Ask(n, 1 + random.nextLong(100), random.nextLong(31)));
      }
    }
    return pattern;
  }

  private static Set<Fault> faults(boolean delays) {
    return delays ? EnumSet.of(Fault.DELAY) : EnumSet.noneOf(Fault.class);
  }

  @Property(tries = 300)
  void mutualExclusionHoldsAndEveryRequestIsGranted(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int nodes,
                                                    @ForAll("patterns") List<Ask> pattern, @ForAll boolean delays) {
    Simulator sim = new Simulator(withPattern(pattern),
        new SimConfig(seed, nodes, 100_000, faults(delays), false, true, SimConfig.Rates.DEFAULT), null);
    RunResult r = sim.run();
    assertTrue(r.quiescent(), "the run did not end in 100,000 events (seed " + seed + ")");
    Map<String, Long> asked = new TreeMap<>();
    for (Ask a : pattern) {
      if (a.node() < nodes) {
        asked.merge("n" + (a.node() + 1), 1L, Long::sum);
      }
    }
    assertEquals(asked, r.deliveries(), "requests asked by node vs critical sections entered (seed " + seed
        + ", " + nodes + " nodes, delays " + delays + ")");
  }

  /**
   * Regression, found by the property above (shrunk by jqwik) while the Java arbiter did not
   * yet tell the overtaken request: n3 asks at tick 1, n2 at tick 2, n1 at tick 3. n1's vote
   * goes to n3; n2's request arrives, comes first, and n1 asks n3 for the vote back; then
   * n1's own request overtakes n2's. Unless n1 tells n2 FAILED, n2 never yields its own vote,
   * which n1 needs, while n2 needs n1's: a deadlock, the one MCMaekawaNoOvertakenFailed
   * shows in the spec.
   */
  @Example
  void theOvertakenRequestIsToldSoAndEveryRequestIsGranted() {
    List<Ask> pattern = List.of(new Ask(0, 3, 0), new Ask(1, 2, 0), new Ask(2, 1, 0));
    RunResult r = new Simulator(withPattern(pattern),
        new SimConfig(0, 3, 100_000, faults(true), false, true, SimConfig.Rates.DEFAULT), null).run();
    assertEquals(Map.of("n1", 1L, "n2", 1L, "n3", 1L), r.deliveries());
  }

  @Property(tries = 100)
  void aSeedReplaysByteForByte(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int nodes) throws Exception {
    assertArrayEquals(trace(seed, nodes), trace(seed, nodes), "seed " + seed);
  }

  private static byte[] trace(long seed, int nodes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      new Simulator(new Maekawa(), new SimConfig(seed, nodes, 100_000, faults(true), false, true,
          SimConfig.Rates.DEFAULT), w).run();
    }
    return out.toByteArray();
  }

  /**
   * The safety check can fail: an arbiter that votes again for a request that comes first
   * puts two nodes in the critical section on some seed, and the failure names the seed and
   * the command that replays it.
   */
  @Example
  void anArbiterThatGrantsTwiceIsCaughtWithItsSeedAndReplayCommand() {
    Protocol<?> broken = Protocols.get("maekawa", "grants-twice");
    for (long seed = 0; seed < 500; seed++) {
      try {
        new Simulator(broken, new SimConfig(seed, 4, 100_000, faults(true), false, true, SimConfig.Rates.DEFAULT),
            null).run();
      } catch (SimulationFailure f) {
        assertEquals(seed, f.seed());
        assertTrue(f.getMessage().contains("MutualExclusionInv") || f.getMessage().contains("VoteInv"),
            f.getMessage());
        assertTrue(f.getMessage().contains("./spectrace simulate maekawa --seed " + seed + " "), f.getMessage());
        assertTrue(f.getMessage().contains("--mutant grants-twice"), f.getMessage());
        return;
      }
    }
    throw new AssertionError("an arbiter that grants twice was never caught in 500 seeds");
  }

  /**
   * The liveness check can fail: nodes that never yield a vote deadlock on some seed, and
   * some request is never granted.
   */
  @Example
  void nodesThatNeverYieldDeadlock() {
    for (long seed = 0; seed < 500; seed++) {
      List<Ask> pattern = randomPattern(new SplittableRandom(seed), 4, 2);
      RunResult r = new Simulator(withPattern(pattern, "ignores-inquire"),
          new SimConfig(seed, 4, 100_000, faults(true), false, true, SimConfig.Rates.DEFAULT), null).run();
      long entered = r.deliveries().values().stream().mapToLong(Long::longValue).sum();
      assertTrue(r.quiescent(), "seed " + seed);
      if (entered < pattern.size()) {
        return;
      }
    }
    throw new AssertionError("nodes that never yield never deadlocked in 500 seeds");
  }
}
