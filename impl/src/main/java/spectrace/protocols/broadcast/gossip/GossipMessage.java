package spectrace.protocols.broadcast.gossip;

import spectrace.core.Message;
import spectrace.protocols.broadcast.reliable.Msg;

/** The messages of GossipBroadcast.tla. */
public sealed interface GossipMessage extends Message {

  /** {@code Gossip(m)}, {@code [type |-> "Gossip", src |-> src, sn |-> sn]}: message {@code sn} of {@code src}. */
  record Gossip(String src, int sn) implements GossipMessage {
    public Gossip {
      if (src == null || sn < 1) {
        throw new IllegalArgumentException("Gossip needs the message's src and a sequence number from 1");
      }
    }

    /** Gossip carrying {@code m}. */
    public Gossip(Msg m) {
      this(m.src(), m.sn());
    }

    /** The message it carries. */
    public Msg msg() {
      return new Msg(src, sn);
    }
  }
}
