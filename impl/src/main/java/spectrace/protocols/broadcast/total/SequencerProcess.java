package spectrace.protocols.broadcast.total;

import java.util.ArrayList;
import java.util.List;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.protocols.broadcast.total.TotalOrderMessage.Order;
import spectrace.protocols.broadcast.total.TotalOrderMessage.Request;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * The sequencer of TotalOrderBroadcast.tla: a process like the others, which also numbers the
 * messages in the order their Requests arrive and broadcasts each in an Order.
 */
public class SequencerProcess extends TotalOrderProcess {

  @SpecVar("sequenced")
  protected final List<Msg> sequenced = new ArrayList<>();

  public SequencerProcess(String id, List<String> procs) {
    super(id, procs, id);
  }

  /** The messages this sequencer has numbered, in number order. */
  public List<Msg> sequenced() {
    return List.copyOf(sequenced);
  }

  @Override
  public void onMessage(String from, TotalOrderMessage msg) {
    if (msg instanceof Request r) {
      // A Request for a message already numbered is no step.
      if (!sequenced.contains(r.m())) {
        sequence(r.m());
        deliverInTurn();
      }
    } else {
      super.onMessage(from, msg);
    }
  }

  /** Sequence(m): give m the next number, send it to every other process, and take it at once. */
  @SpecAction("Sequence")
  protected void sequence(@SpecParam("m") Msg m) {
    sequenced.add(m);
    Numbered o = new Numbered(m, sequenced.size());
    rbDelivered.add(o);
    pending.add(o);
    toOthers(new Order(o));
  }
}
