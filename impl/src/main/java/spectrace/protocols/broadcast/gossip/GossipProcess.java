package spectrace.protocols.broadcast.gossip;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.protocols.broadcast.gossip.GossipMessage.Gossip;
import spectrace.protocols.broadcast.reliable.BroadcastRequest;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * A process of GossipBroadcast.tla: push gossip, infect and die. A process that broadcasts a
 * message, or receives one for the first time, delivers it and forwards it to {@code fanout}
 * processes drawn at random among the others (from the runtime's seeded
 * {@link #random() random source}); it never forwards that message again, and drops later
 * copies.
 */
public class GossipProcess extends ProtocolNode<GossipMessage> {

  /** {@code broadcasts[p]}: how many messages this process has broadcast. */
  @SpecVar(value = "broadcasts", indexed = true)
  protected int broadcasts;

  /** {@code delivered[p]}: the messages this process has delivered, in order. */
  @SpecVar(value = "delivered", indexed = true)
  protected final List<Msg> delivered = new ArrayList<>();

  /** Every process, this one included. */
  protected final List<String> procs;
  /** To how many processes a message is forwarded (all the others, if there are fewer). */
  protected final int fanout;

  public GossipProcess(String id, List<String> procs, int fanout) {
    super(id);
    if (fanout < 1) {
      throw new IllegalArgumentException("the fanout must be at least 1, not " + fanout);
    }
    this.procs = List.copyOf(procs);
    this.fanout = fanout;
  }

  /** How many messages this process has broadcast. */
  public int broadcasts() {
    return broadcasts;
  }

  /** The messages this process has delivered, in order. */
  public List<Msg> delivered() {
    return List.copyOf(delivered);
  }

  @Override
  public void onRequest(Object request) {
    if (request instanceof BroadcastRequest) {
      broadcast(targets());
    }
  }

  @Override
  public void onMessage(String from, GossipMessage msg) {
    // A copy of a message already delivered is dropped: no step.
    if (msg instanceof Gossip g && !delivered.contains(g.m())) {
      receive(from, g.m(), targets());
    }
  }

  /** Broadcast(p, t): deliver our next message, and forward it to the processes in t. */
  @SpecAction(value = "Broadcast", self = "p")
  protected void broadcast(@SpecParam("t") SortedSet<String> t) {
    broadcasts++;
    Msg m = new Msg(id, broadcasts);
    delivered.add(m);
    deliver(m);
    forward(m, t);
  }

  /** Receive(p, q, m, t): m from q is new to us; deliver it, and forward it to the processes in t. */
  @SpecAction(value = "Receive", self = "p")
  protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m, @SpecParam("t") SortedSet<String> t) {
    delivered.add(m);
    deliver(m);
    forward(m, t);
  }

  /** {@code Forward(p, m, t)}: sends {@code Gossip(m)} to every process in t. */
  protected void forward(Msg m, SortedSet<String> t) {
    Gossip g = new Gossip(m);
    for (String q : t) {
      send(q, g);
    }
  }

  /** Targets(p): fanout processes other than this one, drawn at random (all of them, if there are no more). */
  protected SortedSet<String> targets() {
    SortedSet<String> t = new TreeSet<>();
    int others = procs.size() - 1;
    int k = Math.min(fanout, others);
    SplittableRandom random = random();
    if (2 * k > others) {
      // Few others: take them all, then drop the surplus at random.
      List<String> pool = new ArrayList<>(procs);
      pool.remove(id);
      while (pool.size() > k) {
        pool.remove(random.nextInt(pool.size()));
      }
      t.addAll(pool);
      return t;
    }
    // Many others: draw until k distinct ones (each draw succeeds with probability above one half).
    while (t.size() < k) {
      String q = procs.get(random.nextInt(procs.size()));
      if (!q.equals(id)) {
        t.add(q);
      }
    }
    return t;
  }
}
