package spectrace.protocols.vr;

import java.util.List;
import java.util.function.BiFunction;
import spectrace.core.Mutant;
import spectrace.core.ProtocolNode;
import spectrace.protocols.vr.VrMessage.GetState;
import spectrace.protocols.vr.VrMessage.NewState;
import spectrace.protocols.vr.VrMessage.Prepare;
import spectrace.protocols.vr.VrMessage.RecoveryResponse;

/**
 * Deliberately broken VR replicas: the known-bug models' bugs of specs/vr, in Java, and the
 * rules of VR Revisited an implementation gets wrong, each one rule broken. Every replica of a
 * mutant's run is the broken one, and keeps VR.tla's names: a mutant lies through its trace (an
 * action logged where the spec does not enable it, or with effects the spec's action does not
 * have), and is caught by trace validation, or, for a bug that shows only to clients, by the
 * linearizability check of their history.
 *
 * <p>Each overrides one of {@link VrReplica}'s rules, which are one method each for this.
 *
 * <p>Not here: a new primary that takes the longest log, v' ignored (MCVRNoLastNormalView). It
 * differs from VR only when a DoViewChange of an older view holds a longer log than the newest
 * view's, and the simulator's runs never got there (0 of 40 seeds of 5,000 steps): a deposed
 * primary cut off with requests of its own must join the next view change before it hears of
 * the view that replaced it. The spec's model shows the bug; a mutant that is never caught
 * would show nothing.
 */
public final class VrMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<VrMessage>> ALL = List.of(
      new Mutant<>("recovery-without-nonce",
          "a recovering replica counts any RecoveryResponse, an answer to an earlier incarnation's Recovery"
              + " included (MCVRNoNonce)",
          replicas(IgnoresNonce::new)),
      new Mutant<>("truncate-on-later-view",
          "a replica that learns of a later view cuts its log to its commit-number and moves to the view at once,"
              + " as VRR sec. 5.2 writes it (MCVRTruncateOnLaterView)",
          replicas(TruncatesOnLaterView::new)),
      new Mutant<>("commit-before-f-acks",
          "a primary commits, executes and replies with one PrepareOK fewer than F",
          replicas(CommitsEarly::new)),
      new Mutant<>("backup-commits-what-it-prepared",
          "a backup takes every request it prepared as committed and executes past the primary's commit-number",
          replicas(CommitsPrepared::new)),
      new Mutant<>("start-view-with-f-do-view-changes",
          "a new primary starts its view with F DoViewChanges, its own among them, not F+1",
          replicas(StartsEarly::new)),
      new Mutant<>("recovery-without-the-primary",
          "a recovering replica completes with any F+1 responses, taking the longest log among them, whether or"
              + " not the primary of the latest view answered",
          replicas(RecoversWithoutPrimary::new)),
      new Mutant<>("prepare-ok-past-a-gap",
          "a backup acknowledges a Prepare that follows a gap in its log, without the requests before it,"
              + " instead of asking for the state",
          replicas(AcksPastGap::new)),
      new Mutant<>("stale-new-state-taken",
          "a replica takes a NewState of its view that makes its log no longer, undoing what it acknowledged since",
          replicas(TakesStaleNewState::new)));

  private VrMutants() {}

  private static BiFunction<String, List<String>, ProtocolNode<VrMessage>> replicas(
      BiFunction<String, List<String>, VrReplica> replica) {
    return replica::apply;
  }

  /** recovery-without-nonce: every response is an answer to this recovery. */
  static final class IgnoresNonce extends VrReplica {
    IgnoresNonce(String id, List<String> replicas) {
      super(id, replicas);
    }

    @Override
    protected boolean answersThisRecovery(RecoveryResponse m) {
      return true;
    }
  }

  /** truncate-on-later-view: VRR sec. 5.2 as written: op-number to commit-number, and into the view. */
  static final class TruncatesOnLaterView extends VrReplica {
    TruncatesOnLaterView(String id, List<String> replicas) {
      super(id, replicas);
    }

    @Override
    protected void learnLaterView(String j, int v) {
      log.truncate(Math.min(commitNumber, log.size()));
      viewNumber = v;
      status = VrStatus.NORMAL;
      lastNormalView = v;
      resetAcks();
      startViewChanges.clear();
      doViewChanges.clear();
      send(j, new GetState(v, commitNumber));
    }
  }

  /** commit-before-f-acks: F-1 PrepareOKs commit (none at all with three replicas). */
  static final class CommitsEarly extends VrReplica {
    CommitsEarly(String id, List<String> replicas) {
      super(id, replicas);
    }

    @Override
    protected int acknowledgementsToCommit() {
      return f - 1;
    }
  }

  /** backup-commits-what-it-prepared: a backup's commit-number is its op-number. */
  static final class CommitsPrepared extends VrReplica {
    CommitsPrepared(String id, List<String> replicas) {
      super(id, replicas);
    }

    @Override
    protected int backupCommit(Prepare m) {
      return Math.max(commitNumber, opNumber());
    }
  }

  /** start-view-with-f-do-view-changes: one DoViewChange short. */
  static final class StartsEarly extends VrReplica {
    StartsEarly(String id, List<String> replicas) {
      super(id, replicas);
    }

    @Override
    protected int doViewChangesToStart() {
      return f;
    }
  }

  /** recovery-without-the-primary: any F+1 responses, the longest log among them. */
  static final class RecoversWithoutPrimary extends VrReplica {
    RecoversWithoutPrimary(String id, List<String> replicas) {
      super(id, replicas);
    }

    @Override
    protected ResponseRecord recoverFrom() {
      if (recoveryResponses.size() < f + 1) {
        return null;
      }
      ResponseRecord best = null;
      for (ResponseRecord r : recoveryResponses) {
        if (best == null || r.view() > best.view() || (r.view() == best.view() && r.log().size() > best.log().size())) {
          best = r;
        }
      }
      return best;
    }
  }

  /** prepare-ok-past-a-gap: every Prepare of the view is taken as in order, and acknowledged. */
  static final class AcksPastGap extends VrReplica {
    AcksPastGap(String id, List<String> replicas) {
      super(id, replicas);
    }

    @Override
    protected boolean inOrder(Prepare m) {
      return true;
    }
  }

  /** stale-new-state-taken: a NewState of the view is taken whatever its length. */
  static final class TakesStaleNewState extends VrReplica {
    TakesStaleNewState(String id, List<String> replicas) {
      super(id, replicas);
    }

    @Override
    protected boolean takesNewState(NewState m) {
      if (m.op() > opNumber()) {
        return false;
      }
      return m.view() == viewNumber ? status == VrStatus.NORMAL : m.view() > viewNumber && m.op() <= commitNumber;
    }
  }
}
