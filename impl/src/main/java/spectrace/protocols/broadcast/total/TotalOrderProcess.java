package spectrace.protocols.broadcast.total;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.protocols.broadcast.total.TotalOrderMessage.Order;
import spectrace.protocols.broadcast.total.TotalOrderMessage.Request;
import spectrace.protocols.broadcast.reliable.BroadcastRequest;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * A process of TotalOrderBroadcast.tla. A broadcast sends a {@link Request} to the sequencer
 * ({@link SequencerProcess}), which numbers the message and sends it in an {@link Order} to
 * every other process. The first copy of an Order that arrives is relayed to every other
 * process (eager reliable broadcast), later copies are dropped with no step, and the message
 * waits in {@code pending} until every smaller number has been delivered. Each
 * input ends by delivering every pending message whose turn has come, one {@code Deliver}
 * action each.
 */
public class TotalOrderProcess extends ProtocolNode<TotalOrderMessage> {

  /** {@code broadcasts[p]}: how many messages this process has broadcast. */
  @SpecVar(value = "broadcasts", indexed = true)
  protected int broadcasts;

  /** {@code delivered[p]}: the messages this process has delivered, in order. */
  @SpecVar(value = "delivered", indexed = true)
  protected final List<Msg> delivered = new ArrayList<>();

  /** {@code rbDelivered[p]}: the numbered messages reliable broadcast has given this process. */
  @SpecVar(value = "rbDelivered", indexed = true)
  protected final SortedSet<Numbered> rbDelivered = new TreeSet<>();

  /** {@code pending[p]}: the numbered messages this process holds until their turn. */
  @SpecVar(value = "pending", indexed = true)
  protected final SortedSet<Numbered> pending = new TreeSet<>();

  /** Every process, this one included. */
  protected final List<String> procs;
  /** The process that orders the messages. */
  protected final String sequencer;

  public TotalOrderProcess(String id, List<String> procs, String sequencer) {
    super(id);
    this.procs = List.copyOf(procs);
    this.sequencer = sequencer;
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
      broadcast();
    }
  }

  @Override
  public void onMessage(String from, TotalOrderMessage msg) {
    // A copy of an Order that reliable broadcast has already given us is no step.
    if (msg instanceof Order o && !rbDelivered.contains(o.numbered())) {
      receive(from, o.m(), o.numbered());
      deliverInTurn();
    }
  }

  /** Broadcast(p): ask the sequencer to order our next message. */
  @SpecAction(value = "Broadcast", self = "p")
  protected void broadcast() {
    broadcasts++;
    send(sequencer, new Request(new Msg(id, broadcasts)));
  }

  /** Receive(p, q, m): m, numbered o, from q is new to us; hold it, and relay it. */
  @SpecAction(value = "Receive", self = "p")
  protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m, Numbered o) {
    rbDelivered.add(o);
    pending.add(o);
    toOthers(new Order(o));
  }

  /** Delivers, one Deliver action each, every pending message whose turn has come. */
  protected void deliverInTurn() {
    for (Numbered o = nextInTurn(); o != null; o = nextInTurn()) {
      totalDeliver(o.msg(), o);
    }
  }

  private Numbered nextInTurn() {
    for (Numbered o : pending) {
      if (inTurn(o)) {
        return o;
      }
    }
    return null;
  }

  /** InTurn(p, o): every message with a smaller number has been delivered. */
  protected boolean inTurn(Numbered o) {
    return o.seq() == delivered.size() + 1;
  }

  /** Deliver(p, m): deliver m, numbered o. */
  @SpecAction(value = "Deliver", self = "p")
  protected void totalDeliver(@SpecParam("m") Msg m, Numbered o) {
    delivered.add(m);
    pending.remove(o);
    deliver(m);
  }

  /** {@code ToOthers(p, o)}: sends {@code o} to every other process. */
  protected void toOthers(Order o) {
    for (String q : procs) {
      if (!q.equals(id)) {
        send(q, o);
      }
    }
  }
}
