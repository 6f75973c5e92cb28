package spectrace.protocols.twophase;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.protocols.twophase.TwoPhaseMessage.Commit;
import spectrace.protocols.twophase.TwoPhaseMessage.Abort;
import spectrace.protocols.twophase.TwoPhaseMessage.Prepared;

/**
 * The transaction manager of TwoPhase.tla. Its decision is durable (storage key
 * {@value #DECISION}) and written before the decision is sent; the votes are volatile. It
 * aborts when the votes do not all arrive within {@link #TIMEOUT} ticks, and after a crash it
 * recovers its decision, or, undecided, waits for votes again until the timeout aborts.
 */
public class TransactionManager extends ProtocolNode<TwoPhaseMessage> {

  /** The storage key of the durable decision. */
  public static final String DECISION = "tmState";
  /** Ticks the TM waits for every vote before it aborts. */
  public static final long TIMEOUT = 200;
  static final String TIMER = "vote-timeout";

  @SpecVar("tmState")
  protected TMState tmState = TMState.INIT;

  @SpecVar("tmPrepared")
  protected final Set<String> tmPrepared = new TreeSet<>();

  protected final List<String> rms;

  public TransactionManager(String id, List<String> rms) {
    super(id);
    this.rms = List.copyOf(rms);
  }

  /** The TM's decision. */
  public TMState tmState() {
    return tmState;
  }

  @Override
  public void start() {
    setTimer(TIMER, TIMEOUT);
  }

  @Override
  public void onMessage(String from, TwoPhaseMessage msg) {
    // Commit and Abort are the TM's own messages; only votes come to it.
    if (msg instanceof Prepared p && tmState == TMState.INIT && rms.contains(p.rm())) {
      tmRcvPrepared(p.rm());
      if (canCommit()) {
        tmCommit();
      }
    }
  }

  @Override
  public void onTimer(String name) {
    if (name.equals(TIMER) && tmState == TMState.INIT) {
      tmAbort();
    }
  }

  /** TMCanCommit: every RM has voted. */
  protected boolean canCommit() {
    return tmPrepared.size() == rms.size();
  }

  /** TMRcvPrepared(rm): record rm's vote. */
  @SpecAction("TMRcvPrepared")
  protected void tmRcvPrepared(@SpecParam("rm") String rm) {
    tmPrepared.add(rm);
  }

  /** TMCommit: log the decision, then send Commit to every RM. */
  @SpecAction("TMCommit")
  protected void tmCommit() {
    logDecision(TMState.COMMITTED);
    for (String rm : rms) {
      send(rm, new Commit());
    }
  }

  /** TMAbort: log the decision, then send Abort to every RM. */
  @SpecAction("TMAbort")
  protected void tmAbort() {
    logDecision(TMState.ABORTED);
    for (String rm : rms) {
      send(rm, new Abort());
    }
  }

  /** Takes the decision: durable before the step's sends leave (the runtime flushes first). */
  private void logDecision(TMState decision) {
    tmState = decision;
    storage().putString(DECISION, decision.specValue());
    cancelTimer(TIMER);
    decide(decision);
  }

  /**
   * TMRecover: the decision comes back from storage; the votes are gone. A decision is
   * announced and sent again: a real crash loses the messages still queued in the process,
   * so an RM may not have it. (The spec's msgs already holds it, so the resend changes
   * nothing there.)
   */
  @Override
  @SpecAction("TMRecover")
  public void onRecover() {
    String logged = storage().getString(DECISION);
    tmState = logged == null ? TMState.INIT : TMState.of(logged);
    if (tmState == TMState.INIT) {
      setTimer(TIMER, TIMEOUT);
    } else {
      decide(tmState);
      for (String rm : rms) {
        send(rm, tmState == TMState.COMMITTED ? new Commit() : new Abort());
      }
    }
  }
}
