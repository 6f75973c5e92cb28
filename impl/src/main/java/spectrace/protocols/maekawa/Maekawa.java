package spectrace.protocols.maekawa;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.Reports;
import spectrace.core.SystemModel;

/**
 * Maekawa's mutual exclusion algorithm (specs/maekawa/Maekawa.tla): nodes {@code n1..nN} on
 * grid quorums ({@link #gridQuorums}), each asking for the critical section a few times at
 * random moments.
 */
public class Maekawa implements Protocol<MaekawaMessage> {

  /**
   * Reliable FIFO links, and no crashes. Delays keep each link's order (the simulator never
   * lets a message overtake an earlier one on its link unless reordering is on). Reordering
   * and duplication would break the model; partitions are left out because the simulator
   * does not keep a link's order across a heal.
   */
  private static final SystemModel MODEL = new SystemModel(
      "reliable FIFO links; no process failures", SystemModel.Links.perfect(), Set.of(),
      SystemModel.Timing.ASYNCHRONOUS, EnumSet.of(Fault.DELAY), node -> false, 0);

  /** At most this many wants per node in a run's workload. */
  static final int MAX_WANTS = 3;
  /** Wants arrive in the first this many ticks of a run. */
  static final long WANT_WINDOW = 100;
  /** A stay in the critical section lasts at most this many ticks. */
  static final long MAX_HOLD = 30;

  @Override
  public String name() {
    return "maekawa";
  }

  @Override
  public String specModule() {
    return "Maekawa";
  }

  @Override
  public SystemModel model() {
    return MODEL;
  }

  @Override
  public int defaultNodes() {
    return 4;
  }

  @Override
  public List<String> nodeIds(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maekawa needs at least 1 node, not " + n);
    }
    List<String> ids = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      ids.add("n" + k);
    }
    return ids;
  }

  /** The number of node {@code node} ({@code n3} is 3): the spec's {@code Id[node]}. */
  public static int number(String node) {
    if (node.length() < 2 || node.charAt(0) != 'n') {
      throw new IllegalArgumentException("not a maekawa node id: '" + node + "'");
    }
    return Integer.parseInt(node.substring(1));
  }

  /**
   * Grid quorums, as MCMaekawa.tla's {@code GridQuorums}: the nodes, in order, fill the rows
   * of a grid with ceiling(sqrt(N)) columns, and a node's quorum is its row and its column.
   * Any two quorums meet where one's row crosses the other's column (where a last row that is
   * not full lacks that cell, the other way round): about 2 sqrt(N) nodes each.
   */
  public static Map<String, List<String>> gridQuorums(List<String> nodes) {
    int n = nodes.size();
    int cols = 1;
    while (cols * cols < n) {
      cols++;
    }
    Map<String, List<String>> quorums = new LinkedHashMap<>();
    for (int p = 0; p < n; p++) {
      List<String> q = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        if (k / cols == p / cols || k % cols == p % cols) {
          q.add(nodes.get(k));
        }
      }
      quorums.put(nodes.get(p), List.copyOf(q));
    }
    return quorums;
  }

  @Override
  public Map<String, Object> constants(List<String> nodes) {
    Map<String, Object> id = new TreeMap<>();
    Map<String, Object> quorum = new TreeMap<>();
    for (String i : nodes) {
      id.put(i, number(i));
    }
    gridQuorums(nodes).forEach((i, q) -> quorum.put(i, new TreeSet<>(q)));
    return Map.of("Node", new TreeSet<>(nodes), "Id", id, "Quorum", quorum);
  }

  @Override
  public ProtocolNode<MaekawaMessage> newNode(String id, List<String> nodes) {
    return newMaekawaNode(id, gridQuorums(nodes).get(id));
  }

  /** Node {@code id} with quorum {@code quorum} (a test may override it). */
  protected MaekawaNode newMaekawaNode(String id, List<String> quorum) {
    return new MaekawaNode(id, quorum);
  }

  /**
   * Every node wants the critical section 1 to {@link #MAX_WANTS} times, at random moments in
   * the first {@link #WANT_WINDOW} ticks (so that requests collide), for up to
   * {@link #MAX_HOLD} ticks each.
   */
  @Override
  public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {
    for (String node : nodes) {
      int wants = 1 + random.nextInt(MAX_WANTS);
      for (int k = 0; k < wants; k++) {
        schedule.request(1 + random.nextLong(WANT_WINDOW), node, new Want(random.nextLong(MAX_HOLD + 1)));
      }
    }
  }

  @Override
  public List<Invariant> invariants() {
    return List.of(
        new Invariant("MutualExclusionInv", Maekawa::mutualExclusion),
        new Invariant("VoteInv", Maekawa::oneHolderPerVote));
  }

  /** MutualExclusionInv: at most one node is in the critical section. */
  static String mutualExclusion(Map<String, ProtocolNode<?>> nodes) {
    List<String> held = new ArrayList<>();
    nodes.forEach((id, n) -> {
      if (n instanceof MaekawaNode m && m.state() == CsState.HELD) {
        held.add(id);
      }
    });
    return held.size() <= 1 ? null : "in the critical section together: " + held;
  }

  /** VoteInv: each node's vote is held by at most one requester. */
  static String oneHolderPerVote(Map<String, ProtocolNode<?>> nodes) {
    Map<String, List<String>> holders = new TreeMap<>();
    nodes.forEach((id, n) -> {
      if (n instanceof MaekawaNode m) {
        for (String j : m.grants()) {
          holders.computeIfAbsent(j, k -> new ArrayList<>()).add(id);
        }
      }
    });
    for (Map.Entry<String, List<String>> e : holders.entrySet()) {
      if (e.getValue().size() > 1) {
        return e.getKey() + "'s vote is held by " + e.getValue();
      }
    }
    return null;
  }

  @Override
  public List<Class<? extends Record>> requestTypes() {
    return List.of(Want.class);
  }

  /** A node reports each entry into the critical section as the delivery of the want it serves. */
  @Override
  public List<Class<? extends Record>> reportTypes() {
    return List.of(Want.class);
  }

  /** Every want served: each node entered the critical section once for each want it was given. */
  @Override
  public String awaiting(Reports r) {
    for (String node : r.live()) {
      long wants = r.requests(node, Want.class);
      int entered = r.deliveries().get(node).size();
      if (entered < wants) {
        return node + " entered the critical section " + entered + " of the " + wants + " times it wanted it (waiting for "
            + r.requests().get(node).stream().filter(Want.class::isInstance).skip(entered).findFirst().orElseThrow() + ")";
      }
    }
    return null;
  }

  /**
   * A node enters the critical section only for a want it was given, once for each, in the
   * order they came (as its queue of wants serves them). Mutual exclusion is over the nodes'
   * states at one moment, which reports do not give: the merged trace is checked for it.
   */
  @Override
  public java.util.Optional<CriticalSection> criticalSection() {
    return java.util.Optional.of(new CriticalSection("EnterCS", "ExitCS", "MutualExclusionInv"));
  }

  @Override
  public List<String> violations(Reports r) {
    List<String> out = new ArrayList<>();
    for (String node : r.nodes()) {
      List<Object> wants = r.requests().get(node).stream().filter(Want.class::isInstance).toList();
      List<Object> entered = r.deliveries().get(node);
      if (entered.size() > wants.size() || !wants.subList(0, entered.size()).equals(entered)) {
        out.add(node + " entered the critical section for " + entered + ", not for its wants " + wants);
      }
    }
    return out;
  }
}
