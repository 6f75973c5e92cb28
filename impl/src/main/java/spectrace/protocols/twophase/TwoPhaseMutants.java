package spectrace.protocols.twophase;

import java.util.List;
import java.util.function.BiFunction;
import spectrace.core.Mutant;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.twophase.TwoPhaseMessage.Abort;
import spectrace.protocols.twophase.TwoPhaseMessage.Commit;
import spectrace.protocols.twophase.TwoPhaseMessage.Prepared;

/**
 * Deliberately broken variants of the Java two-phase commit, for testing trace validation.
 *
 * <p>A mutant keeps TwoPhase.tla's action and variable names: it lies about its behaviour
 * through the trace (an action logged where the spec does not enable it, or with effects the
 * spec's action does not have), so that only checking the trace against the spec catches it.
 * Each one subclasses {@link TransactionManager} or {@link ResourceManager}, runs with the
 * other nodes correct, and is declared once in {@link #ALL};
 * {@link spectrace.core.Mutant#applyTo} runs it as {@code twophase} (the trace header names
 * the spec) with the mutant's name as {@link TwoPhase#variant() variant} (the replay command
 * names it).
 *
 * <p>An overriding action method does not inherit {@code @SpecAction}: each override here
 * carries the same annotation as the method it replaces, and does not call it (that would
 * log the action twice).
 */
