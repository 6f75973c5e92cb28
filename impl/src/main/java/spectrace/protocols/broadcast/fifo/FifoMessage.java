package spectrace.protocols.broadcast.fifo;

import spectrace.core.Message;
import spectrace.protocols.broadcast.reliable.Msg;

/** The messages of FifoBroadcast.tla. */
public sealed interface FifoMessage extends Message {

  /**
   * {@code Data(from, m)}, {@code [type |-> "Data", from |-> from, src |-> src, sn |-> sn]}:
   * {@code from} sends message {@code sn} of {@code src} to every process, as its broadcast
   * or as a relay.
   */
  record Data(String from, String src, int sn) implements FifoMessage {
    public Data {
      if (from == null || src == null || sn < 1) {
        throw new IllegalArgumentException("Data needs a sender, the message's src and a sequence number from 1");
      }
    }

    /** The message this Data message carries. */
    public Msg carried() {
      return new Msg(src, sn);
    }
  }
}
