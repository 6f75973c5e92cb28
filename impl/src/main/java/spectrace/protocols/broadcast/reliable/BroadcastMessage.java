package spectrace.protocols.broadcast.reliable;

import spectrace.core.Message;

/**
 * What the links of the reliable broadcast family and of FIFO broadcast carry: the {@code msg}
 * of Broadcast.tla's (and FifoBroadcast.tla's) packets, one broadcast message in a
 * {@code Data} (Cachin et al.'s {@code [DATA, s, m]}, with the sender {@code s} inside
 * {@link Msg}). The packet's sender and destination are the link's, not fields of the message.
 */
public sealed interface BroadcastMessage extends Message {

  /** {@code Data(m)}, {@code [type |-> "Data", m |-> m]}: the broadcast message m, sent or relayed. */
  record Data(Msg m) implements BroadcastMessage {
    public Data {
      if (m == null) {
        throw new IllegalArgumentException("Data needs a message");
      }
    }
  }
}
