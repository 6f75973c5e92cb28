package spectrace.protocols.broadcast.reliable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecVar;
import spectrace.protocols.broadcast.reliable.BroadcastMessage.Data;

/**
 * A process of one of the reliable broadcast algorithms, with what Broadcast.tla gives them
 * all: its count of broadcasts, its deliveries in order, and the sends of a best-effort
 * broadcast and of a relay. Each algorithm's process adds its own variables and implements
 * its spec's actions ({@code Broadcast(p)}, {@code Receive(p, q, m)}, ...), each method
 * annotated with the action it is.
 */
public abstract class BroadcastNode extends ProtocolNode<BroadcastMessage> {

  /** {@code broadcasts[p]}: how many messages this process has broadcast. */
  @SpecVar(value = "broadcasts", indexed = true)
  protected int broadcasts;

  /** {@code delivered[p]}: the messages this process has delivered, in order. */
  @SpecVar(value = "delivered", indexed = true)
  protected final List<Msg> delivered = new ArrayList<>();

  /** The same messages, for lookups. */
  private final Set<Msg> deliveredSet = new HashSet<>();

  /** Every process of the run ({@code Proc}), this one included, in the run's order. */
  protected final List<String> procs;

  /** {@code MaxBcast}: how many messages this process may broadcast. */
  protected final int maxBcast;

  protected BroadcastNode(String id, List<String> procs, int maxBcast) {
    super(id);
    this.procs = List.copyOf(procs);
    this.maxBcast = maxBcast;
  }

  /** The messages this process has delivered, in order. */
  public final List<Msg> delivered() {
    return Collections.unmodifiableList(delivered);
  }

  /** How many messages this process has broadcast. */
  public final int broadcasts() {
    return broadcasts;
  }

  @Override
  public void onRequest(Object request) {
    if (request instanceof BroadcastRequest && broadcasts < maxBcast) {
      broadcast();
    }
  }

  @Override
  public void onMessage(String from, BroadcastMessage msg) {
    if (msg instanceof Data d) {
      receive(from, d.m());
    }
  }

  /** {@code Broadcast(p)}: broadcast the next message. Called when {@link #canBroadcast()}. */
  protected abstract void broadcast();

  /** {@code Receive(p, q, m)}: m arrived from q over a perfect link. */
  protected abstract void receive(String q, Msg m);

  /** {@code CanBroadcast(p)}. */
  protected final boolean canBroadcast() {
    return broadcasts < maxBcast;
  }

  /** {@code NextMsg(p)}: the message this process broadcasts next. */
  protected final Msg nextMsg() {
    return new Msg(id, broadcasts + 1);
  }

  /** {@code ToAll(p, m)}: sends m to every process, this one included (a best-effort broadcast). */
  protected final void sendToAll(Msg m) {
    for (String q : procs) {
      send(q, new Data(m));
    }
  }

  /** {@code Relay(p, m)}: sends m to every other process. */
  protected final void relay(Msg m) {
    for (String q : procs) {
      if (!q.equals(id)) {
        send(q, new Data(m));
      }
    }
  }

  /** True when this process has delivered m: {@code m \in Delivered(p)}. */
  protected final boolean hasDelivered(Msg m) {
    return deliveredSet.contains(m);
  }

  /** Appends m to {@code delivered[p]} and hands it to the application. */
  protected final void deliverMsg(Msg m) {
    delivered.add(m);
    deliveredSet.add(m);
    deliver(m);
  }
}
