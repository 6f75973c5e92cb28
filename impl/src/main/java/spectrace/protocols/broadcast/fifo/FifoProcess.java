package spectrace.protocols.broadcast.fifo;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastMessage.Data;
import spectrace.protocols.broadcast.reliable.BroadcastRequest;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * A process of FifoBroadcast.tla: FIFO order by sequence numbers (Cachin, Guerraoui and
 * Rodrigues, Algorithm 3.12) on eager reliable broadcast (Algorithm 3.3).
 *
 * <p>A broadcast numbers the message with the next sequence number ({@code broadcasts} + 1)
 * and sends it, as {@code Data(m)}, to every other process; the first copy of a message that
 * arrives is relayed to every other process, and later copies are dropped with no step. A
 * message waits in {@code pending} until every earlier message of its sender has been
 * delivered; each input ends by delivering every pending message whose turn has come, one
 * {@code Deliver} action each.
 */
public class FifoProcess extends ProtocolNode<BroadcastMessage> {

  /** {@code broadcasts[p]}: how many messages this process has broadcast. */
  @SpecVar(value = "broadcasts", indexed = true)
  protected int broadcasts;

  /** {@code delivered[p]}: the messages this process has delivered, in order. */
  @SpecVar(value = "delivered", indexed = true)
  protected final List<Msg> delivered = new ArrayList<>();

  /** {@code rbDelivered[p]}: the messages reliable broadcast has given this process. */
  @SpecVar(value = "rbDelivered", indexed = true)
  protected final SortedSet<Msg> rbDelivered = new TreeSet<>();

  /** {@code pending[p]}: the messages this process holds until their turn. */
  @SpecVar(value = "pending", indexed = true)
  protected final SortedSet<Msg> pending = new TreeSet<>();

  /** {@code next[p][s]}: the sequence number this process delivers next from s. */
  @SpecVar(value = "next", indexed = true)
  protected final SortedMap<String, Integer> next = new TreeMap<>();

  /** Every process, this one included. */
  protected final List<String> procs;

  public FifoProcess(String id, List<String> procs) {
    super(id);
    this.procs = List.copyOf(procs);
    for (String s : procs) {
      next.put(s, 1);
    }
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
      deliverInTurn();
    }
  }

  @Override
  public void onMessage(String from, BroadcastMessage msg) {
    // A copy of a message that reliable broadcast has already given us is no step.
    if (msg instanceof Data d && !rbDelivered.contains(d.m())) {
      receive(from, d.m());
      deliverInTurn();
    }
  }

  /** Broadcast(p): number the next message, send it to every other process, and take it at once. */
  @SpecAction(value = "Broadcast", self = "p")
  protected void broadcast() {
    broadcasts++;
    Msg m = new Msg(id, broadcasts);
    rbDelivered.add(m);
    pending.add(m);
    toOthers(m);
  }

  /** Receive(p, q, m): m from q is new to us; reliable broadcast gives it to us, and we relay it. */
  @SpecAction(value = "Receive", self = "p")
  protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m) {
    rbDelivered.add(m);
    pending.add(m);
    toOthers(m);
  }

  /** Delivers, one Deliver action each, every pending message whose turn has come. */
  protected void deliverInTurn() {
    for (Msg m = nextInTurn(); m != null; m = nextInTurn()) {
      fifoDeliver(m);
    }
  }

  private Msg nextInTurn() {
    for (Msg m : pending) {
      if (inTurn(m)) {
        return m;
      }
    }
    return null;
  }

  /** InTurn(p, m): every earlier message of m's sender has been delivered. */
  protected boolean inTurn(Msg m) {
    return m.sn() == next.get(m.src());
  }

  /** Deliver(p, m): deliver m, and expect the next message of its sender. */
  @SpecAction(value = "Deliver", self = "p")
  protected void fifoDeliver(@SpecParam("m") Msg m) {
    delivered.add(m);
    pending.remove(m);
    next.merge(m.src(), 1, Integer::sum);
    deliver(m);
  }

  /** {@code ToOthers(p, m)}: sends {@code Data(m)} to every other process (this one has m already). */
  protected void toOthers(Msg m) {
    for (String q : procs) {
      if (!q.equals(id)) {
        send(q, new Data(m));
      }
    }
  }
}
