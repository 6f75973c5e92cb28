package spectrace.protocols.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import spectrace.kv.AppliedEntry;
import spectrace.core.Effects;
import spectrace.core.StepRunner;
import spectrace.kv.Command;
import spectrace.kv.KvReply;
import spectrace.kv.KvRequest;
import spectrace.kv.Result;
import spectrace.protocols.raft.RaftMessage.AppendEntriesRequest;
import spectrace.protocols.raft.RaftMessage.AppendEntriesResponse;
import spectrace.protocols.raft.RaftMessage.PreVoteRequest;
import spectrace.protocols.raft.RaftMessage.PreVoteResponse;
import spectrace.protocols.raft.RaftMessage.RequestVoteRequest;
import spectrace.protocols.raft.RaftMessage.RequestVoteResponse;
import spectrace.storage.MemoryStorage;

/**
 * The Raft server's handlers, one step at a time, through the {@link Effects} each step asks
 * for, with no runtime: the rules of Ongaro's dissertation that the spec's actions state, each
 * checked where a wrong implementation would differ.
 */
class RaftNodeTest {

  private static final List<String> SERVERS = List.of("n1", "n2", "n3", "n4", "n5");

  /** One server on a detached runner, and the storage under it. */
  private static final class Harness {
    final MemoryStorage storage;
    final StepRunner runner;
    final RaftNode node;

    Harness(String id, boolean preVote, boolean checkQuorum) {
      this(id, new MemoryStorage(), preVote, checkQuorum);
    }

    Harness(String id, MemoryStorage storage, boolean preVote, boolean checkQuorum) {
      this.storage = storage;
      this.runner = StepRunner.detached(id, SERVERS, storage, true);
      this.node = runner.boot(new RaftNode(id, SERVERS, preVote, checkQuorum));
    }

    Effects receive(String from, RaftMessage m) {
      return runner.collect(from, m, () -> node.onMessage(from, m));
    }

    Effects timer(String name) {
      return runner.collect(() -> node.onTimer(name));
    }

    Effects request(Command command) {
      return runner.collect(() -> node.onRequest(new KvRequest(command)));
    }
  }

  private static List<String> actions(Effects e) {
    return e.actions().stream().map(Effects.Action::name).toList();
  }

  private static Entry entry(int term, long v) {
    return new Entry(term, Command.put("c1", v, "k", v));
  }

  /** Makes {@code h}'s server a follower of term {@code term} whose log is {@code entries}. */
  private static void follow(Harness h, String leader, int term, List<Entry> entries) {
    Effects e = h.receive(leader, new AppendEntriesRequest(term, 0, 0, entries, 0));
    assertEquals(new AppendEntriesResponse(term, true, entries.size()), e.sends().get(0).msg());
  }

  /** Makes {@code h}'s server (without pre-vote) the leader of term {@code currentTerm + 1}. */
  private static void lead(Harness h) {
    h.timer(RaftNode.ELECTION_TIMER);
    int term = h.node.currentTerm();
    h.receive("n2", new RequestVoteResponse(term, true));
    Effects e = h.receive("n3", new RequestVoteResponse(term, true));
    assertEquals(List.of("HandleRequestVoteResponse", "BecomeLeader", "AppendEntries", "AppendEntries",
        "AppendEntries", "AppendEntries"), actions(e));
    assertEquals(RaftState.LEADER, h.node.state());
  }

  // ---- Elections (§3.4, §3.6.1) -------------------------------------------------------------

  @Test
  void aTimeoutWithoutPreVoteStartsAnElectionInTheNextTermAndAsksEveryOtherServer() {
    Harness h = new Harness("n1", false, false);
    Effects e = h.timer(RaftNode.ELECTION_TIMER);
    assertEquals(List.of("Timeout"), actions(e));
    assertEquals(1, h.node.currentTerm());
    assertEquals(RaftState.CANDIDATE, h.node.state());
    assertEquals("n1", h.node.votedFor());
    assertEquals(List.of("n2", "n3", "n4", "n5"), e.sends().stream().map(Effects.Send::to).toList());
    assertTrue(e.sends().stream().allMatch(s -> s.msg().equals(new RequestVoteRequest(1, 0, 0))));
    assertTrue(e.wrote(), "the new term and the vote for itself are durable writes of the step");
    assertEquals("1", h.storage.getString(RaftNode.TERM_KEY));
    assertEquals("n1", h.storage.getString(RaftNode.VOTE_KEY));
  }