public final class TwoPhaseMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<TwoPhaseMessage>> ALL = List.of(
      new Mutant<>("tm-commits-early",
          "the TM commits once any RM has voted, not every RM (TMCommit without TMCanCommit)",
          tm(CommitsEarlyTM::new)),
      new Mutant<>("rm-commits-alone",
          "an RM that prepared and has heard nothing for " + Timeouts.RM + " ticks commits on its own"
              + " (RMRcvCommitMsg with no Commit sent)",
          rm(CommitsAloneRM::new)),
      new Mutant<>("tm-forgets-decision",
          "the TM does not write its decision to durable storage: after a crash it recovers undecided"
              + " (TMRecover loses tmState) and may take the other decision",
          tm(ForgetsDecisionTM::new)),
      new Mutant<>("tm-commits-without-logging-votes",
          "the TM commits on the last vote without recording it in tmPrepared (TMCommit with a vote"
              + " missing, no TMRcvPrepared)",
          tm(SkipsLastVoteTM::new)),
      new Mutant<>("rm-aborts-after-prepare",
          "an RM that prepared and has heard nothing for " + Timeouts.RM + " ticks aborts on its own"
              + " (RMChooseToAbort from prepared)",
          rm(AbortsAfterPrepareRM::new)),
      new Mutant<>("tm-decides-twice",
          "the TM does not cancel its vote timeout when it commits, nor ignore votes once it has"
              + " aborted: it takes the other decision later",
          tm(DecidesTwiceTM::new)),
      new Mutant<>("tm-counts-duplicate-votes",
          "the TM counts Prepared messages, not voters: duplicated votes let it commit without every"
              + " RM's vote",
          tm(CountsVotesTM::new)),
      new Mutant<>("tm-presumes-commit",
          "a TM that recovers undecided commits on its timeout (presumed commit) instead of aborting",
          tm(PresumesCommitTM::new)),
      new Mutant<>("rm-aborts-but-votes-yes",
          "an RM that aborts on its own still sends Prepared (RMChooseToAbort that sends a message)",
          rm(AbortsButVotesRM::new)));

  /** The mutants' own timeouts. */
  static final class Timeouts {
    /** Ticks a mutant RM waits, after it prepared, for the TM's decision before it acts alone. */
    static final long RM = 30;

    private Timeouts() {}
  }

  private TwoPhaseMutants() {}

  /** The nodes of a run with the TM built by {@code tm} and correct RMs. */
  private static BiFunction<String, List<String>, ProtocolNode<TwoPhaseMessage>> tm(
      BiFunction<String, List<String>, TransactionManager> tm) {
    return (id, nodes) -> TwoPhase.node(id, nodes, tm, ResourceManager::new);
  }

  /** The nodes of a run with a correct TM and the RMs built by {@code rm}. */
  private static BiFunction<String, List<String>, ProtocolNode<TwoPhaseMessage>> rm(
      BiFunction<String, String, ResourceManager> rm) {
    return (id, nodes) -> TwoPhase.node(id, nodes, TransactionManager::new, rm);
  }

  // ---- The transaction managers --------------------------------------------------------------

  /** tm-commits-early: TMCanCommit holds as soon as one RM has voted. */
  static final class CommitsEarlyTM extends TransactionManager {
    CommitsEarlyTM(String id, List<String> rms) {
      super(id, rms);
    }

    @Override
    protected boolean canCommit() {
      return !tmPrepared.isEmpty();
    }
  }

  /** tm-forgets-decision: the decision lives only in memory. */
  static final class ForgetsDecisionTM extends TransactionManager {
    ForgetsDecisionTM(String id, List<String> rms) {
      super(id, rms);
    }

    @Override
    @SpecAction("TMCommit")
    protected void tmCommit() {
      tmState = TMState.COMMITTED;
      cancelTimer(TIMER);
      decide(TMState.COMMITTED);
      for (String rm : rms) {
        send(rm, new Commit());
      }
    }

    @Override
    @SpecAction("TMAbort")
    protected void tmAbort() {
      tmState = TMState.ABORTED;
      cancelTimer(TIMER);
      decide(TMState.ABORTED);
      for (String rm : rms) {
        send(rm, new Abort());
      }
    }
  }

  /** tm-commits-without-logging-votes: the vote that completes the set goes straight to TMCommit. */
  static final class SkipsLastVoteTM extends TransactionManager {
    SkipsLastVoteTM(String id, List<String> rms) {
      super(id, rms);
    }

    @Override
    public void onMessage(String from, TwoPhaseMessage msg) {
      if (msg instanceof Prepared p && tmState == TMState.INIT && rms.contains(p.rm())) {
        if (!tmPrepared.contains(p.rm()) && tmPrepared.size() == rms.size() - 1) {
          tmCommit();
        } else {
          tmRcvPrepared(p.rm());
        }
      }
    }
  }

  /** tm-decides-twice: the decision neither cancels the timeout nor closes the vote. */
  static final class DecidesTwiceTM extends TransactionManager {
    DecidesTwiceTM(String id, List<String> rms) {
      super(id, rms);
    }

    @Override
    public void onMessage(String from, TwoPhaseMessage msg) {
      if (msg instanceof Prepared p && tmState != TMState.COMMITTED && rms.contains(p.rm())) {
        tmRcvPrepared(p.rm());
        if (canCommit()) {
          tmCommit();
        }
      }
    }

    @Override
    public void onTimer(String name) {
      if (name.equals(TIMER) && tmState != TMState.ABORTED) {
        tmAbort();
      }
    }

    @Override
    @SpecAction("TMCommit")
    protected void tmCommit() {
      tmState = TMState.COMMITTED;
      storage().putString(DECISION, tmState.specValue());
      decide(TMState.COMMITTED);
      for (String rm : rms) {
        send(rm, new Commit());
      }
    }

    @Override
    @SpecAction("TMAbort")
    protected void tmAbort() {
      tmState = TMState.ABORTED;
      storage().putString(DECISION, tmState.specValue());
      decide(TMState.ABORTED);
      for (String rm : rms) {
        send(rm, new Abort());
      }
    }
  }

  /** tm-counts-duplicate-votes: TMCanCommit counts Prepared messages, duplicates included. */
  static final class CountsVotesTM extends TransactionManager {
    /** Prepared messages received since the TM (re)started: volatile, and no spec variable. */
    private int votes;

    CountsVotesTM(String id, List<String> rms) {
      super(id, rms);
    }

    @Override
    @SpecAction("TMRcvPrepared")
    protected void tmRcvPrepared(@SpecParam("rm") String rm) {
      tmPrepared.add(rm);
      votes++;
    }

    @Override
    protected boolean canCommit() {
      return votes >= rms.size();
    }
  }

  /** tm-presumes-commit: after a recovery, the vote timeout commits. */
  static final class PresumesCommitTM extends TransactionManager {
    private boolean recovered;

    PresumesCommitTM(String id, List<String> rms) {
      super(id, rms);
    }

    @Override
    @SpecAction("TMRecover")
    public void onRecover() {
      recovered = true;
      String logged = storage().getString(DECISION);
      tmState = logged == null ? TMState.INIT : TMState.of(logged);
      if (tmState == TMState.INIT) {
        setTimer(TIMER, TIMEOUT);
      }
    }

    @Override
    public void onTimer(String name) {
      if (name.equals(TIMER) && tmState == TMState.INIT) {
        if (recovered) {
          tmCommit();
        } else {
          tmAbort();
        }
      }
    }
  }

  // ---- The resource managers -----------------------------------------------------------------

  /** A prepared RM that sets a timer for acting alone when the TM's decision is slow. */
  abstract static class ImpatientRM extends ResourceManager {
    static final String TIMER = "impatient";

    ImpatientRM(String id, String tm) {
      super(id, tm);
    }

    @Override
    @SpecAction(value = "RMPrepare", self = "rm")
    protected void rmPrepare() {
      rmState = RMState.PREPARED;
      send(tm, new Prepared(id));
      setTimer(TIMER, Timeouts.RM);
    }

    @Override
    public void onTimer(String name) {
      if (name.equals(TIMER) && rmState == RMState.PREPARED) {
        actAlone();
      }
    }

    /** What the RM does when it has waited too long. */
    abstract void actAlone();
  }

  /** rm-commits-alone. */
  static final class CommitsAloneRM extends ImpatientRM {
    CommitsAloneRM(String id, String tm) {
      super(id, tm);
    }

    @Override
    void actAlone() {
      rmRcvCommitMsg();
    }
  }

  /** rm-aborts-after-prepare. */
  static final class AbortsAfterPrepareRM extends ImpatientRM {
    AbortsAfterPrepareRM(String id, String tm) {
      super(id, tm);
    }

    @Override
    void actAlone() {
      rmChooseToAbort();
    }
  }

  /** rm-aborts-but-votes-yes. */
  static final class AbortsButVotesRM extends ResourceManager {
    AbortsButVotesRM(String id, String tm) {
      super(id, tm);
    }

    @Override
    @SpecAction(value = "RMChooseToAbort", self = "rm")
    protected void rmChooseToAbort() {
      rmState = RMState.ABORTED;
      decide(RMState.ABORTED);
      send(tm, new Prepared(id));
    }
  }
}
