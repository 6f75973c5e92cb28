package spectrace.protocols.broadcast.causal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.protocols.broadcast.causal.CausalMessage.Data;
import spectrace.protocols.broadcast.reliable.BroadcastRequest;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * A process of CausalBroadcast.tla: causal order by vector clocks (Birman, Schiper and
 * Stephenson's CBCAST) on eager reliable broadcast.
 *
 * <p>{@code vc[s]} counts the messages of {@code s} this process has delivered, its own
 * included: a broadcast counts its own entry up, stamps the message with the clock, sends it
 * as {@code Data(m, vt)} to every other process and delivers it at once. The first copy of a
 * message that arrives is relayed, stamp and all, to every other process, and waits in
 * {@code pending} until it is ready: the next message of its sender, with every message its
 * stamp counts from the others delivered; later copies are dropped with no step. Each input
 * ends by delivering every pending message that is ready, one {@code Deliver} action each.
 */
public class CausalProcess extends ProtocolNode<CausalMessage> {

  /** {@code broadcasts[p]}: how many messages this process has broadcast ({@code vc[p][p]} too). */
  @SpecVar(value = "broadcasts", indexed = true)
  protected int broadcasts;

  /** {@code delivered[p]}: the messages this process has delivered, in order. */
  @SpecVar(value = "delivered", indexed = true)
  protected final List<Msg> delivered = new ArrayList<>();

  /** {@code vc[p]}: for each process, how many of its messages this process has delivered. */
  @SpecVar(value = "vc", indexed = true)
  protected final SortedMap<String, Integer> vc = new TreeMap<>();

  /** {@code rbDelivered[p]}: the messages reliable broadcast has given this process. */
  @SpecVar(value = "rbDelivered", indexed = true)
  protected final SortedSet<Msg> rbDelivered = new TreeSet<>();

  /** {@code pending[p]}: the stamped messages this process holds until they are ready. */
  @SpecVar(value = "pending", indexed = true)
  protected final SortedSet<Stamped> pending = new TreeSet<>();

  /** Every process, this one included. */
  protected final List<String> procs;

  public CausalProcess(String id, List<String> procs) {
    super(id);
    this.procs = List.copyOf(procs);
    for (String s : procs) {
      vc.put(s, 0);
    }
  }

  /** How many messages this process has broadcast. */
  public int broadcasts() {
    return broadcasts;
  }

  /** This process's vector clock. */
  public Map<String, Integer> vc() {
    return Map.copyOf(vc);
  }

  /** The messages this process has delivered, in order. */
  public List<Msg> delivered() {
    return List.copyOf(delivered);
  }

  @Override
  public void onRequest(Object request) {
    if (request instanceof BroadcastRequest) {
      broadcast();
    }
  }

  @Override
  public void onMessage(String from, CausalMessage msg) {
    // A copy of a message that reliable broadcast has already given us is no step.
    if (msg instanceof Data d && !rbDelivered.contains(d.m())) {
      receive(from, d.m(), d.stamped());
      deliverReady();
    }
  }

  /** Broadcast(p): count our entry up, stamp the message with the clock, send it, deliver it. */
  @SpecAction(value = "Broadcast", self = "p")
  protected void broadcast() {
    broadcasts++;
    vc.merge(id, 1, Integer::sum);
    Stamped s = new Stamped(id, broadcasts, vc);
    delivered.add(s.msg());
    rbDelivered.add(s.msg());
    deliver(s.msg());
    toOthers(new Data(s));
  }

  /** Receive(p, q, m): m, stamped s, from q is new to us; hold it, and relay it. */
  @SpecAction(value = "Receive", self = "p")
  protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m, Stamped s) {
    rbDelivered.add(m);
    pending.add(s);
    toOthers(new Data(s));
  }

  /** Delivers, one Deliver action each, every pending message that is ready. */
  protected void deliverReady() {
    for (Stamped s = nextReady(); s != null; s = nextReady()) {
      causalDeliver(s.msg(), s);
    }
  }

  private Stamped nextReady() {
    for (Stamped s : pending) {
      if (ready(s)) {
        return s;
      }
    }
    return null;
  }

  /**
   * Ready(p, s): s is the next message of its sender, and we have delivered every message
   * that its sender had delivered from the others when it broadcast s.
   */
  protected boolean ready(Stamped s) {
    if (s.sn() != vc.get(s.src()) + 1) {
      return false;
    }
    for (Map.Entry<String, Integer> e : s.vt().entrySet()) {
      if (!e.getKey().equals(s.src()) && e.getValue() > vc.get(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  /** Deliver(p, m): deliver m, stamped s, and count it in our clock. */
  @SpecAction(value = "Deliver", self = "p")
  protected void causalDeliver(@SpecParam("m") Msg m, Stamped s) {
    delivered.add(m);
    vc.merge(m.src(), 1, Integer::sum);
    pending.remove(s);
    deliver(m);
  }

  /** {@code ToOthers(p, d)}: sends {@code d} to every other process (this one has the message already). */
  protected void toOthers(Data d) {
    for (String q : procs) {
      if (!q.equals(id)) {
        send(q, d);
      }
    }
  }
}
