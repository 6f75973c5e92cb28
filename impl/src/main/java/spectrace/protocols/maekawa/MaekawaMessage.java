package spectrace.protocols.maekawa;

import spectrace.core.Message;

/**
 * The messages of Maekawa.tla. Only a REQUEST carries anything: its timestamp. The others
 * need nothing, since each link's two ends know who is talking.
 */
public sealed interface MaekawaMessage extends Message {

  /** {@code [type |-> "Request", ts |-> ts]}: the sender asks for the receiver's vote. */
  record Request(Timestamp ts) implements MaekawaMessage {
    public Request {
      if (ts == null || ts.equals(Timestamp.NONE)) {
        throw new IllegalArgumentException("a Request needs a timestamp");
      }
    }
  }

  /** {@code [type |-> "Grant"]}: the sender's vote (Maekawa's LOCKED). */
  record Grant() implements MaekawaMessage {}

  /** {@code [type |-> "Failed"]}: at the sender, another request comes first. */
  record Failed() implements MaekawaMessage {}

  /** {@code [type |-> "Inquire"]}: the sender would like its vote back. */
  record Inquire() implements MaekawaMessage {}

  /** {@code [type |-> "Yield"]}: the sender gives the receiver's vote back (Maekawa's RELINQUISH). */
  record Yield() implements MaekawaMessage {}

  /** {@code [type |-> "Release"]}: the sender has left the critical section; the vote is free. */
  record Release() implements MaekawaMessage {}
}
