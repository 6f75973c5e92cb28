package spectrace.protocols.vr;

import java.util.List;
import spectrace.core.Message;
import spectrace.kv.Command;

/**
 * The messages of VR.tla (Liskov and Cowling, "Viewstamped Replication Revisited", 2012), each
 * the record {@code [type |-> "<simple name>", ...]} with these fields in this order. The
 * sender and receiver are the packet's, not the message's: VRR's {@code i} fields are the
 * packet's {@code from}.
 */
public sealed interface VrMessage extends Message {

  /** {@code <Prepare v, m, n, k>} (§4.1): the request {@code entry} at op-number {@code op}, with the primary's commit-number. */
  record Prepare(int view, int op, Command entry, int commit) implements VrMessage {
    public Prepare {
      nonNegative(view, op, commit);
    }
  }

  /** {@code <PrepareOK v, n, i>} (§4.1): the backup holds the primary's log up to {@code op}. */
  record PrepareOk(int view, int op) implements VrMessage {
    public PrepareOk {
      nonNegative(view, op);
    }
  }

  /** {@code <Commit v, k>} (§4.1, step 6): the primary's commit-number, when it has nothing to prepare. */
  record Commit(int view, int commit) implements VrMessage {
    public Commit {
      nonNegative(view, commit);
    }
  }

  /** {@code <StartViewChange v, i>} (§4.2): the sender is changing to view {@code view}. */
  record StartViewChange(int view) implements VrMessage {
    public StartViewChange {
      nonNegative(view);
    }
  }

  /** {@code <DoViewChange v, l, v', n, k, i>} (§4.2): the sender's log, v' and commit-number, to the new primary. */
  record DoViewChange(int view, List<Command> log, int lastNormalView, int commit) implements VrMessage {
    public DoViewChange {
      nonNegative(view, lastNormalView, commit);
      log = List.copyOf(log);
    }
  }

  /** {@code <StartView v, l, n, k>} (§4.2): the new primary's log and commit-number. */
  record StartView(int view, List<Command> log, int commit) implements VrMessage {
    public StartView {
      nonNegative(view, commit);
      log = List.copyOf(log);
    }
  }

  /** {@code <Recovery i, x>} (§4.3): the restarted sender asks for the state, with its nonce. */
  record Recovery(int nonce) implements VrMessage {
    public Recovery {
      if (nonce < 1) {
        throw new IllegalArgumentException("a nonce is positive, not " + nonce);
      }
    }
  }

  /**
   * {@code <RecoveryResponse v, x, l, n, k, j>} (§4.3): the answer to the Recovery of nonce
   * {@code nonce}; the log and commit-number only from the primary (empty and 0 otherwise).
   */
  record RecoveryResponse(int view, int nonce, boolean primary, List<Command> log, int commit) implements VrMessage {
    public RecoveryResponse {
      nonNegative(view, nonce, commit);
      log = List.copyOf(log);
    }
  }

  /** {@code <GetState v, n, i>} (§5.2): the sender asks for the log of view {@code view} after op-number {@code op}. */
  record GetState(int view, int op) implements VrMessage {
    public GetState {
      nonNegative(view, op);
    }
  }

  /** {@code <NewState v, l, n, k>} (§5.2): the log after op-number {@code op}, and the commit-number. */
  record NewState(int view, int op, List<Command> entries, int commit) implements VrMessage {
    public NewState {
      nonNegative(view, op, commit);
      entries = List.copyOf(entries);
    }
  }

  private static void nonNegative(int... values) {
    for (int v : values) {
      if (v < 0) {
        throw new IllegalArgumentException("a VR message field is negative: " + v);
      }
    }
  }
}
