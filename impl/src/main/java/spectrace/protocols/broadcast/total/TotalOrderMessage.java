package spectrace.protocols.broadcast.total;

import spectrace.core.Message;
import spectrace.protocols.broadcast.reliable.Msg;

/** The messages of TotalOrderBroadcast.tla. */
public sealed interface TotalOrderMessage extends Message {

  /**
   * {@code Request(m)}, {@code [type |-> "Request", src |-> src, sn |-> sn]}: {@code src} asks
   * the sequencer to order its message {@code sn}.
   */
  record Request(String src, int sn) implements TotalOrderMessage {
    public Request {
      if (src == null || sn < 1) {
        throw new IllegalArgumentException("Request needs the message's src and a sequence number from 1");
      }
    }

    /** The message to order. */
    public Msg msg() {
      return new Msg(src, sn);
    }
  }

  /**
   * {@code Order(from, o)}, {@code [type |-> "Order", from |-> from, src |-> src, sn |-> sn,
   * seq |-> seq]}: {@code from} sends message {@code sn} of {@code src}, numbered {@code seq} by
   * the sequencer, to every process, as the sequencer's broadcast or as a relay.
   */
  record Order(String from, String src, int sn, int seq) implements TotalOrderMessage {
    public Order {
      if (from == null || src == null || sn < 1 || seq < 1) {
        throw new IllegalArgumentException("Order needs a sender, the message's src, and a sequence number and a"
            + " number from 1");
      }
    }

    /** Order from {@code from} carrying {@code o}. */
    public Order(String from, Numbered o) {
      this(from, o.src(), o.sn(), o.seq());
    }

    /** The numbered message this Order carries. */
    public Numbered numbered() {
      return new Numbered(src, sn, seq);
    }
  }
}
