package spectrace.protocols.broadcast.causal;

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
 * Causal broadcast on the simulator, across random seeds, process counts and the faults its
 * model allows (delay, reordering, partitions on reliable links, crash-stop): the safety
 * properties of CausalBroadcast.tla hold after every event (the simulator checks them, and a
 * failure names its seed and replay command), validity and agreement hold at the end of a
 * run without crashes, and a seed replays byte for byte.
 */
class CausalSimulationProperties {

  /** The protocol, keeping the processes of its last run for inspection. */
  static final class Watched extends CausalBroadcast {
    final List<CausalProcess> processes = new ArrayList<>();

    @Override
    protected CausalProcess newProcess(String id, List<String> procs) {
      CausalProcess p = super.newProcess(id, procs);
      processes.add(p);
      return p;
    }
  }

  @Provide
  Arbitrary<Set<Fault>> faultMixes() {
    return Arbitraries.subsetOf(new CausalBroadcast().model().faults())
        .map(s -> s.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(s));
  }

  private static Simulator simulator(Protocol<?> protocol, long seed, int nodes, Set<Fault> faults, TraceWriter w) {
    return new Simulator(protocol, new SimConfig(seed, nodes, 20_000, faults, false, true, SimConfig.Rates.DEFAULT), w);
  }

  @Property(tries = 300)
  void safetyHoldsAfterEveryEventAndSendersDeliverTheirOwn(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int nodes,
                                                           @ForAll("faultMixes") Set<Fault> faults) {
    Watched protocol = new Watched();
    Simulator sim = simulator(protocol, seed, nodes, faults, null);
    RunResult r = sim.run();
    assertTrue(r.quiescent(), "the run did not end; replay with: " + sim.replayCommand());
    // A process delivers its own messages as it broadcasts them, in order; its clock counts them.
    for (CausalProcess p : protocol.processes) {
      List<Msg> own = p.delivered.stream().filter(m -> m.src().equals(p.id())).toList();
      assertEquals(p.vc.get(p.id()), own.size(), p.id() + " delivered " + p.delivered + "; replay with: " + sim.replayCommand());
    }
  }

  @Property(tries = 100)
  void withoutCrashesEveryProcessDeliversEveryMessage(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int nodes) {
    Watched protocol = new Watched();
    Simulator sim = simulator(protocol, seed, nodes, EnumSet.of(Fault.REORDER, Fault.DELAY, Fault.PARTITION), null);
    sim.run();
    Set<Msg> broadcast = new TreeSet<>();
    for (CausalProcess p : protocol.processes) {
      for (int k = 1; k <= p.vc.get(p.id()); k++) {
        broadcast.add(new Msg(p.id(), k));
      }
    }
    for (CausalProcess p : protocol.processes) {
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
      simulator(new CausalBroadcast(), seed, nodes, faults, w).run();
    }
    return out.toByteArray();
  }

  /**
   * The checks can fail: a process that looks only at the sender's entry of a stamp breaks
   * causal order on some seed, and the failure names the seed and the command that replays it.
   */
  @Example
  void aFifoOnlyProcessIsCaughtWithItsSeedAndReplayCommand() {
    for (long seed = 0; seed < 500; seed++) {
      try {
        simulator(Protocols.get("causal", "fifo-only"), seed, 4, new CausalBroadcast().model().faults(), null).run();
      } catch (SimulationFailure f) {
        assertEquals(seed, f.seed());
        assertTrue(f.getMessage().contains("CausalOrderInv"), f.getMessage());
        assertTrue(f.getMessage().contains("./spectrace simulate causal --seed " + seed + " "), f.getMessage());
        assertTrue(f.getMessage().contains("--mutant fifo-only"), f.getMessage());
        return;
      }
    }
    throw new AssertionError("a FIFO-only process was never caught in 500 seeds");
  }
}
