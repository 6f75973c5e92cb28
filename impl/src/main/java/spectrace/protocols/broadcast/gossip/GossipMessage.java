package spectrace.protocols.broadcast.gossip;

import spectrace.core.Message;
import spectrace.protocols.broadcast.reliable.Msg;

/** The messages of GossipBroadcast.tla. */
public sealed interface GossipMessage extends Message {

  /** {@code Gossip(m)}, {@code [type |-> "Gossip", m |-> m]}: broadcast message {@code m}, forwarded. */
  record Gossip(Msg m) implements GossipMessage {
    public Gossip {
      if (m == null) {
        throw new IllegalArgumentException("Gossip needs the message it carries");
      }
    }
  }
}
