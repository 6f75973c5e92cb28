package spectrace.protocols.broadcast.erb;

import java.util.List;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.reliable.BroadcastNode;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * A process of eager reliable broadcast (specs/broadcast/EagerReliableBroadcast.tla; Cachin et
 * al., algorithm 3.3): it delivers a message the first time it receives it and, unless the
 * message is its own, relays it to every other process, so that a message any correct
 * process delivers reaches every correct process even if its sender crashed.
 */
public class EagerProcess extends BroadcastNode {

  public EagerProcess(String id, List<String> procs, int maxBcast) {
    super(id, procs, maxBcast);
  }

  /** Broadcast(p): send the next message to every process, this one included. */
  @Override
  @SpecAction(value = "Broadcast", self = "p")
  protected void broadcast() {
    Msg m = nextMsg();
    broadcasts++;
    sendToAll(m);
  }

  /** Receive(p, q, m): the first copy is delivered and relayed (unless m is ours); later copies are dropped. */
  @Override
  @SpecAction(value = "Receive", self = "p")
  protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m) {
    if (hasDelivered(m)) {
      return;
    }
    deliverMsg(m);
    if (!m.src().equals(id)) {
      relay(m);
    }
  }
}
