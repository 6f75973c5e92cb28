package spectrace.protocols.twophase;

import spectrace.core.Message;

/** The messages of TwoPhase.tla: an RM's vote, and the TM's two decisions. */
public sealed interface TwoPhaseMessage extends Message {

  /** {@code [type |-> "Prepared", rm |-> rm]}: rm has prepared and votes to commit. */
  record Prepared(String rm) implements TwoPhaseMessage {
    public Prepared {
      if (rm == null || rm.isEmpty()) {
        throw new IllegalArgumentException("Prepared needs an rm");
      }
    }
  }

  /** {@code [type |-> "Commit"]}: the TM decided to commit. */
  record Commit() implements TwoPhaseMessage {}

  /** {@code [type |-> "Abort"]}: the TM decided to abort. */
  record Abort() implements TwoPhaseMessage {}
}