  @Test
  void aVoteGoesOnlyToACandidateWhoseLogIsAtLeastAsUpToDate() {
    Harness h = new Harness("n1", false, false);
    follow(h, "n2", 1, List.of(entry(1, 1), entry(1, 2)));

    // Same last term, shorter log: refused, though the higher term is adopted.
    Effects shorter = h.receive("n3", new RequestVoteRequest(2, 1, 1));
    assertEquals(List.of("HandleRequestVoteRequest"), actions(shorter));
    assertEquals(List.of(new Effects.Send("n3", new RequestVoteResponse(2, false), 0)), shorter.sends());
    assertEquals(2, h.node.currentTerm());
    assertEquals(RaftNode.NIL, h.node.votedFor());

    // A log whose last entry is of an earlier term is less up to date, however long.
    Effects older = h.receive("n4", new RequestVoteRequest(2, 0, 9));
    assertEquals(new RequestVoteResponse(2, false), older.sends().get(0).msg());

    // Same last term, as long: granted, and the vote is durable.
    Effects equal = h.receive("n5", new RequestVoteRequest(2, 1, 2));
    assertEquals(new RequestVoteResponse(2, true), equal.sends().get(0).msg());
    assertEquals("n5", h.node.votedFor());
    assertEquals("n5", h.storage.getString(RaftNode.VOTE_KEY));

    // One vote per term: another candidate with a better log is refused; the same one again is not.
    assertEquals(new RequestVoteResponse(2, false), h.receive("n3", new RequestVoteRequest(2, 2, 5)).sends().get(0).msg());
    assertEquals(new RequestVoteResponse(2, true), h.receive("n5", new RequestVoteRequest(2, 1, 2)).sends().get(0).msg());
  }

  @Test
  void aVoteRequestOfAnOlderTermIsRefusedWithTheServersTerm() {
    Harness h = new Harness("n1", false, false);
    follow(h, "n2", 3, List.of());
    Effects e = h.receive("n3", new RequestVoteRequest(2, 5, 5));
    assertEquals(List.of(new Effects.Send("n3", new RequestVoteResponse(3, false), 0)), e.sends());
    assertEquals(RaftNode.NIL, h.node.votedFor());
  }

  @Test
  void aCandidateIgnoresVotesOfAnOlderTermAndStepsDownOnAHigherOne() {
    Harness h = new Harness("n1", false, false);
    h.timer(RaftNode.ELECTION_TIMER);
    h.timer(RaftNode.ELECTION_TIMER);
    assertEquals(2, h.node.currentTerm());
    Effects stale = h.receive("n2", new RequestVoteResponse(1, true));
    assertTrue(stale.actions().isEmpty(), "a response of an older term is no action");
    assertEquals(List.of("n1"), List.copyOf(h.node.votesGranted));

    Effects higher = h.receive("n3", new RequestVoteResponse(4, false));
    assertEquals(List.of("HandleRequestVoteResponse"), actions(higher));
    assertEquals(RaftState.FOLLOWER, h.node.state());
    assertEquals(4, h.node.currentTerm());
    assertEquals(RaftNode.NIL, h.node.votedFor());
  }

  @Test
  void aQuorumOfVotesMakesALeaderThatSendsEveryPeerAHeartbeatInTheSameStep() {
    Harness h = new Harness("n1", false, false);
    lead(h);
    for (String s : SERVERS) {
      assertEquals(1, h.node.nextIndex(s));
      assertEquals(0, h.node.matchIndex(s));
    }
    Effects dup = h.receive("n3", new RequestVoteResponse(1, true));
    assertTrue(dup.actions().isEmpty(), "a vote for a server that already leads is no action");
  }

  // ---- Pre-vote (§9.6) ----------------------------------------------------------------------

