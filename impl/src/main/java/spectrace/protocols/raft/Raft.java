package spectrace.protocols.raft;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.SystemModel;
import spectrace.kv.KvService;

/**
 * Raft (specs/raft/Raft.tla; Ongaro's dissertation): servers {@code n1..nN} (5 by default, at
 * least 3) replicating a log of client commands, with pre-vote and check-quorum switchable (both
 * on by default, as etcd runs them). The trace header's {@code PreVote} and {@code CheckQuorum}
 * constants are this binding's switches, so that a trace is checked against the variant that
 * wrote it; membership changes ({@code Reconfig}) are off.
 *
 * <p>The system model is Raft's: fair-loss links that lose, duplicate, reorder and delay
 * messages, and partitions; any server, the leader included, may crash and recover with its
 * durable state; partial synchrony, needed for liveness only.
 */
public class Raft implements Protocol<RaftMessage>, KvService {

  /** How many servers may be down at once: a minority of the default five. */
  public static final int MAX_DOWN = 2;

  private static final SystemModel MODEL = new SystemModel(
      "fair-loss links (loss, duplication, reordering, delay, partitions); crash-recovery of any server with"
          + " durable currentTerm, votedFor and log, up to " + MAX_DOWN + " down at once; partially synchronous",
      SystemModel.Links.fairLoss(),
      EnumSet.of(SystemModel.Failure.CRASH_RECOVERY),
      SystemModel.Timing.PARTIALLY_SYNCHRONOUS,
      EnumSet.of(Fault.LOSS, Fault.DUPLICATE, Fault.REORDER, Fault.DELAY, Fault.PARTITION, Fault.CRASH_RECOVERY,
          Fault.SENDER_CRASH_LOSS),
      server -> true,
      MAX_DOWN);

  private final boolean preVote;
  private final boolean checkQuorum;

  /** Raft with pre-vote and check-quorum. */
  public Raft() {
    this(true, true);
  }

  /** Raft with pre-vote (§9.6) and check-quorum (§6.2) as given. */
  public Raft(boolean preVote, boolean checkQuorum) {
    this.preVote = preVote;
    this.checkQuorum = checkQuorum;
  }

  @Override
  public String name() {
    return "raft";
  }

  @Override
  public String specModule() {
    return "Raft";
  }

  @Override
  public SystemModel model() {
    return MODEL;
  }

  @Override
  public int defaultNodes() {
    return 5;
  }

  @Override
  public List<String> nodeIds(int n) {
    if (n < 3) {
      throw new IllegalArgumentException("raft needs at least 3 servers, not " + n);
    }
    List<String> ids = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      ids.add("n" + k);
    }
    return ids;
  }

  @Override
  public Map<String, Object> constants(List<String> nodes) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("Server", nodes);
    c.put("Value", Set.of());
    c.put("PreVote", preVote);
    c.put("CheckQuorum", checkQuorum);
    c.put("Reconfig", false);
    return c;
  }

  @Override
  public ProtocolNode<RaftMessage> newNode(String id, List<String> nodes) {
    return new RaftNode(id, nodes, preVote, checkQuorum);
  }





  /**
   * The safety properties after every event. The checks remember what they saw (every leader of
   * every term, every index ever applied), so that a run is checked across its servers'
   * restarts; the memory is of one run, the one whose view of the nodes (the map the simulator
   * hands every check, the same object for a whole run) they were last given, and a new view
   * starts it afresh.
   */
  @Override
  public List<Invariant> invariants() {
    RunMemory memory = new RunMemory();
    return List.of(
        new Invariant("ElectionSafetyInv", nodes -> electionSafety(nodes, memory.of(nodes).leaders)),
        new Invariant("LogMatchingInv", Raft::logMatching),
        new Invariant("StateMachineSafetyInv",
            nodes -> stateMachineSafety(nodes, memory.of(nodes).appliedAt, memory.of(nodes).checked)));
  }

  /** What the checks remember of the run they are checking. */
  private static final class RunMemory {
    private Map<String, ProtocolNode<?>> view;
    final Map<Integer, String> leaders = new HashMap<>();
    final Map<Integer, Entry> appliedAt = new HashMap<>();
    final Map<ProtocolNode<?>, Integer> checked = new IdentityHashMap<>();

    /** This memory, for the run whose view is {@code nodes}: emptied when that is a new run. */
    synchronized RunMemory of(Map<String, ProtocolNode<?>> nodes) {
      if (nodes != view) {
        view = nodes;
        leaders.clear();
        appliedAt.clear();
        checked.clear();
      }
      return this;
    }
  }

  /** ElectionSafetyInv: at most one leader per term, over every server that was ever leader. */
  static String electionSafety(Map<String, ProtocolNode<?>> nodes, Map<Integer, String> leaders) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof RaftNode r && r.state() == RaftState.LEADER) {
        String before = leaders.putIfAbsent(r.currentTerm(), r.id());
        if (before != null && !before.equals(r.id())) {
          return before + " and " + r.id() + " were both leaders of term " + r.currentTerm();
        }
      }
    }
    return null;
  }

  /**
   * LogMatchingInv (§3.5): two logs with an entry of the same term at the same index hold the
   * same entries up to that index.
   */
  static String logMatching(Map<String, ProtocolNode<?>> nodes) {
    List<RaftNode> up = new ArrayList<>();
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof RaftNode r) {
        up.add(r);
      }
    }
    for (int a = 0; a < up.size(); a++) {
      for (int b = a + 1; b < up.size(); b++) {
        List<Entry> x = up.get(a).log;
        List<Entry> y = up.get(b).log;
        int n = Math.min(x.size(), y.size());
        // The last index at which the terms agree: the logs must be equal up to it.
        for (int k = n; k >= 1; k--) {
          if (x.get(k - 1).term() == y.get(k - 1).term()) {
            if (!x.subList(0, k).equals(y.subList(0, k))) {
              return up.get(a).id() + " and " + up.get(b).id() + " both hold an entry of term " + x.get(k - 1).term()
                  + " at index " + k + " but differ before it";
            }
            break;
          }
        }
      }
    }
    return null;
  }

  /**
   * StateMachineSafetyInv: no two servers apply different entries at one index, and a server that
   * applies an index again after a restart applies the same entry, over the whole run.
   */
  static String stateMachineSafety(Map<String, ProtocolNode<?>> nodes, Map<Integer, Entry> appliedAt,
                                   Map<ProtocolNode<?>, Integer> checked) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof RaftNode r) {
        List<Entry> applied = r.applied();
        int from = checked.getOrDefault(r, 0);
        for (int k = from + 1; k <= applied.size(); k++) {
          Entry e = applied.get(k - 1);
          Entry before = appliedAt.putIfAbsent(k, e);
          if (before != null && !before.equals(e)) {
            return r.id() + " applied " + e + " at index " + k + ", where " + before + " was applied before";
          }
        }
        checked.put(r, applied.size());
      }
    }
    return null;
  }

  @Override
  public String agreementInvariant() {
    return "StateMachineSafetyInv";
  }
}
