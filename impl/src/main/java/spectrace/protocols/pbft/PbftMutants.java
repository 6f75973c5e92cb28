package spectrace.protocols.pbft;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import spectrace.core.Adversary;
import spectrace.core.Mutant;
import spectrace.protocols.pbft.PbftMessage.PrePrepare;
import spectrace.protocols.pbft.PbftMessage.ViewChange;

/**
 * Deliberately broken PBFT replicas: the known-bug models' bugs of specs/pbft in Java, and the
 * rules of Castro and Liskov an implementation gets wrong, each one rule broken. Every correct
 * replica of a mutant's run is the broken one (the Byzantine one runs its adversary over the
 * broken code); each keeps PBFT.tla's names, so that it lies through its trace (an action
 * logged where the spec does not enable it, or with effects the spec's action does not have)
 * and is caught by trace validation, or, for a bug that shows only to clients, by the
 * linearizability check of their history.
 *
 * <p>Each overrides one of {@link PbftReplica}'s rules, which are one method each for this. A
 * bug that only a faulty primary brings out (a second PRE-PREPARE for a sequence number, a
 * digest that is not the request's) runs against the adversary that tells that lie.
 */
public final class PbftMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<PbftMessage>> ALL = List.of(
      mutant("prepared-with-2f-1-prepares",
          "a replica is prepared with the pre-prepare and 2f-1 matching PREPAREs, one fewer than 2f",
          FewerPrepares::new),
      mutant("commit-quorum-2f",
          "a replica is committed-local with 2f COMMITs, not 2f+1 (MCPBFTQuorum2F)",
          FewerCommits::new),
      new Mutant<>("accepts-second-pre-prepare",
          "a backup accepts a second PRE-PREPARE for a view and sequence number it holds one for, for another"
              + " request, against a primary that equivocates",
          (id, nodes) -> new TakesSecondPrePrepare(id, nodes, PbftKeys.simulated(nodes, id)),
          List.of(adversary("equivocate"))),
      new Mutant<>("skips-digest-check",
          "a backup accepts a PRE-PREPARE whose digest is not the digest of the request it carries, against a"
              + " primary that sends wrong digests",
          (id, nodes) -> new SkipsDigestCheck(id, nodes, PbftKeys.simulated(nodes, id)),
          List.of(adversary("wrong-digest"))),
      mutant("new-primary-drops-prepared",
          "a new primary re-issues a null request at every sequence number of its NEW-VIEW, dropping the prepared"
              + " requests its VIEW-CHANGEs carry (MCPBFTNewViewIgnoresPrepared)",
          DropsPrepared::new),
      mutant("view-change-without-prepared",
          "a replica's VIEW-CHANGE leaves out the requests it prepared (P empty)",
          ForgetsPrepared::new),
      mutant("new-view-on-2f-view-changes",
          "a new primary starts its view on 2f VIEW-CHANGEs, its own among them, not 2f+1",
          FewerViewChanges::new),
      mutant("executes-out-of-order",
          "a replica executes a committed request as soon as it commits, before those at lower sequence numbers",
          ExecutesOutOfOrder::new),
      mutant("checkpoint-without-quorum",
          "a checkpoint is stable, and the low water mark moves, with f+1 matching CHECKPOINTs, not 2f+1",
          FewerCheckpoints::new));

  private PbftMutants() {}

  /** A replica's constructor. */
  @FunctionalInterface
  private interface Replica {
    PbftReplica make(String id, List<String> replicas, PbftKeys keys);
  }

  private static Mutant<PbftMessage> mutant(String name, String description, Replica replica) {
    return new Mutant<>(name, description, (id, nodes) -> replica.make(id, nodes, PbftKeys.simulated(nodes, id)));
  }

  private static Adversary adversary(String name) {
    for (Adversary a : PbftAdversaries.ALL) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    throw new IllegalStateException("no PBFT adversary " + name);
  }

  /** prepared-with-2f-1-prepares: a prepared certificate one PREPARE short. */
  static final class FewerPrepares extends PbftReplica {
    FewerPrepares(String id, List<String> replicas, PbftKeys keys) {
      super(id, replicas, keys);
    }

    @Override
    protected int preparesNeeded() {
      return 2 * f - 1;
    }
  }

  /** commit-quorum-2f: committed-local one COMMIT short. */
  static final class FewerCommits extends PbftReplica {
    FewerCommits(String id, List<String> replicas, PbftKeys keys) {
      super(id, replicas, keys);
    }

    @Override
    protected int commitsNeeded() {
      return 2 * f;
    }
  }

  /** accepts-second-pre-prepare: HandlePrePrepare's guard without its clause against a conflicting entry. */
  static final class TakesSecondPrePrepare extends PbftReplica {
    TakesSecondPrePrepare(String id, List<String> replicas, PbftKeys keys) {
      super(id, replicas, keys);
    }

    @Override
    protected boolean acceptable(PrePrepare m) {
      return status == PbftStatus.NORMAL && m.view() == view && m.from().equals(primary(m.view()))
          && !id.equals(m.from()) && inWindow(m.seq()) && !pp.contains(m.entry());
    }
  }

  /** skips-digest-check: any digest is the request's. */
  static final class SkipsDigestCheck extends PbftReplica {
    SkipsDigestCheck(String id, List<String> replicas, PbftKeys keys) {
      super(id, replicas, keys);
    }

    @Override
    protected boolean digestMatches(PrePrepare m) {
      return true;
    }
  }

  /** new-primary-drops-prepared: O is the null request from min-s to max-s. */
  static final class DropsPrepared extends PbftReplica {
    DropsPrepared(String id, List<String> replicas, PbftKeys keys) {
      super(id, replicas, keys);
    }

    @Override
    protected List<Entry> newViewPrePrepares(int v, List<ViewChange> vcs) {
      return super.newViewPrePrepares(v, vcs).stream().map(e -> new Entry(e.view(), e.seq(), NULL)).toList();
    }
  }

  /** view-change-without-prepared: P is empty. */
  static final class ForgetsPrepared extends PbftReplica {
    ForgetsPrepared(String id, List<String> replicas, PbftKeys keys) {
      super(id, replicas, keys);
    }

    @Override
    protected List<Entry> preparedSet() {
      return List.of();
    }
  }

  /** new-view-on-2f-view-changes: one VIEW-CHANGE short. */
  static final class FewerViewChanges extends PbftReplica {
    FewerViewChanges(String id, List<String> replicas, PbftKeys keys) {
      super(id, replicas, keys);
    }

    @Override
    protected int viewChangesNeeded() {
      return 2 * f;
    }
  }

  /** executes-out-of-order: the first committed-local entry at or above the next sequence number not yet taken. */
  static final class ExecutesOutOfOrder extends PbftReplica {
    private final Set<Entry> taken = new HashSet<>();

    ExecutesOutOfOrder(String id, List<String> replicas, PbftKeys keys) {
      super(id, replicas, keys);
    }

    @Override
    protected Entry executable() {
      Entry best = null;
      for (Entry e : pp) {
        if (e.seq() > executedCount() && !taken.contains(e) && committedLocal(e)
            && (best == null || e.seq() < best.seq())) {
          best = e;
        }
      }
      if (best != null) {
        taken.add(best);
      }
      return best;
    }
  }

  /** checkpoint-without-quorum: f+1 CHECKPOINTs make a checkpoint stable. */
  static final class FewerCheckpoints extends PbftReplica {
    FewerCheckpoints(String id, List<String> replicas, PbftKeys keys) {
      super(id, replicas, keys);
    }

    @Override
    protected int checkpointsNeeded() {
      return f + 1;
    }
  }
}