  @Test
  void withPreVoteATimeoutAsksForPreVotesWithoutChangingTheTerm() {
    Harness h = new Harness("n1", true, false);
    Effects e = h.timer(RaftNode.ELECTION_TIMER);
    assertEquals(List.of("Timeout"), actions(e));
    assertEquals(RaftState.PRECANDIDATE, h.node.state());
    assertEquals(0, h.node.currentTerm());
    assertFalse(e.wrote(), "a pre-vote changes no durable state");
    assertTrue(e.sends().stream().allMatch(s -> s.msg().equals(new PreVoteRequest(1, 0, 0))));

    h.receive("n2", new PreVoteResponse(1, true));
    Effects quorum = h.receive("n3", new PreVoteResponse(1, true));
    assertEquals(List.of("HandlePreVoteResponse", "StartElection"), actions(quorum));
    assertEquals(RaftState.CANDIDATE, h.node.state());
    assertEquals(1, h.node.currentTerm());
  }

  @Test
  void aPreVoteIsGrantedForAHigherTermAndAnUpToDateLogAndChangesNothing() {
    Harness h = new Harness("n1", true, false);
    follow(h, "n2", 2, List.of(entry(2, 1)));
    Effects behind = h.receive("n3", new PreVoteRequest(3, 1, 4));
    assertEquals(new PreVoteResponse(3, false), behind.sends().get(0).msg());
    Effects sameTerm = h.receive("n3", new PreVoteRequest(2, 2, 1));
    assertEquals(new PreVoteResponse(2, false), sameTerm.sends().get(0).msg());
    Effects ok = h.receive("n3", new PreVoteRequest(3, 2, 1));
    assertEquals(new PreVoteResponse(3, true), ok.sends().get(0).msg());
    assertEquals(2, h.node.currentTerm(), "a pre-vote request does not change the receiver's term");
    assertEquals(RaftNode.NIL, h.node.votedFor());
  }

  // ---- Log replication (§3.5) ---------------------------------------------------------------

  @Test
  void aFollowerTruncatesItsLogOnlyAtAConflict() {
    Harness h = new Harness("n1", false, false);
    follow(h, "n2", 2, List.of(entry(1, 1), entry(1, 2), entry(2, 3)));

    // An old, duplicated request for index 2 only: it matches, and nothing after it is cut.
    Effects old = h.receive("n2", new AppendEntriesRequest(2, 1, 1, List.of(entry(1, 2)), 0));
    assertEquals(new AppendEntriesResponse(2, true, 2), old.sends().get(0).msg());
    assertEquals(List.of(entry(1, 1), entry(1, 2), entry(2, 3)), h.node.log());

    // A request whose entry at index 2 has another term: the log is cut there, and the new one appended.
    Effects conflict = h.receive("n2", new AppendEntriesRequest(2, 1, 1, List.of(entry(2, 9)), 0));
    assertEquals(new AppendEntriesResponse(2, true, 2), conflict.sends().get(0).msg());
    assertEquals(List.of(entry(1, 1), entry(2, 9)), h.node.log());
    assertEquals(2, h.storage.log().lastIndex(), "the durable log is cut too");
  }

  @Test
  void aRequestThatDoesNotMatchAtPrevLogIndexFailsAndAStaleOneIsRejected() {
    Harness h = new Harness("n1", false, false);
    follow(h, "n2", 2, List.of(entry(1, 1)));
    Effects gap = h.receive("n2", new AppendEntriesRequest(2, 3, 2, List.of(entry(2, 5)), 0));
    assertEquals(new AppendEntriesResponse(2, false, 0), gap.sends().get(0).msg());
    Effects wrongTerm = h.receive("n2", new AppendEntriesRequest(2, 1, 2, List.of(entry(2, 5)), 0));
    assertEquals(new AppendEntriesResponse(2, false, 0), wrongTerm.sends().get(0).msg());
    Effects stale = h.receive("n3", new AppendEntriesRequest(1, 0, 0, List.of(entry(1, 7)), 1));
    assertEquals(new AppendEntriesResponse(2, false, 0), stale.sends().get(0).msg());
    assertEquals(List.of(entry(1, 1)), h.node.log());
    assertEquals(0, h.node.commitIndex());
  }

  @Test
  void aFollowerCommitsWhatTheLeaderCommittedButNoFurtherThanWhatTheRequestVouchesFor() {
    Harness h = new Harness("n1", false, false);
    follow(h, "n2", 1, List.of(entry(1, 1), entry(1, 2), entry(1, 3)));
    // leaderCommit 3, but this request vouches only for index 1: entries 2 and 3 may be stale.
    Effects e = h.receive("n2", new AppendEntriesRequest(1, 0, 0, List.of(entry(1, 1)), 3));
    assertEquals(1, h.node.commitIndex());
    assertEquals(List.of(new AppliedEntry(1, Command.put("c1", 1, "k", 1))), e.deliveries());
  }

