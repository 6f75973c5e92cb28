package spectrace.protocols.twophase;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import spectrace.core.Fault;
import spectrace.sim.RunResult;
import spectrace.sim.SimConfig;
import spectrace.sim.SimulationFailure;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/**
 * Two-phase commit on the simulator, across random seeds, node counts and fault mixes: the
 * safety properties of TwoPhase.tla hold after every event (the simulator checks them, and a
 * failure names its seed and the command that replays it), and a seed replays byte for byte.
 */
class TwoPhaseSimulationProperties {

  @Provide
  Arbitrary<Set<Fault>> faultMixes() {
    return Arbitraries.subsetOf(new TwoPhase().model().faults()).map(s -> s.isEmpty()
        ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(s));
  }

  private static RunResult run(TwoPhase protocol, long seed, int nodes, Set<Fault> faults, TraceWriter trace) {
    return new Simulator(protocol, new SimConfig(seed, nodes, 5_000, faults, false, true, SimConfig.Rates.DEFAULT), trace)
        .run();
  }

  @Property(tries = 400)
  void safetyHoldsAfterEveryEvent(@ForAll long seed, @ForAll @IntRange(min = 2, max = 7) int nodes,
                                  @ForAll("faultMixes") Set<Fault> faults) {
    Simulator sim = new Simulator(new TwoPhase(),
        new SimConfig(seed, nodes, 5_000, faults, false, true, SimConfig.Rates.DEFAULT), null);
    RunResult r = sim.run();
    String replay = "; replay with: " + sim.replayCommand();
    // Atomicity over the decisions taken, including those of RMs that decided twice over duplicates.
    Set<Object> rmDecisions = new HashSet<>();
    r.decisions().forEach((node, ds) -> {
      if (!node.equals(TwoPhase.TM)) {
        rmDecisions.addAll(ds);
      }
    });
    assertTrue(rmDecisions.size() <= 1, "RMs decided differently: " + r.decisions() + replay);
    List<Object> tm = r.decisions().get(TwoPhase.TM);
    if (tm != null && !rmDecisions.isEmpty() && rmDecisions.contains(RMState.COMMITTED)) {
      // A TM that recovers announces its durable decision again: every one must be commit.
      assertEquals(Set.of(TMState.COMMITTED), new HashSet<>(tm), "an RM committed but the TM decided " + tm + replay);
    }
  }

  @Property(tries = 100)
  void aSeedReplaysByteForByte(@ForAll long seed, @ForAll @IntRange(min = 2, max = 6) int nodes,
                               @ForAll("faultMixes") Set<Fault> faults) throws Exception {
    assertArrayEquals(trace(seed, nodes, faults), trace(seed, nodes, faults));
  }

  private static byte[] trace(long seed, int nodes, Set<Fault> faults) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      run(new TwoPhase(), seed, nodes, faults, w);
    }
    return out.toByteArray();
  }

  @Property(tries = 50)
  void withoutCrashesEveryRmDecides(@ForAll long seed, @ForAll @IntRange(min = 2, max = 7) int nodes) {
    EnumSet<Fault> faults = EnumSet.of(Fault.DUPLICATE, Fault.REORDER, Fault.DELAY, Fault.PARTITION);
    RunResult r = run(new TwoPhase(), seed, nodes, faults, null);
    assertTrue(r.quiescent());
    for (int i = 1; i < nodes; i++) {
      assertTrue(r.decisions().containsKey("rm" + i), "rm" + i + " never decided: " + r.decisions());
    }
  }

  /**
   * The checks can fail: a TM that commits on the first vote breaks atomicity on some seed,
   * and the failure names the seed and the command that replays it.
   */
  @Example
  void aBrokenTmIsCaughtWithItsSeedAndReplayCommand() {
    TwoPhase eager = new TwoPhase() {
      @Override
      protected TransactionManager newTransactionManager(String id, List<String> rms) {
        return new TransactionManager(id, rms) {
          @Override
          protected boolean canCommit() {
            return !tmPrepared.isEmpty();
          }
        };
      }
    };
    for (long seed = 0; seed < 500; seed++) {
      try {
        run(eager, seed, 4, EnumSet.noneOf(Fault.class), null);
      } catch (SimulationFailure f) {
        assertEquals(seed, f.seed());
        assertTrue(f.getMessage().contains("ConsistencyInv") || f.getMessage().contains("CommitValidityInv"),
            f.getMessage());
        assertTrue(f.getMessage().contains("./spectrace simulate twophase --seed " + seed + " "), f.getMessage());
        return;
      }
    }
    throw new AssertionError("a TM that commits on the first vote was never caught in 500 seeds");
  }
}
