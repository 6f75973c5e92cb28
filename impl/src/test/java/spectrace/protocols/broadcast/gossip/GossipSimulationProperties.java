package spectrace.protocols.broadcast.gossip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
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
 * Gossip on the simulator, across random seeds, process counts, fanouts and the faults its
 * model allows (loss, duplication, delay, reordering, partitions, crash-stop): the safety
 * properties of GossipBroadcast.tla hold after every event, each process forwards each
 * message once to fanout others (infect and die), flooding (fanout N - 1) over links that
 * lose nothing reaches everyone, and a seed, random targets included, replays byte for byte.
 */
class GossipSimulationProperties {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Gossip with a given fanout, keeping the processes of its last run for inspection. */
  static final class Watched extends GossipBroadcast {
    final List<GossipProcess> processes = new ArrayList<>();

    Watched(int fanout) {
      super(fanout, false);
    }

    @Override
    protected GossipProcess newProcess(String id, List<String> procs, int fanout) {
      GossipProcess p = super.newProcess(id, procs, fanout);
      processes.add(p);
      return p;
    }
  }

  @Provide
  Arbitrary<Set<Fault>> faultMixes() {
    return Arbitraries.subsetOf(new GossipBroadcast().model().faults())
        .map(s -> s.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(s));
  }

  private static Simulator simulator(Protocol<?> protocol, long seed, int nodes, Set<Fault> faults, TraceWriter w) {
    return new Simulator(protocol, new SimConfig(seed, nodes, 20_000, faults, false, true, SimConfig.Rates.DEFAULT), w);
  }

  @Property(tries = 200)
  void safetyHoldsAfterEveryEventAndEachMessageIsForwardedOnce(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int nodes, @ForAll @IntRange(min = 1, max = 4) int fanout,
      @ForAll("faultMixes") Set<Fault> faults) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Simulator sim;
    try (TraceWriter w = new TraceWriter(out)) {
      sim = simulator(new Watched(fanout), seed, nodes, faults, w);
      sim.run();
    }
    String replay = "; replay with: " + sim.replayCommand();
    int k = Math.min(fanout, nodes - 1);
    Set<String> forwarded = new HashSet<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      JsonNode e = JSON.readTree(line);
      if (!e.path("kind").asText().equals("action") || e.has("fault")) {
        continue;
      }
      String node = e.get("node").asText();
      Set<String> targets = new TreeSet<>();
      e.get("params").get("t").forEach(t -> targets.add(t.asText()));
      List<String> sentTo = new ArrayList<>();
      e.get("sent").forEach(s -> sentTo.add(s.get("to").asText()));
      JsonNode m = e.get("sent").get(0).get("msg").get("m");
      assertEquals(k, targets.size(), line + replay);
      assertFalse(targets.contains(node), line + replay);
      assertEquals(new ArrayList<>(targets), sentTo, line + replay);
      assertTrue(forwarded.add(node + " " + m.get("src").asText() + " " + m.get("sn").asText()),
          node + " forwarded a message twice: " + line + replay);
    }
  }

  @Property(tries = 60)
  void floodingOverLinksThatLoseNothingReachesEveryone(@ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int nodes) {
    Watched protocol = new Watched(nodes - 1);
    Simulator sim = simulator(protocol, seed, nodes, EnumSet.of(Fault.DUPLICATE, Fault.REORDER, Fault.DELAY), null);
    RunResult r = sim.run();
    assertTrue(r.quiescent(), sim.replayCommand());
    Set<Msg> broadcast = new TreeSet<>();
    for (GossipProcess p : protocol.processes) {
      for (int i = 1; i <= p.broadcasts; i++) {
        broadcast.add(new Msg(p.id(), i));
      }
    }
    for (GossipProcess p : protocol.processes) {
      assertEquals(broadcast, new TreeSet<>(p.delivered), p.id() + "; replay with: " + sim.replayCommand());
    }
  }

  @Property(tries = 60)
  void aSeedReplaysByteForByte(@ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int nodes,
                               @ForAll("faultMixes") Set<Fault> faults) throws Exception {
    assertArrayEquals(trace(seed, nodes, faults), trace(seed, nodes, faults));
  }

  private static byte[] trace(long seed, int nodes, Set<Fault> faults) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      simulator(new GossipBroadcast(), seed, nodes, faults, w).run();
    }
    return out.toByteArray();
  }

  /**
   * The checks can fail: a process that delivers every copy it receives breaks no duplication
   * on some seed, and the failure names the seed and the command that replays it.
   */
  @Example
  void deliveringEveryCopyIsCaughtWithItsSeedAndReplayCommand() {
    for (long seed = 0; seed < 500; seed++) {
      try {
        simulator(Protocols.get("gossip", "deliver-every-copy"), seed, 5, new GossipBroadcast().model().faults(), null).run();
      } catch (SimulationFailure f) {
        assertEquals(seed, f.seed());
        assertTrue(f.getMessage().contains("NoDuplicationInv"), f.getMessage());
        assertTrue(f.getMessage().contains("./spectrace simulate gossip --seed " + seed + " "), f.getMessage());
        assertTrue(f.getMessage().contains("--mutant deliver-every-copy"), f.getMessage());
        return;
      }
    }
    throw new AssertionError("a process that delivers every copy was never caught in 500 seeds");
  }
}