  @Test
  void aCandidateOfTheSameTermBecomesAFollowerOfItsLeader() {
    Harness h = new Harness("n1", false, false);
    h.timer(RaftNode.ELECTION_TIMER);
    Effects e = h.receive("n2", new AppendEntriesRequest(1, 0, 0, List.of(), 0));
    assertEquals(List.of("HandleAppendEntriesRequest"), actions(e));
    assertEquals(RaftState.FOLLOWER, h.node.state());
    assertEquals("n1", h.node.votedFor(), "its vote in the term stays");
  }

  // ---- The leader: client requests, the commit rule (§3.6.2) --------------------------------

  @Test
  void aLeaderAppendsAClientRequestAndReplicatesItAtOnceAndANonLeaderNamesTheLeaderItKnows() {
    Harness follower = new Harness("n2", false, false);
    Effects refused = follower.request(Command.put("c1", 1, "a", 1));
    assertTrue(refused.actions().isEmpty() && refused.sends().isEmpty(), "a follower appends nothing, sends nothing");
    assertEquals(List.of(new KvReply.NotLeader("c1", 1, KvReply.NO_HINT)), refused.deliveries(), "no leader known yet");
    follow(follower, "n3", 1, List.of());
    assertEquals(List.of(new KvReply.NotLeader("c1", 1, "n3")), follower.request(Command.put("c1", 1, "a", 1)).deliveries());

    Harness h = new Harness("n1", false, false);
    lead(h);
    Effects e = h.request(Command.put("c1", 1, "a", 1));
    assertEquals(List.of("ClientRequest", "AppendEntries", "AppendEntries", "AppendEntries", "AppendEntries"),
        actions(e));
    assertEquals(List.of(new Entry(1, Command.put("c1", 1, "a", 1))), h.node.log());
    assertEquals(new AppendEntriesRequest(1, 0, 0, List.of(new Entry(1, Command.put("c1", 1, "a", 1))), 0), e.sends().get(0).msg());
    assertTrue(e.wrote(), "the entry is durable before the requests leave");
  }

  /**
   * The dissertation's Figure 3.7: a leader must not commit an entry of an earlier term by
   * counting its replicas; it commits it only once an entry of its own term, after it, is on a
   * quorum.
   */
  @Test
  void aLeaderCommitsAnEntryOfAnEarlierTermOnlyThroughOneOfItsOwnTerm() {
    Harness h = new Harness("n1", false, false);
    follow(h, "n2", 1, List.of(entry(1, 1)));
    lead(h);
    assertEquals(2, h.node.currentTerm());
    // The earlier term's entry reaches a quorum (n1, n2, n3): not committed.
    Effects two = h.receive("n2", new AppendEntriesResponse(2, true, 1));
    Effects three = h.receive("n3", new AppendEntriesResponse(2, true, 1));
    assertEquals(List.of("HandleAppendEntriesResponse"), actions(two));
    assertEquals(List.of("HandleAppendEntriesResponse"), actions(three));
    assertEquals(0, h.node.commitIndex());
    assertEquals(1, h.node.matchIndex("n3"));
    assertEquals(2, h.node.nextIndex("n3"));

    // An entry of term 2 on a quorum commits both.
    h.request(Command.put("c1", 2, "k", 2));
    h.receive("n2", new AppendEntriesResponse(2, true, 2));
    Effects commit = h.receive("n3", new AppendEntriesResponse(2, true, 2));
    assertEquals(List.of("HandleAppendEntriesResponse", "AdvanceCommitIndex"), actions(commit));
    assertEquals(2, h.node.commitIndex());
    assertEquals(List.of(new AppliedEntry(1, Command.put("c1", 1, "k", 1)), KvReply.applied(Command.put("c1", 1, "k", 1), Result.ok(1)),
        new AppliedEntry(2, Command.put("c1", 2, "k", 2)), KvReply.applied(Command.put("c1", 2, "k", 2), Result.ok(2))),
        commit.deliveries(), "a leader reports each entry it applies and answers its client");
  }

