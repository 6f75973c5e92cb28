package spectrace.sim;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import spectrace.core.Fault;
import spectrace.core.Message;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.core.SystemModel;

/**
 * A test-only protocol that exercises every part of the simulator: each node sends
 * {@link #PINGS} numbered pings to every other node, logs what it receives, keeps a durable
 * count of pings sent (flushed, since sends follow it) and of pings received (never followed
 * by an effect, so unflushed until the next send), and records crash notifications. Every
 * observation goes to {@link #log}, in order, so tests can read a run's story.
 */
class Chatter implements Protocol<Chatter.Ping> {

  static final int PINGS = 20;

  /** A numbered ping. */
  record Ping(String from, int k) implements Message {}

  private final SystemModel model;
  final List<String> log = new ArrayList<>();

  /** Chatter in {@code model}. */
  Chatter(SystemModel model) {
    this.model = model;
  }

  /** Chatter on fair-loss or reliable links, with every crash but no Byzantine node. */
  Chatter(boolean lossy) {
    EnumSet<Fault> faults = EnumSet.allOf(Fault.class);
    faults.remove(Fault.BYZANTINE);
    if (!lossy) {
      faults.remove(Fault.LOSS);
    }
    model = new SystemModel(lossy ? "fair-loss links, any crash" : "reliable links, any crash",
        lossy ? SystemModel.Links.fairLoss() : SystemModel.Links.reliable(),
        EnumSet.of(SystemModel.Failure.CRASH_STOP, SystemModel.Failure.CRASH_RECOVERY, SystemModel.Failure.FAIL_STOP),
        SystemModel.Timing.ASYNCHRONOUS, faults,
        id -> true, Integer.MAX_VALUE);
  }

  @Override
  public String name() {
    return "chatter";
  }

  @Override
  public String specModule() {
    return "Chatter";
  }

  @Override
  public SystemModel model() {
    return model;
  }

  @Override
  public int defaultNodes() {
    return 3;
  }

  @Override
  public List<String> nodeIds(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add("n" + i);
    }
    return ids;
  }

  @Override
  public Map<String, Object> constants(List<String> nodes) {
    return Map.of("Node", nodes);
  }

  @Override
  public ProtocolNode<Ping> newNode(String id, List<String> nodes) {
    return new Node(id, nodes);
  }

  @Override
  public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {
    for (String n : nodes) {
      schedule.request(1 + random.nextLong(50), n, "go");
    }
  }

  @Override
  public List<Invariant> invariants() {
    return List.of();
  }

  final class Node extends ProtocolNode<Ping> {
    private final List<String> others = new ArrayList<>();

    @SpecVar(value = "received", indexed = true)
    private int received;

    @SpecVar("lastFrom")
    private String lastFrom = "";

    Node(String id, List<String> nodes) {
      super(id);
      for (String n : nodes) {
        if (!n.equals(id)) {
          others.add(n);
        }
      }
    }

    @Override
    public void start() {
      log.add(id + " start");
    }

    @Override
    public void onRequest(Object request) {
      setTimer("ping", 1);
    }

    @Override
    public void onTimer(String name) {
      String s = storage().getString("sent");
      int sent = s == null ? 0 : Integer.parseInt(s);
      if (sent < PINGS) {
        send(sent + 1);
        setTimer("ping", 3);
      }
    }

    @SpecAction(value = "Send", self = "p")
    void send(@SpecParam("k") int k) {
      storage().putString("sent", Integer.toString(k));
      for (String o : others) {
        send(o, new Ping(id, k));
      }
    }

    @Override
    public void onMessage(String from, Ping msg) {
      if (!from.equals(msg.from())) {
        log.add(id + " took " + msg.from() + "#" + msg.k() + " as from " + from);
      }
      receive(from, msg.k());
    }

    @SpecAction(value = "Receive", self = "p")
    void receive(@SpecParam("q") String from, @SpecParam("k") int k) {
      received++;
      lastFrom = from;
      storage().putString("received", Integer.toString(received));
      log.add(id + " got " + from + "#" + k);
    }

    @Override
    public void onCrashNotification(String crashed) {
      log.add(id + " suspects " + crashed);
    }

    @Override
    public void onRecover() {
      log.add(id + " recovered sent=" + storage().getString("sent") + " received=" + storage().getString("received")
          + " volatile=" + received);
      setTimer("ping", 1);
    }
  }
}
