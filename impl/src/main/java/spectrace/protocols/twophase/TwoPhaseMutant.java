package spectrace.protocols.twophase;

import java.util.ArrayList;
import java.util.List;
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
 * Each one subclasses {@link TransactionManager} or {@link ResourceManager}; the run's
 * protocol is {@link #protocol()}, a {@link TwoPhase} whose {@link TwoPhase#name() name} stays
 * {@code twophase} (the trace header names the spec) and whose
 * {@link TwoPhase#variant() variant} is the mutant's name (the replay command names it).
 *
 * <p>An overriding action method does not inherit {@code @SpecAction}: each override here
 * carries the same annotation as the method it replaces, and does not call it (that would
 * log the action twice).
 */
public enum TwoPhaseMutant {

  TM_COMMITS_EARLY("tm-commits-early",
      "the TM commits once any RM has voted, not every RM (TMCommit without TMCanCommit)"),

  RM_COMMITS_ALONE("rm-commits-alone",
      "an RM that prepared and has heard nothing for " + Timeouts.RM + " ticks commits on its own"
          + " (RMRcvCommitMsg with no Commit sent)"),

  TM_FORGETS_DECISION("tm-forgets-decision",
      "the TM does not write its decision to durable storage: after a crash it recovers undecided"
          + " (TMRecover loses tmState) and may take the other decision"),

  TM_COMMITS_WITHOUT_LOGGING_VOTES("tm-commits-without-logging-votes",
      "the TM commits on the last vote without recording it in tmPrepared (TMCommit with a vote"
          + " missing, no TMRcvPrepared)"),

  RM_ABORTS_AFTER_PREPARE("rm-aborts-after-prepare",
      "an RM that prepared and has heard nothing for " + Timeouts.RM + " ticks aborts on its own"
          + " (RMChooseToAbort from prepared)"),

  TM_DECIDES_TWICE("tm-decides-twice",
      "the TM does not cancel its vote timeout when it commits, nor ignore votes once it has"
          + " aborted: it takes the other decision later"),

  TM_COUNTS_DUPLICATE_VOTES("tm-counts-duplicate-votes",
      "the TM counts Prepared messages, not voters: duplicated votes let it commit without every"
          + " RM's vote"),

  TM_PRESUMES_COMMIT("tm-presumes-commit",
      "a TM that recovers undecided commits on its timeout (presumed commit) instead of aborting"),

  RM_ABORTS_BUT_VOTES_YES("rm-aborts-but-votes-yes",
      "an RM that aborts on its own still sends Prepared (RMChooseToAbort that sends a message)");

  /** The mutants' own timeouts. */
  static final class Timeouts {
    /** Ticks a mutant RM waits, after it prepared, for the TM's decision before it acts alone. */
    static final long RM = 30;

    private Timeouts() {}
  }

  private final String word;
  private final String description;

  TwoPhaseMutant(String word, String description) {
    this.word = word;
    this.description = description;
  }

  /** The name the command line uses, e.g. {@code tm-commits-early}. */
  public String word() {
    return word;
  }

  /** What the mutant gets wrong, in one line. */
  public String description() {
    return description;
  }

  /** The mutant named {@code word}. */
  public static TwoPhaseMutant of(String word) {
    for (TwoPhaseMutant m : values()) {
      if (m.word.equals(word)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown mutant '" + word + "' of twophase (mutants: "
        + String.join(", ", names()) + ")");
  }

  /** Every mutant's name, in declaration order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (TwoPhaseMutant m : values()) {
      names.add(m.word);
    }
    return List.copyOf(names);
  }

  /** Two-phase commit with this mutant's TM or RMs. */
  public TwoPhase protocol() {
    return new Mutated(this);
  }

  TransactionManager transactionManager(String id, List<String> rms) {
    switch (this) {
      case TM_COMMITS_EARLY:
        return new CommitsEarlyTM(id, rms);
      case TM_FORGETS_DECISION:
        return new ForgetsDecisionTM(id, rms);
      case TM_COMMITS_WITHOUT_LOGGING_VOTES:
        return new SkipsLastVoteTM(id, rms);
      case TM_DECIDES_TWICE:
        return new DecidesTwiceTM(id, rms);
      case TM_COUNTS_DUPLICATE_VOTES:
        return new CountsVotesTM(id, rms);
      case TM_PRESUMES_COMMIT:
        return new PresumesCommitTM(id, rms);
      default:
        return new TransactionManager(id, rms);
    }
  }

  ResourceManager resourceManager(String id, String tm) {
    switch (this) {
      case RM_COMMITS_ALONE:
        return new CommitsAloneRM(id, tm);
      case RM_ABORTS_AFTER_PREPARE:
        return new AbortsAfterPrepareRM(id, tm);
      case RM_ABORTS_BUT_VOTES_YES:
        return new AbortsButVotesRM(id, tm);
      default:
        return new ResourceManager(id, tm);
    }
  }

  /** Two-phase commit with a mutant's nodes: still {@code twophase}, with a variant. */
  static final class Mutated extends TwoPhase {
    private final TwoPhaseMutant mutant;

    Mutated(TwoPhaseMutant mutant) {
      this.mutant = mutant;
    }

    @Override
    public String variant() {
      return mutant.word;
    }

    @Override
    protected TransactionManager newTransactionManager(String id, List<String> rms) {
      return mutant.transactionManager(id, rms);
    }

    @Override
    protected ResourceManager newResourceManager(String id, String tm) {
      return mutant.resourceManager(id, tm);
    }
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