  @Test
  void aFailedAppendMovesNextIndexBackByOneAndRetriesAndAStaleSuccessDoesNotMoveMatchIndexBack() {
    Harness h = new Harness("n1", false, false);
    follow(h, "n2", 1, List.of(entry(1, 1), entry(1, 2)));
    lead(h);
    assertEquals(3, h.node.nextIndex("n4"));
    Effects fail = h.receive("n4", new AppendEntriesResponse(2, false, 0));
    assertEquals(List.of("HandleAppendEntriesResponse", "AppendEntries"), actions(fail));
    assertEquals(2, h.node.nextIndex("n4"));
    assertEquals(new AppendEntriesRequest(2, 1, 1, List.of(entry(1, 2)), 0), fail.sends().get(0).msg());

    h.receive("n5", new AppendEntriesResponse(2, true, 2));
    h.receive("n5", new AppendEntriesResponse(2, true, 1));
    assertEquals(2, h.node.matchIndex("n5"), "an older success does not move matchIndex back");
    assertEquals(3, h.node.nextIndex("n5"));

    Effects stale = h.receive("n5", new AppendEntriesResponse(1, false, 0));
    assertTrue(stale.actions().isEmpty(), "a response of an older term is no action");
  }

  @Test
  void aLeaderStepsDownOnAResponseOfAHigherTerm() {
    Harness h = new Harness("n1", false, false);
    lead(h);
    Effects e = h.receive("n2", new AppendEntriesResponse(5, false, 0));
    assertEquals(List.of("HandleAppendEntriesResponse"), actions(e));
    assertEquals(RaftState.FOLLOWER, h.node.state());
    assertEquals(5, h.node.currentTerm());
    assertTrue(e.timers().contains(new Effects.Timer(RaftNode.HEARTBEAT_TIMER, -1)), "heartbeats stop");
  }

  // ---- Check-quorum (§6.2) ------------------------------------------------------------------

  @Test
  void withCheckQuorumALeaderThatHeardFromNoQuorumStepsDown() {
    Harness h = new Harness("n1", false, true);
    lead(h);
    h.receive("n2", new AppendEntriesResponse(1, true, 0));
    h.receive("n3", new AppendEntriesResponse(1, true, 0));
    Effects kept = h.timer(RaftNode.CHECK_QUORUM_TIMER);
    assertEquals(List.of("LeaderCheckQuorum"), actions(kept));
    assertEquals(RaftState.LEADER, h.node.state(), "n1, n2 and n3 are a quorum");

    h.receive("n2", new AppendEntriesResponse(1, true, 0));
    Effects lost = h.timer(RaftNode.CHECK_QUORUM_TIMER);
    assertEquals(List.of("LeaderCheckQuorum"), actions(lost));
    assertEquals(RaftState.FOLLOWER, h.node.state(), "n1 and n2 are no quorum of five");
    assertEquals(1, h.node.currentTerm());
  }

  // ---- Restart (§3.8) -----------------------------------------------------------------------

  @Test
  void aRestartKeepsTheTermTheVoteAndTheLogAndLosesEverythingElse() {
    Harness h = new Harness("n1", false, false);
    follow(h, "n2", 1, List.of(entry(1, 1), entry(1, 2)));
    h.receive("n2", new AppendEntriesRequest(1, 2, 1, List.of(), 2));
    h.receive("n3", new RequestVoteRequest(2, 1, 2));
    assertEquals(2, h.node.commitIndex());
    assertEquals("n3", h.node.votedFor());
    h.storage.flush();
    h.storage.crash(true);

    Harness after = new Harness("n1", h.storage, false, false);
    Effects e = after.runner.collect(after.node::onRecover);
    assertEquals(List.of("Restart"), actions(e));
    assertEquals(2, after.node.currentTerm());
    assertEquals("n3", after.node.votedFor());
    assertEquals(List.of(entry(1, 1), entry(1, 2)), after.node.log());
    assertEquals(0, after.node.commitIndex());
    assertEquals(RaftState.FOLLOWER, after.node.state());
    assertTrue(after.node.applied().isEmpty());

    // The vote it gave before the crash still binds it.
    assertEquals(new RequestVoteResponse(2, false),
        after.receive("n4", new RequestVoteRequest(2, 1, 2)).sends().get(0).msg());
  }
}
