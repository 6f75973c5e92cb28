package spectrace.protocols.broadcast.urb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
   * {@code ack[p]}: for each message, the processes this one knows to have it. Not logged:
   * the trace writes map keys as strings, and these keys are messages; validation follows
   * {@code ack} through the Receive events that change it.
   */
  protected final Map<Msg, Set<String>> ack = new HashMap<>();

  public MajorityAckProcess(String id, List<String> procs, int maxBcast) {
    super(id, procs, maxBcast);
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
    return ack.computeIfAbsent(m, k -> new TreeSet<>());
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
    acks(m).add(q);
    if (pending.add(m)) {
      acks(m).add(id);
      relay(m);
    }
  }

  /** Deliver(p, m): a majority has the pending message m. */
  @SpecAction(value = "Deliver", self = "p")
  protected void deliverPending(@SpecParam("m") Msg m) {
    deliverMsg(m);
  }
}
