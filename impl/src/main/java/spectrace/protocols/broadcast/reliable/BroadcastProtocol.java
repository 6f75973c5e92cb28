package spectrace.protocols.broadcast.reliable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import spectrace.core.ProtocolNode;

/**
 * What the protocols of the reliable broadcast family share (specs/broadcast/Broadcast.tla):
 * processes {@code p1..pN}, the constants {@code Proc}, {@code MaxBcast} and {@code F}, a
 * workload in which every process broadcasts one to {@link #MAX_BCAST} messages, the crash
 * action {@code Crash(p)}, and the safety properties every algorithm keeps.
 */
public abstract class BroadcastProtocol implements BroadcastFamily<BroadcastMessage> {

  /** {@code MaxBcast}: how many messages each process may broadcast in a run. */
  public static final int MAX_BCAST = 2;

  /**
   * The most processes a run crashes, where the algorithm tolerates any number: enough for
   * every failure pattern of the specs' models, and runs keep live processes to compare.
   */
  public static final int MAX_CRASHES = 2;

  /** The workload's broadcasts happen before this many ticks. */
  static final long WINDOW = 150;

  @Override
  public int defaultNodes() {
    return 4;
  }

  /** The fewest processes a run may have. */
  protected int minNodes() {
    return 2;
  }

  @Override
  public List<String> nodeIds(int n) {
    if (n < minNodes()) {
      throw new IllegalArgumentException(name() + " needs at least " + minNodes() + " nodes, not " + n);
    }
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add("p" + i);
    }
    return ids;
  }

  /** {@code F}: the most processes that may crash in a run of {@code n}. */
  protected abstract int faultBound(int n);

  @Override
  public Map<String, Object> constants(List<String> nodes) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("Proc", nodes);
    c.put("MaxBcast", MAX_BCAST);
    c.put("F", faultBound(nodes.size()));
    return c;
  }

  @Override
  public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {
    for (String p : nodes) {
      int k = 1 + random.nextInt(MAX_BCAST);
      for (int i = 0; i < k; i++) {
        schedule.request(1 + random.nextLong(WINDOW), p, new BroadcastRequest());
      }
    }
  }


  @Override
  public List<Invariant> invariants() {
    return List.of(
        new Invariant("NoDuplicationInv", BroadcastProtocol::noDuplication),
        new Invariant("NoCreationInv", BroadcastProtocol::noCreation));
  }

  private static List<BroadcastNode> up(Map<String, ProtocolNode<?>> nodes) {
    List<BroadcastNode> up = new ArrayList<>();
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof BroadcastNode b) {
        up.add(b);
      }
    }
    return up;
  }

  /** NoDuplicationInv: no process that is up has delivered a message twice. */
  static String noDuplication(Map<String, ProtocolNode<?>> nodes) {
    for (BroadcastNode n : up(nodes)) {
      String wrong = Deliveries.noDuplication(n.id(), n.delivered());
      if (wrong != null) {
        return wrong;
      }
    }
    return null;
  }

  /**
   * NoCreationInv: a process delivers m only if m.src broadcast m. Checked against the
   * sender's count while the sender is up; a crashed sender's count is gone with it.
   */
  static String noCreation(Map<String, ProtocolNode<?>> nodes) {
    for (BroadcastNode n : up(nodes)) {
      String wrong = Deliveries.noCreation(n.id(), n.delivered(), nodes.keySet(),
          src -> nodes.get(src) instanceof BroadcastNode s ? s.broadcasts() : null);
      if (wrong != null) {
        return wrong;
      }
    }
    return null;
  }

  // ---- The properties that hold where nothing is left to do: at the end of a quiet run ----

  /**
   * Validity at the end of a run that ran to quiescence: every message that a live process
   * broadcast has been delivered by every live process. Null when it holds.
   *
   * @param live the processes up at the end
   */
  public static String validity(Map<String, BroadcastNode> live) {
    return Deliveries.validity(deliveries(live), p -> live.get(p).broadcasts());
  }

  private static Map<String, List<Msg>> deliveries(Map<String, BroadcastNode> nodes) {
    Map<String, List<Msg>> out = new LinkedHashMap<>();
    nodes.forEach((id, n) -> out.put(id, n.delivered()));
    return out;
  }

  /**
   * Agreement at the end of a run that ran to quiescence: every live process has delivered
   * the same messages. Null when it holds.
   */
  public static String agreement(Map<String, BroadcastNode> live) {
    return uniformAgreement(live, live);
  }

  /**
   * Uniform agreement at the end of a run that ran to quiescence: every message that any
   * process delivered, crashed or not, has been delivered by every live process.
   *
   * @param all  every process, with its state when it crashed or at the end
   * @param live the processes up at the end
   */
  public static String uniformAgreement(Map<String, BroadcastNode> all, Map<String, BroadcastNode> live) {
    return Deliveries.uniformAgreement(deliveries(all), deliveries(live));
  }
}
