package spectrace.protocols.broadcast.reliable;

import spectrace.core.Message;

/**
 * What the links of the reliable broadcast family carry: Broadcast.tla's packets, whose
 * content is one broadcast message (Cachin et al.'s {@code [DATA, s, m]}, with the sender
 * {@code s} inside {@link Msg}).
 */
public sealed interface BroadcastMessage extends Message {

  /** {@code [DATA, m.src, m]}: the broadcast message m, sent or relayed. */
  record Data(Msg m) implements BroadcastMessage {
    public Data {
      if (m == null) {
        throw new IllegalArgumentException("Data needs a message");
      }
    }
  }
}
