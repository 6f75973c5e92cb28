package spectrace.protocols.raft;

import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import spectrace.core.Mutant;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.kv.Command;
import spectrace.kv.KvReply;
import spectrace.kv.KvRequest;
import spectrace.kv.Op;
import spectrace.kv.Result;
import spectrace.protocols.raft.RaftMessage.AppendEntriesResponse;
import spectrace.protocols.raft.RaftMessage.RequestVoteResponse;

/**
 * Deliberately broken Raft servers: bugs that real Raft implementations have shipped, each one
 * rule of the dissertation broken. Every server of a mutant's run is the broken one (with
 * pre-vote and check-quorum on, as {@code raft} runs), and keeps Raft.tla's names: a mutant
 * lies through its trace (an action logged where the spec does not enable it, or with effects
 * the spec's action does not have), and is caught by trace validation, or, for a bug that shows
 * only to clients (a stale read), by the linearizability check of their history.
 *
 * <p>Each overrides one of {@link RaftNode}'s rules, which are one method each for this; an
 * overriding action method carries the same {@code @SpecAction} as the one it replaces.
 */
public final class RaftMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<RaftMessage>> ALL = List.of(
      new Mutant<>("commit-earlier-term",
          "a leader commits an entry of an earlier term by counting its replicas (the dissertation's Figure 3.7)",
          servers(CommitsEarlierTerm::new)),
      new Mutant<>("vote-not-persisted",
          "votedFor is kept in memory only: a server that restarts may vote again in the same term",
          servers(ForgetsVote::new)),
      new Mutant<>("stale-term-append-accepted",
          "a follower takes an AppendEntries request of an older term, from a leader since deposed",
          servers(AcceptsStaleAppend::new)),
      new Mutant<>("commit-index-moves-back",
          "a follower sets commitIndex to what a request vouches for, so a late request moves it back",
          servers(CommitMovesBack::new)),
      new Mutant<>("prev-log-index-off-by-one",
          "a leader's AppendEntries names the entry at nextIndex, not the one before it, as prevLogIndex",
          servers(PrevLogIndexOffByOne::new)),
      new Mutant<>("reads-without-leadership",
          "a server that believes it leads answers a get from its own store, without the log or a"
              + " quorum's confirmation: a deposed leader serves stale reads",
          servers(LocalReads::new)),
      new Mutant<>("vote-without-up-to-date-check",
          "a server grants its vote without the election restriction: a candidate whose log lacks"
              + " committed entries can win",
          servers(NoUpToDateCheck::new)),
      new Mutant<>("truncate-on-every-append",
          "a follower cuts its log after prevLogIndex on every AppendEntries, not only at a conflict:"
              + " a late request undoes later entries",
          servers(TruncatesAlways::new)),
      new Mutant<>("two-votes-per-term",
          "a server grants a vote to any candidate of its term, whoever it voted for already",
          servers(VotesTwice::new)),
      new Mutant<>("no-step-down-on-response",
          "a candidate or leader that gets a response of a higher term (to a vote request or an"
              + " AppendEntries) keeps its own term and role instead of stepping down",
          servers(IgnoresHigherTerm::new)),
      new Mutant<>("counts-itself-twice",
          "a server counts itself twice towards a quorum of votes, pre-votes and check-quorum answers",
          servers(CountsItselfTwice::new)));

  private RaftMutants() {}

  /** A run whose every server is built by {@code server} (with pre-vote and check-quorum). */
  private static BiFunction<String, List<String>, spectrace.core.ProtocolNode<RaftMessage>> servers(
      BiFunction<String, List<String>, RaftNode> server) {
    return server::apply;
  }

  /** commit-earlier-term: the highest index on a quorum is committed, whatever its term. */
  static final class CommitsEarlierTerm extends RaftNode {
    CommitsEarlierTerm(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    protected boolean countsReplicas(int n) {
      return true;
    }
  }

  /** vote-not-persisted: the vote is not written to storage, and a restart forgets it. */
  static final class ForgetsVote extends RaftNode {
    ForgetsVote(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    protected void setVote(String server) {
      votedFor = server;
    }
  }

  /** stale-term-append-accepted: no request is too old. */
  static final class AcceptsStaleAppend extends RaftNode {
    AcceptsStaleAppend(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    protected boolean stale(RaftMessage.AppendEntriesRequest m) {
      return false;
    }
  }

  /** commit-index-moves-back: commitIndex follows the latest request, up or down. */
  static final class CommitMovesBack extends RaftNode {
    CommitMovesBack(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    protected int followerCommit(int leaderCommit, int last) {
      return Math.min(leaderCommit, last);
    }
  }

  /** prev-log-index-off-by-one: the request follows the entry at nextIndex (when there is one). */
  static final class PrevLogIndexOffByOne extends RaftNode {
    PrevLogIndexOffByOne(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    protected int prevLogIndex(String j) {
      return Math.min(nextIndex.get(j), log.size());
    }
  }

  /** reads-without-leadership: a leader answers a get at once, from what it has applied. */
  static final class LocalReads extends RaftNode {
    LocalReads(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    public void onRequest(Object request) {
      if (request instanceof KvRequest r && r.command().op() == Op.GET && state == RaftState.LEADER) {
        Command c = r.command();
        deliver(KvReply.applied(c, store().value(c.key()).isPresent() ? Result.ok(store().value(c.key()).getAsLong())
            : Result.okAbsent()));
        return;
      }
      super.onRequest(request);
    }
  }

  /** vote-without-up-to-date-check: every log is up to date enough. */
  static final class NoUpToDateCheck extends RaftNode {
    NoUpToDateCheck(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    protected boolean upToDate(int lastTerm, int lastIndex) {
      return true;
    }
  }

  /** truncate-on-every-append: the log is cut at prevLogIndex, then the request's entries appended. */
  static final class TruncatesAlways extends RaftNode {
    TruncatesAlways(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    protected void takeEntries(int prev, List<Entry> entries) {
      if (prev < log.size()) {
        truncate(prev);
      }
      for (Entry e : entries) {
        append(e);
      }
    }
  }

  /** two-votes-per-term: a vote already cast does not stop another. */
  static final class VotesTwice extends RaftNode {
    VotesTwice(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    protected boolean mayVoteFor(String j) {
      return true;
    }
  }

  /**
   * no-step-down-on-response: a vote response only ever counts, or not; a leader takes an
   * AppendEntries response of a higher term as one of its own.
   */
  static final class IgnoresHigherTerm extends RaftNode {
    IgnoresHigherTerm(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    @SpecAction(value = "HandleRequestVoteResponse", self = "i")
    protected void handleRequestVoteResponse(@SpecParam("j") String j, @SpecParam("m") RequestVoteResponse m) {
      if (m.voteGranted() && m.term() == currentTerm) {
        votesGranted.add(j);
      }
    }

    @Override
    @SpecAction(value = "HandleAppendEntriesResponse", self = "i")
    protected void handleAppendEntriesResponse(@SpecParam("j") String j, @SpecParam("m") AppendEntriesResponse m) {
      if (state == RaftState.LEADER && m.term() > currentTerm) {
        takeResponse(j, m);
      } else {
        super.handleAppendEntriesResponse(j, m);
      }
    }
  }

  /** counts-itself-twice: a quorum is one server short. */
  static final class CountsItselfTwice extends RaftNode {
    CountsItselfTwice(String id, List<String> servers) {
      super(id, servers, true, true);
    }

    @Override
    protected boolean isQuorum(Set<String> s) {
      return 2 * (s.size() + 1) > servers.size();
    }
  }
}
