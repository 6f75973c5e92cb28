package spectrace.protocols.broadcast.urb;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import spectrace.core.SpecMap;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastMessage.Data;
import spectrace.protocols.broadcast.reliable.BroadcastNode;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * A process of majority-ack uniform reliable broadcast
 * (specs/broadcast/UniformReliableBroadcast.tla; Cachin et al., algorithm 3.5): it relays a
 * message the first time it sees it, and delivers it only once a majority of the processes
 * are known to have it, each copy received from q telling it that q has.
 */
public class MajorityAckProcess extends BroadcastNode {

  /** {@code pending[p]}: the messages this process has relayed or broadcast, delivered or not. */
  @SpecVar(value = "pending", indexed = true)
  protected final Set<Msg> pending = new TreeSet<>();

  /**
   * {@code ack[p]}: for each message of {@code Msgs} (every process's first {@code MaxBcast}
   * messages, as the spec's domain has them), the processes this one knows to have it. Logged
   * as its updates in place: the keys a Receive sets. Its values are immutable sets, put again
   * when they change, so that the map sees the change.
   */
  @SpecVar(value = "ack", indexed = true)
  protected final SpecMap<Msg, Set<String>> ack = new SpecMap<>();

  public MajorityAckProcess(String id, List<String> procs, int maxBcast) {
    super(id, procs, maxBcast);
    for (String src : procs) {
      for (int sn = 1; sn <= maxBcast; sn++) {
        ack.put(new Msg(src, sn), Set.of());
      }
    }
  }

  /** Receive(p, q, m), then Deliver(p, m) if that copy completed a majority. */
  @Override
  public void onMessage(String from, BroadcastMessage msg) {
    if (msg instanceof Data d) {
      receive(from, d.m());
      if (pending.contains(d.m()) && !hasDelivered(d.m()) && canDeliver(d.m())) {
        deliverPending(d.m());
      }
    }
  }

  /** {@code CanDeliver(p, m)}: a majority of the processes have m. */
  protected boolean canDeliver(Msg m) {
    return 2 * acks(m).size() > procs.size();
  }

  /** {@code ack[p][m]}. */
  protected final Set<String> acks(Msg m) {
    Set<String> a = ack.get(m);
    return a == null ? Set.of() : a;
  }

  /** {@code ack[p][m] \cup {q}}. */
  private void addAck(Msg m, String q) {
    Set<String> a = new TreeSet<>(acks(m));
    if (a.add(q)) {
      ack.put(m, java.util.Collections.unmodifiableSet(a));
    }
  }

  /** Broadcast(p): keep the next message pending, and send it to every process, this one included. */
  @Override
  @SpecAction(value = "Broadcast", self = "p")
  protected void broadcast() {
    Msg m = nextMsg();
    broadcasts++;
    pending.add(m);
    sendToAll(m);
  }

  /** Receive(p, q, m): q has m; the first time this process sees m, it relays m, and has it too. */
  @Override
  @SpecAction(value = "Receive", self = "p")
  protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m) {
    addAck(m, q);
    if (pending.add(m)) {
      addAck(m, id);
      relay(m);
    }
  }

  /** Deliver(p, m): a majority has the pending message m. */
  @SpecAction(value = "Deliver", self = "p")
  protected void deliverPending(@SpecParam("m") Msg m) {
    deliverMsg(m);
  }
}
