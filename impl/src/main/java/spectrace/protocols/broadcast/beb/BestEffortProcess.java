package spectrace.protocols.broadcast.beb;

import java.util.List;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.reliable.BroadcastNode;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * A process of best-effort broadcast (specs/broadcast/BestEffortBroadcast.tla; Cachin et al.,
 * algorithm 3.1, Basic Broadcast): it sends its message to every process and delivers every
 * message it receives. Perfect links deliver each message at most once, so it keeps no
 * record of what it has seen.
 */
public class BestEffortProcess extends BroadcastNode {

  public BestEffortProcess(String id, List<String> procs, int maxBcast) {
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

  /** Receive(p, q, m): deliver what arrives. */
  @Override
  @SpecAction(value = "Receive", self = "p")
  protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m) {
    deliverMsg(m);
  }
}
