package spectrace.protocols.broadcast.total;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;
import spectrace.sim.RunResult;
import spectrace.sim.SimConfig;
import spectrace.sim.SimulationFailure;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Total-order broadcast on the simulator, across random seeds, process counts and the faults its
 * model allows (delay, reordering, partitions on reliable links, crash-stop): the safety
 * properties of TotalOrderBroadcast.tla hold after every event (the simulator checks them, and a
 * failure names its seed and replay command), validity and agreement hold at the end of a
 * run without crashes, and a seed replays byte for byte.
 */
class TotalOrderSimulationProperties {

  /** The protocol, keeping the processes of its last run for inspection. */
  static final class Watched extends TotalOrderBroadcast {
    final List<TotalOrderProcess> processes = new ArrayList<>();

    @Override
    protected TotalOrderProcess newProcess(String id, List<String> procs) {
      TotalOrderProcess p = super.newProcess(id, procs);
      processes.add(p);
      return p;
    }
  }

  @Provide
  Arbitrary<Set<Fault>> faultMixes() {
    return Arbitraries.subsetOf(new TotalOrderBroadcast().model().faults())
        .map(s -> s.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(s));
  }

  private static Simulator simulator(Protocol<?> protocol, long seed, int nodes, Set<Fault> faults, TraceWriter w) {
    return new Simulator(protocol, new SimConfig(seed, nodes, 20_000, faults, false, true, SimConfig.Rates.DEFAULT), w);
  }

  @Property(tries = 300)
  void safetyHoldsAfterEveryEventAndAllDeliverOneOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int nodes,
                                                           @ForAll("faultMixes") Set<Fault> faults) {
    Watched protocol = new Watched();
    Simulator sim = simulator(protocol, seed, nodes, faults, null);
    RunResult r = sim.run();
    assertTrue(r.quiescent(), "the run did not end; replay with: " + sim.replayCommand());
    // Every process delivers a prefix of one order: the sequencer's.
    List<Msg> longest = List.of();
    for (TotalOrderProcess p : protocol.processes) {
      if (p.delivered.size() > longest.size()) {
        longest = p.delivered;
      }
    }
    for (TotalOrderProcess p : protocol.processes) {
      assertEquals(longest.subList(0, p.delivered.size()), p.delivered, p.id() + "; replay with: " + sim.replayCommand());
    }
  }

  @Property(tries = 100)
  void withoutCrashesEveryProcessDeliversEveryMessage(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int nodes) {
    Watched protocol = new Watched();
    Simulator sim = simulator(protocol, seed, nodes, EnumSet.of(Fault.REORDER, Fault.DELAY, Fault.PARTITION), null);
    sim.run();
    Set<Msg> broadcast = new TreeSet<>();
    for (TotalOrderProcess p : protocol.processes) {
      for (int k = 1; k <= p.broadcasts; k++) {
        broadcast.add(new Msg(p.id(), k));
      }
    }
    for (TotalOrderProcess p : protocol.processes) {
      assertEquals(broadcast, new TreeSet<>(p.delivered), p.id() + "; replay with: " + sim.replayCommand());
    }
  }

  @Property(tries = 60)
  void aSeedReplaysByteForByte(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int nodes,
                               @ForAll("faultMixes") Set<Fault> faults) throws Exception {
    assertArrayEquals(trace(seed, nodes, faults), trace(seed, nodes, faults));
  }

  private static byte[] trace(long seed, int nodes, Set<Fault> faults) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      simulator(new TotalOrderBroadcast(), seed, nodes, faults, w).run();
    }
    return out.toByteArray();
  }

  /**
   * The checks can fail: processes that deliver the sequencer's messages as they arrive break
   * total order on some seed, and the failure names the seed and the command that replays it.
   */
  @Example
  void deliveryOnArrivalIsCaughtWithItsSeedAndReplayCommand() {
    for (long seed = 0; seed < 500; seed++) {
      try {
        simulator(Protocols.get("total", "deliver-on-arrival"), seed, 4, new TotalOrderBroadcast().model().faults(), null).run();
      } catch (SimulationFailure f) {
        assertEquals(seed, f.seed());
        assertTrue(f.getMessage().contains("TotalOrderInv") || f.getMessage().contains("SequencerOrderInv"), f.getMessage());
        assertTrue(f.getMessage().contains("./spectrace simulate total --seed " + seed + " "), f.getMessage());
        assertTrue(f.getMessage().contains("--mutant deliver-on-arrival"), f.getMessage());
        return;
      }
    }
    throw new AssertionError("delivery on arrival was never caught in 500 seeds");
  }
}
