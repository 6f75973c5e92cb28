package spectrace.protocols.broadcast.gossip;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import spectrace.core.Fault;
import spectrace.core.ProtocolNode;
import spectrace.core.Reports;
import spectrace.core.SystemModel;
import spectrace.protocols.broadcast.reliable.BroadcastFamily;
import spectrace.protocols.broadcast.reliable.BroadcastRequest;
import spectrace.protocols.broadcast.reliable.Deliveries;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Push gossip, infect and die (specs/broadcast/GossipBroadcast.tla): processes
 * {@code p1..pN} over fair-loss links.
 *
 * <p>The fanout is fixed, or, by default, follows the ln N rule: {@code ceil(ln N)}, at least 1.
 * The default workload has each process broadcast a few messages at random times; the
 * coverage workload ({@link #coverage(int)}) has {@code p1} broadcast one message at the
 * start, for measuring how many processes it reaches.
 */
public class GossipBroadcast implements BroadcastFamily<GossipMessage> {

  /**
   * The most processes a run crashes, the spec's F. Gossip tolerates any number; the bound
   * keeps the simulator's crashes from ending most runs with every process down.
   */
  static final int MAX_CRASHES = 2;

  private static final SystemModel MODEL = new SystemModel(
      "fair-loss links that may lose, duplicate, delay and reorder; crash-stop processes, at most " + MAX_CRASHES
          + " per run",
      SystemModel.Links.fairLoss(),
      EnumSet.of(SystemModel.Failure.CRASH_STOP),
      SystemModel.Timing.ASYNCHRONOUS,
      EnumSet.of(Fault.LOSS, Fault.DUPLICATE, Fault.REORDER, Fault.DELAY, Fault.PARTITION, Fault.CRASH_STOP),
      id -> true,
      MAX_CRASHES);

  /** The most messages the default workload has one process broadcast: the spec's MaxBcast. */
  static final int MAX_BROADCASTS = 2;
  /** The default workload's broadcasts happen in ticks 1 to this. */
  static final int WORKLOAD_TICKS = 200;

  private final int fanout;
  private final boolean single;

  /** Gossip with the ln N fanout and the default workload. */
  public GossipBroadcast() {
    this(0, false);
  }

  /**
   * @param fanout the fanout, or 0 for the ln N rule
   * @param single true for the coverage workload: {@code p1} broadcasts one message, at tick 1
   */
  protected GossipBroadcast(int fanout, boolean single) {
    if (fanout < 0) {
      throw new IllegalArgumentException("the fanout must be at least 1 (or 0 for the ln N rule), not " + fanout);
    }
    this.fanout = fanout;
    this.single = single;
  }

  /** Gossip with fanout {@code fanout} in which p1 broadcasts one message at the start. */
  public static GossipBroadcast coverage(int fanout) {
    if (fanout < 1) {
      throw new IllegalArgumentException("the fanout must be at least 1, not " + fanout);
    }
    return new GossipBroadcast(fanout, true);
  }

  /** The fanout of a run of {@code n} processes. */
  public int fanout(int n) {
    return fanout > 0 ? fanout : lnRule(n);
  }

  /** The ln N rule: {@code ceil(ln n)}, at least 1. */
  public static int lnRule(int n) {
    return Math.max(1, (int) Math.ceil(Math.log(n)));
  }

  @Override
  public String name() {
    return "gossip";
  }

  @Override
  public String specModule() {
    return "GossipBroadcast";
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
    if (n < 2) {
      throw new IllegalArgumentException("gossip needs at least 2 processes, not " + n);
    }
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add("p" + i);
    }
    return ids;
  }

  @Override
  public Map<String, Object> constants(List<String> nodes) {
    return Map.of("Proc", nodes, "MaxBcast", single ? 1 : MAX_BROADCASTS,
        "F", Math.min(MAX_CRASHES, nodes.size()), "Fanout", fanout(nodes.size()));
  }

  @Override
  public ProtocolNode<GossipMessage> newNode(String id, List<String> nodes) {
    return newProcess(id, nodes, fanout(nodes.size()));
  }

  /** A process of a run (a test may override it). */
  protected GossipProcess newProcess(String id, List<String> procs, int fanout) {
    return new GossipProcess(id, procs, fanout);
  }

  @Override
  public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {
    if (single) {
      schedule.request(1, nodes.get(0), new BroadcastRequest());
      return;
    }
    for (String p : nodes) {
      int k = random.nextInt(MAX_BROADCASTS + 1);
      for (int i = 0; i < k; i++) {
        schedule.request(1 + random.nextInt(WORKLOAD_TICKS), p, new BroadcastRequest());
      }
    }
  }

  @Override
  public List<Invariant> invariants() {
    return List.of(
        new Invariant("NoDuplicationInv", GossipBroadcast::noDuplication),
        new Invariant("NoCreationInv", GossipBroadcast::noCreation));
  }

  /** NoDuplicationInv: no process delivers a message more than once. */
  static String noDuplication(Map<String, ProtocolNode<?>> nodes) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof GossipProcess p) {
        String wrong = Deliveries.noDuplication(p.id(), p.delivered);
        if (wrong != null) {
          return wrong;
        }
      }
    }
    return null;
  }

  /** NoCreationInv: a process delivers only messages that were broadcast (checked against live senders). */
  static String noCreation(Map<String, ProtocolNode<?>> nodes) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof GossipProcess p) {
        String wrong = Deliveries.noCreation(p.id(), p.delivered, nodes.keySet(),
            src -> nodes.get(src) instanceof GossipProcess s ? s.broadcasts : null);
        if (wrong != null) {
          return wrong;
        }
      }
    }
    return null;
  }

  /**
   * Gossip promises no validity, only that a live sender delivers its own messages: a run is
   * over once each has (its driver then waits for the gossip to settle).
   */
  @Override
  public String awaiting(Reports r) {
    Map<String, List<Msg>> all = Deliveries.of(r);
    Map<String, Integer> broadcasts = Deliveries.broadcasts(r, maxBcast(r.nodes()));
    for (String p : r.live()) {
      for (int sn = 1; sn <= broadcasts.get(p); sn++) {
        if (!all.get(p).contains(new Msg(p, sn))) {
          return p + " has not delivered its own " + new Msg(p, sn);
        }
      }
    }
    return null;
  }
}
