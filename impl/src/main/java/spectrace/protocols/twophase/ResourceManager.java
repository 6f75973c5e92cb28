package spectrace.protocols.twophase;

import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecVar;
import spectrace.protocols.twophase.TwoPhaseMessage.Abort;
import spectrace.protocols.twophase.TwoPhaseMessage.Commit;
import spectrace.protocols.twophase.TwoPhaseMessage.Prepared;

/**
 * A resource manager of TwoPhase.tla. The workload's {@link Vote} tells it whether its part
 * of the transaction can commit: it prepares and votes, or aborts on its own. It then obeys
 * the TM's decision, each time the decision arrives.
 */
public class ResourceManager extends ProtocolNode<TwoPhaseMessage> {

  @SpecVar(value = "rmState", indexed = true)
  protected RMState rmState = RMState.WORKING;

  protected final String tm;

  public ResourceManager(String id, String tm) {
    super(id);
    this.tm = tm;
  }

  /** This RM's state. */
  public RMState rmState() {
    return rmState;
  }

  @Override
  public void onRequest(Object request) {
    if (request instanceof Vote v && rmState == RMState.WORKING) {
      if (v.yes()) {
        rmPrepare();
      } else {
        rmChooseToAbort();
      }
    }
  }

  @Override
  public void onMessage(String from, TwoPhaseMessage msg) {
    // Prepared goes to the TM only.
    if (msg instanceof Commit) {
      rmRcvCommitMsg();
    } else if (msg instanceof Abort) {
      rmRcvAbortMsg();
    }
  }

  /** RMPrepare(rm): prepare, and vote to commit. */
  @SpecAction(value = "RMPrepare", self = "rm")
  protected void rmPrepare() {
    rmState = RMState.PREPARED;
    send(tm, new Prepared(id));
  }

  /** RMChooseToAbort(rm): abort on its own, before preparing. */
  @SpecAction(value = "RMChooseToAbort", self = "rm")
  protected void rmChooseToAbort() {
    rmState = RMState.ABORTED;
    decide(RMState.ABORTED);
  }

  /** RMRcvCommitMsg(rm): the TM decided to commit. */
  @SpecAction(value = "RMRcvCommitMsg", self = "rm")
  protected void rmRcvCommitMsg() {
    if (rmState != RMState.COMMITTED) {
      decide(RMState.COMMITTED);
    }
    rmState = RMState.COMMITTED;
  }

  /** RMRcvAbortMsg(rm): the TM decided to abort. */
  @SpecAction(value = "RMRcvAbortMsg", self = "rm")
  protected void rmRcvAbortMsg() {
    if (rmState != RMState.ABORTED) {
      decide(RMState.ABORTED);
    }
    rmState = RMState.ABORTED;
  }
}
