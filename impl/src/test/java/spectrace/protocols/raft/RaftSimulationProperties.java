package spectrace.protocols.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import spectrace.core.Fault;
import spectrace.core.ProtocolNode;
import spectrace.kv.HistoryEvent;
import spectrace.kv.KvClientDriver;
import spectrace.sim.RunResult;
import spectrace.sim.SimConfig;
import spectrace.sim.SimulationFailure;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/**
 * Raft on the simulator over seeds, server counts and the pre-vote and check-quorum switches:
 * with every fault its system model allows, ElectionSafetyInv, LogMatchingInv and
 * StateMachineSafetyInv hold after every event (the simulator checks them, and a failure names
 * the seed and the replay command); with no faults, a leader is elected and every client
 * request that reaches it is committed and applied by every server; a seed replays byte for
 * byte.
 */
class RaftSimulationProperties {

  private static final Set<Fault> ALL = EnumSet.of(Fault.LOSS, Fault.DUPLICATE, Fault.REORDER, Fault.DELAY,
      Fault.PARTITION, Fault.CRASH_RECOVERY, Fault.SENDER_CRASH_LOSS);

  private static SimConfig config(long seed, int nodes, long steps, Set<Fault> faults) {
    return new SimConfig(seed, nodes, steps, faults, false, true, SimConfig.Rates.DEFAULT);
  }

  @Property(tries = 60)
  void theSafetyPropertiesHoldUnderEveryFault(@ForAll long seed, @ForAll @IntRange(min = 3, max = 7) int nodes,
                                              @ForAll boolean preVote, @ForAll boolean checkQuorum) {
    RunResult r = new Simulator(new Raft(preVote, checkQuorum), config(seed, nodes, 10_000, ALL), null).run();
    assertTrue(r.faults().getOrDefault("crash-recovery", 0L) > 0 || r.faults().getOrDefault("loss", 0L) > 0,
        "the run injected no fault (seed " + seed + ")");
  }

  /**
   * With no faults, a leader is elected, every client operation completes (none is left of
   * unknown outcome), and the servers apply the same commands in the same order: each has
   * applied a prefix of what the furthest one applied (a follower learns the last commits with
   * the next heartbeat, after the clients are done).
   */
  /** The operations of a run without faults. */
  private static final long OPERATIONS = 60;

  @Property(tries = 40)
  void withoutFaultsALeaderIsElectedAndEveryServerAppliesTheSameCommands(@ForAll long seed,
      @ForAll @IntRange(min = 3, max = 7) int nodes, @ForAll boolean preVote, @ForAll boolean checkQuorum) {
    Watched raft = new Watched(preVote, checkQuorum);
    Simulator sim = new Simulator(raft, config(seed, nodes, 100_000, Set.of()), null).operations(OPERATIONS);
    RunResult r = sim.run();
    assertTrue(r.quiescent(), "the clients finished within the steps (seed " + seed + ")");
    List<RaftNode> servers = raft.last(sim.nodes());
    long leaders = servers.stream().filter(s -> s.state() == RaftState.LEADER).count();
    assertEquals(1, leaders, "leaders at the end (seed " + seed + ")");
    List<HistoryEvent> history = ((KvClientDriver) sim.clients()).clients().history();
    assertEquals(OPERATIONS, history.stream().filter(e -> e.type() == HistoryEvent.Type.INVOKE).count(),
        "operations invoked (seed " + seed + ")");
    assertTrue(history.stream().noneMatch(e -> e.type() == HistoryEvent.Type.INFO),
        "an operation of unknown outcome in a run without faults (seed " + seed + ")");
    List<Entry> furthest = servers.stream().map(RaftNode::applied).max(Comparator.comparingInt(List::size)).orElseThrow();
    assertTrue(furthest.size() >= OPERATIONS, "only " + furthest.size() + " entries applied (seed " + seed + ")");
    for (RaftNode s : servers) {
      assertEquals(furthest.subList(0, s.applied().size()), s.applied(), s.id() + " applied other commands (seed " + seed + ")");
    }
  }

  @Property(tries = 20)
  void aSeedReplaysByteForByte(@ForAll long seed) throws Exception {
    assertArrayEquals(trace(seed), trace(seed), "seed " + seed);
  }

  private static byte[] trace(long seed) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      new Simulator(new Raft(), config(seed, 5, 3_000, ALL), w).run();
    }
    return out.toByteArray();
  }

  /**
   * The safety check can fail: servers that grant every vote request elect two leaders in one
   * term on some seed, and the failure names ElectionSafetyInv, the seed and the replay command.
   */
  @Example
  void serversThatGrantEveryVoteAreCaughtByElectionSafety() {
    Raft broken = new Raft(false, false) {
      @Override
      public ProtocolNode<RaftMessage> newNode(String id, List<String> nodes) {
        return new RaftNode(id, nodes, false, false) {
          @Override
          protected boolean upToDate(int lastTerm, int lastIndex) {
            return true;
          }

          @Override
          protected void handleRequestVoteRequest(String j, RaftMessage.RequestVoteRequest m) {
            if (m.term() > currentTerm) {
              super.handleRequestVoteRequest(j, m);
            } else {
              send(j, new RaftMessage.RequestVoteResponse(currentTerm, true));
            }
          }
        };
      }
    };
    for (long seed = 0; seed < 300; seed++) {
      long s = seed;
      try {
        new Simulator(broken, config(seed, 5, 5_000, ALL), null).run();
      } catch (SimulationFailure f) {
        assertEquals(s, f.seed());
        assertTrue(f.getMessage().contains("./spectrace simulate raft --seed " + s + " "), f.getMessage());
        // Two leaders of one term may first show as two commands applied at one index.
        if (f.getMessage().contains("ElectionSafetyInv")) {
          return;
        }
        assertTrue(f.getMessage().contains("StateMachineSafetyInv"), f.getMessage());
      }
    }
    throw new AssertionError("servers that grant every vote never elected two leaders of one term in 300 seeds");
  }

  @Example
  void raftRefusesFewerThanThreeServers() {
    assertThrows(IllegalArgumentException.class, () -> new Raft().nodeIds(2));
  }

  /** Raft that remembers the last incarnation of every server it built, to look at after a run. */
  private static final class Watched extends Raft {
    private final java.util.Map<String, RaftNode> built = new java.util.HashMap<>();

    Watched(boolean preVote, boolean checkQuorum) {
      super(preVote, checkQuorum);
    }

    @Override
    public ProtocolNode<RaftMessage> newNode(String id, List<String> nodes) {
      RaftNode n = (RaftNode) super.newNode(id, nodes);
      built.put(id, n);
      return n;
    }

    List<RaftNode> last(List<String> ids) {
      return ids.stream().map(built::get).toList();
    }
  }
}
