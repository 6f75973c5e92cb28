package spectrace.protocols.broadcast.total;

import spectrace.core.Message;
import spectrace.protocols.broadcast.reliable.Msg;

/** The messages of TotalOrderBroadcast.tla. */
public sealed interface TotalOrderMessage extends Message {

  /**
   * {@code Request(m)}, {@code [type |-> "Request", m |-> m]}: m's sender asks the sequencer
   * to order m.
   */
  record Request(Msg m) implements TotalOrderMessage {
    public Request {
      if (m == null) {
        throw new IllegalArgumentException("Request needs the message to order");
      }
    }
  }

  /**
   * {@code Order(m, seq)}, {@code [type |-> "Order", m |-> m, seq |-> seq]}: message {@code m},
   * numbered {@code seq} by the sequencer, as the sequencer's broadcast or as a relay.
   */
  record Order(Msg m, int seq) implements TotalOrderMessage {
    public Order {
      if (m == null || seq < 1) {
        throw new IllegalArgumentException("Order needs a message and a number from 1");
      }
    }

    /** Order carrying {@code o}. */
    public Order(Numbered o) {
      this(o.msg(), o.seq());
    }

    /** The numbered message this Order carries. */
    public Numbered numbered() {
      return new Numbered(m, seq);
    }
  }
}
