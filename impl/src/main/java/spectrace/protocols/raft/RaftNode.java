package spectrace.protocols.raft;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import spectrace.kv.AppliedEntry;
import spectrace.core.DurableLog;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecLog;
import spectrace.core.SpecMap;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.kv.Command;
import spectrace.kv.KvReply;
import spectrace.kv.KvRequest;
import spectrace.kv.KvStore;
import spectrace.kv.Result;
import spectrace.net.WireCodec;
import spectrace.protocols.raft.RaftMessage.AppendEntriesRequest;
import spectrace.protocols.raft.RaftMessage.AppendEntriesResponse;
import spectrace.protocols.raft.RaftMessage.PreVoteRequest;
import spectrace.protocols.raft.RaftMessage.PreVoteResponse;
import spectrace.protocols.raft.RaftMessage.RequestVoteRequest;
import spectrace.protocols.raft.RaftMessage.RequestVoteResponse;

/**
 * A server of Raft.tla (Ongaro's dissertation, chapter 3, with pre-vote and check-quorum of
 * §9.6 and §6.2): leader election with randomized timeouts, log replication with conflict
 * truncation, the commit rule, and crash recovery from durable {@code currentTerm},
 * {@code votedFor} and log.
 *
 * <p>Each {@link SpecVar} field holds this server's entry of the spec variable of the same
 * name; each {@link SpecAction} method is the spec action of its name, with {@code i} this
 * server, {@code j} the peer and {@code m} the message received, and does what the action does,
 * its sends included. The input handlers call an action only where the spec enables it; a
 * message that the spec's server would ignore (a response of an older term, a vote for a server
 * that is no longer a candidate, a replication answer to a server that is no longer leader) is
 * dropped with no action at all. One input may take several actions in one step (a vote that
 * completes a quorum is {@code HandleRequestVoteResponse}, then {@code BecomeLeader}, then
 * {@code AppendEntries} to every peer).
 *
 * <p>Durability (§3.8): {@code currentTerm} and {@code votedFor} are storage keys, the log is
 * the storage's {@link DurableLog}; every change is written in the step that makes it, and the
 * runtime flushes a step's writes before its sends leave, so no message depends on state a crash
 * could lose. Everything else is volatile: a restart ({@link #onRecover}) rebuilds the durable
 * state and starts over as a follower with {@code commitIndex} 0, applying its log again from
 * the start as the commit index comes back.
 *
 * <p>Timing (§3.4): the election timeout is drawn from {@link #random()} in
 * [{@link #ELECTION_TIMEOUT}, 2 * {@link #ELECTION_TIMEOUT}) each time it is armed; a leader sends
 * AppendEntries to every peer every {@link #HEARTBEAT} ticks and, with check-quorum, checks every
 * {@link #ELECTION_TIMEOUT} ticks that it heard from a quorum.
 */
public class RaftNode extends ProtocolNode<RaftMessage> {

  /** Raft.tla's {@code Nil}: no vote. */
  public static final String NIL = "nil";
  /** The least election timeout, in ticks; each timeout is drawn in [this, twice this). */
  public static final long ELECTION_TIMEOUT = 300;
  /** A leader's heartbeat period, in ticks. */
  public static final long HEARTBEAT = 50;
  /** The most entries one AppendEntriesRequest carries (the spec leaves the batch free). */
  public static final int MAX_ENTRIES = 16;
  /** The storage key of the durable currentTerm. */
  public static final String TERM_KEY = "currentTerm";
  /** The storage key of the durable votedFor. */
  public static final String VOTE_KEY = "votedFor";

  static final String ELECTION_TIMER = "election";
  static final String HEARTBEAT_TIMER = "heartbeat";
  static final String CHECK_QUORUM_TIMER = "check-quorum";

  // ---- Raft.tla's per-server variables ------------------------------------------------------

  @SpecVar(value = "currentTerm", indexed = true)
  protected int currentTerm;

  @SpecVar(value = "state", indexed = true)
  protected RaftState state = RaftState.FOLLOWER;

  @SpecVar(value = "votedFor", indexed = true)
  protected String votedFor = NIL;

  /** The log, 1-based in the spec: {@code log.get(k - 1)} is the spec's {@code log[i][k]}. */
  @SpecVar(value = "log", indexed = true)
  protected final SpecLog<Entry> log = new SpecLog<>();

  @SpecVar(value = "commitIndex", indexed = true)
  protected int commitIndex;

  @SpecVar(value = "votesGranted", indexed = true)
  protected final Set<String> votesGranted = new TreeSet<>();

  @SpecVar(value = "preVotesGranted", indexed = true)
  protected final Set<String> preVotesGranted = new TreeSet<>();

  @SpecVar(value = "nextIndex", indexed = true)
  protected final SpecMap<String, Integer> nextIndex = new SpecMap<>();

  @SpecVar(value = "matchIndex", indexed = true)
  protected final SpecMap<String, Integer> matchIndex = new SpecMap<>();

  /** With check-quorum: the servers this leader heard from in its current check period. */
  @SpecVar(value = "heardFrom", indexed = true)
  protected final Set<String> heardFrom = new TreeSet<>();

  // ---- Not in the spec ----------------------------------------------------------------------

  /** Every server of the run, this one included, in the run's order. */
  protected final List<String> servers;
  /** The other servers. */
  protected final List<String> peers;
  protected final boolean preVote;
  protected final boolean checkQuorum;
  /** How entries' values are written to the durable log. */
  private final WireCodec commands;
  /** The entries applied to the state machine, in order: {@code applied.get(k - 1)} is index k. */
  private final List<Entry> applied = new ArrayList<>();
  /** The state machine: the replicated key-value store, rebuilt from the log after a restart. */
  private final KvStore store = new KvStore();
  /** The leader of the current term as far as this server knows (itself, when leader), or null. */
  private String leader;

  /**
   * Server {@code id} of a run of {@code servers}.
   *
   * @param preVote      run pre-vote before an election (§9.6): Raft.tla's {@code PreVote}
   * @param checkQuorum  a leader steps down when it has not heard from a quorum for an election
   *                     timeout (§6.2): Raft.tla's {@code CheckQuorum}
   */
  public RaftNode(String id, List<String> servers, boolean preVote, boolean checkQuorum) {
    super(id);
    if (!servers.contains(id)) {
      throw new IllegalArgumentException(id + " is not one of the servers " + servers);
    }
    this.servers = List.copyOf(servers);
    this.peers = this.servers.stream().filter(s -> !s.equals(id)).toList();
    this.preVote = preVote;
    this.checkQuorum = checkQuorum;
    this.commands = new WireCodec(RaftMessage.class, List.of(Command.class));
    resetIndexes();
  }

  // ---- What tests and invariants look at ----------------------------------------------------

  /** This server's currentTerm. */
  public int currentTerm() {
    return currentTerm;
  }

  /** This server's role. */
  public RaftState state() {
    return state;
  }

  /** Whom this server voted for in its current term, or {@value #NIL}. */
  public String votedFor() {
    return votedFor;
  }

  /** This server's log, in order (a copy). */
  public List<Entry> log() {
    return List.copyOf(log);
  }

  /** The key-value store this server applied its committed entries to. */
  protected KvStore store() {
    return store;
  }

  /** The leader this server knows of in its term (itself, when leader), or null. */
  protected String leader() {
    return leader;
  }

  /** This server's commitIndex. */
  public int commitIndex() {
    return commitIndex;
  }

  /** The entries this server applied since it (re)started, in order (a view). */
  public List<Entry> applied() {
    return java.util.Collections.unmodifiableList(applied);
  }

  /** This server's nextIndex for {@code server}. */
  public int nextIndex(String server) {
    return nextIndex.get(server);
  }

  /** This server's matchIndex for {@code server}. */
  public int matchIndex(String server) {
    return matchIndex.get(server);
  }

  // ---- Inputs -------------------------------------------------------------------------------

  @Override
  public void start() {
    armElectionTimer();
  }

  /**
   * Restart(i): the server comes back from a crash with its durable currentTerm, votedFor and
   * log, and every volatile variable as Init has it: a follower with commitIndex 0.
   */
  @Override
  @SpecAction(value = "Restart", self = "i")
  public void onRecover() {
    String term = storage().getString(TERM_KEY);
    currentTerm = term == null ? 0 : Integer.parseInt(term);
    String vote = storage().getString(VOTE_KEY);
    votedFor = vote == null ? NIL : vote;
    DurableLog durable = storage().log();
    List<Entry> entries = new ArrayList<>();
    for (byte[] b : durable.read(durable.firstIndex(), durable.lastIndex())) {
      entries.add(decode(b));
    }
    log.truncate(0);
    for (Entry e : entries) {
      log.append(e);
    }
    state = RaftState.FOLLOWER;
    commitIndex = 0;
    votesGranted.clear();
    preVotesGranted.clear();
    heardFrom.clear();
    resetIndexes();
    armElectionTimer();
  }

  @Override
  public void onTimer(String name) {
    switch (name) {
      case ELECTION_TIMER -> {
        armElectionTimer();
        if (state != RaftState.LEADER) {
          timeout();
        }
      }
      case HEARTBEAT_TIMER -> {
        if (state == RaftState.LEADER) {
          replicateToAll();
          setTimer(HEARTBEAT_TIMER, HEARTBEAT);
        }
      }
      case CHECK_QUORUM_TIMER -> {
        if (state == RaftState.LEADER && checkQuorum) {
          checkQuorum();
          if (state == RaftState.LEADER) {
            setTimer(CHECK_QUORUM_TIMER, ELECTION_TIMEOUT);
          } else {
            cancelTimer(HEARTBEAT_TIMER);
          }
        }
      }
      default -> {
        // not one of this server's timers
      }
    }
  }

  /**
   * A client's request: a leader appends its command and replicates it, and answers once it is
   * applied ({@link #apply}); any other server answers that it is not the leader, naming the
   * one it knows (§6.2).
   */
  @Override
  public void onRequest(Object request) {
    if (!(request instanceof KvRequest r)) {
      return;
    }
    if (state == RaftState.LEADER) {
      clientRequest(r.command());
      replicateToAll();
    } else {
      deliver(KvReply.notLeader(r.command(), leader));
    }
  }

  @Override
  public void onMessage(String from, RaftMessage msg) {
    if (!peers.contains(from)) {
      return;
    }
    if (msg instanceof RequestVoteRequest m) {
      handleRequestVoteRequest(from, m);
    } else if (msg instanceof RequestVoteResponse m) {
      if (m.term() > currentTerm || (m.term() == currentTerm && state == RaftState.CANDIDATE)) {
        handleRequestVoteResponse(from, m);
        if (state == RaftState.CANDIDATE && isQuorum(votesGranted)) {
          becomeLeader();
          replicateToAll();
        }
      }
    } else if (msg instanceof PreVoteRequest m) {
      handlePreVoteRequest(from, m);
    } else if (msg instanceof PreVoteResponse m) {
      if (preVote && state == RaftState.PRECANDIDATE && m.term() == currentTerm + 1) {
        handlePreVoteResponse(from, m);
        if (isQuorum(preVotesGranted)) {
          startElection();
        }
      }
    } else if (msg instanceof AppendEntriesRequest m) {
      int before = commitIndex;
      handleAppendEntriesRequest(from, m);
      applyCommitted(before);
    } else if (msg instanceof AppendEntriesResponse m) {
      if (m.term() > currentTerm || (m.term() == currentTerm && state == RaftState.LEADER)) {
        handleAppendEntriesResponse(from, m);
        if (state == RaftState.LEADER) {
          int before = commitIndex;
          if (committable() > commitIndex) {
            advanceCommitIndex();
            applyCommitted(before);
          }
          if (nextIndex.get(from) <= log.size()) {
            appendEntries(from);
          }
        }
      }
    }
  }

  // ---- Election (§3.4, §3.6.1, §9.6) --------------------------------------------------------

  /**
   * Timeout(i): with pre-vote, the server becomes a precandidate and asks every other server
   * whether it would vote for it in the next term; without, it starts an election at once.
   */
  @SpecAction(value = "Timeout", self = "i")
  protected void timeout() {
    if (preVote) {
      state = RaftState.PRECANDIDATE;
      preVotesGranted.clear();
      preVotesGranted.add(id);
      for (String j : peers) {
        send(j, new PreVoteRequest(currentTerm + 1, lastLogTerm(), log.size()));
      }
    } else {
      campaign();
    }
  }

  /** StartElection(i): a precandidate with a quorum of pre-votes stands for election. */
  @SpecAction(value = "StartElection", self = "i")
  protected void startElection() {
    campaign();
  }

  /** What StartElection does: a new term, a vote for itself, RequestVote to every other server. */
  private void campaign() {
    setTerm(currentTerm + 1);
    setVote(id);
    state = RaftState.CANDIDATE;
    leader = null;
    votesGranted.clear();
    votesGranted.add(id);
    preVotesGranted.clear();
    armElectionTimer();
    for (String j : peers) {
      send(j, new RequestVoteRequest(currentTerm, lastLogTerm(), log.size()));
    }
  }

  /**
   * HandleRequestVoteRequest(i, j, m): a higher term makes this server a follower of it; the vote
   * is granted iff the terms match, this server has not voted for another in the term, and j's
   * log is at least as up to date as its own (§3.6.1). The answer carries this server's term.
   */
  @SpecAction(value = "HandleRequestVoteRequest", self = "i")
  protected void handleRequestVoteRequest(@SpecParam("j") String j, @SpecParam("m") RequestVoteRequest m) {
    if (m.term() > currentTerm) {
      stepDown(m.term());
    }
    boolean grant = m.term() == currentTerm && mayVoteFor(j) && upToDate(m.lastLogTerm(), m.lastLogIndex());
    if (grant) {
      setVote(j);
      armElectionTimer();
    }
    send(j, new RequestVoteResponse(currentTerm, grant));
  }

  /**
   * HandleRequestVoteResponse(i, j, m): a higher term makes this server a follower of it; a
   * candidate counts a vote granted in its term.
   */
  @SpecAction(value = "HandleRequestVoteResponse", self = "i")
  protected void handleRequestVoteResponse(@SpecParam("j") String j, @SpecParam("m") RequestVoteResponse m) {
    if (m.term() > currentTerm) {
      stepDown(m.term());
    } else if (m.voteGranted()) {
      votesGranted.add(j);
    }
  }

  /**
   * HandlePreVoteRequest(i, j, m): a pre-vote is granted iff the term j would stand in is higher
   * than this server's and j's log is at least as up to date (§9.6). Nothing of this server
   * changes: the answer carries the request's term.
   */
  @SpecAction(value = "HandlePreVoteRequest", self = "i")
  protected void handlePreVoteRequest(@SpecParam("j") String j, @SpecParam("m") PreVoteRequest m) {
    boolean grant = m.term() > currentTerm && upToDate(m.lastLogTerm(), m.lastLogIndex());
    send(j, new PreVoteResponse(m.term(), grant));
  }

  /** HandlePreVoteResponse(i, j, m): a precandidate counts a pre-vote granted for its next term. */
  @SpecAction(value = "HandlePreVoteResponse", self = "i")
  protected void handlePreVoteResponse(@SpecParam("j") String j, @SpecParam("m") PreVoteResponse m) {
    if (m.voteGranted()) {
      preVotesGranted.add(j);
    }
  }

  /**
   * BecomeLeader(i): a candidate with a quorum of votes leads its term; nextIndex starts just past
   * its log, matchIndex at 0.
   */
  @SpecAction(value = "BecomeLeader", self = "i")
  protected void becomeLeader() {
    state = RaftState.LEADER;
    leader = id;
    for (String s : servers) {
      nextIndex.put(s, log.size() + 1);
      matchIndex.put(s, 0);
    }
    heardFrom.clear();
    setTimer(HEARTBEAT_TIMER, HEARTBEAT);
    if (checkQuorum) {
      setTimer(CHECK_QUORUM_TIMER, ELECTION_TIMEOUT);
    }
  }

  /**
   * LeaderCheckQuorum(i) (the interface's CheckQuorum(i)): a leader that has not heard from a
   * quorum since its last check steps down (§6.2); otherwise a new check period starts.
   */
  @SpecAction(value = "LeaderCheckQuorum", self = "i")
  protected void checkQuorum() {
    Set<String> heard = new TreeSet<>(heardFrom);
    heard.add(id);
    if (!isQuorum(heard)) {
      state = RaftState.FOLLOWER;
      leader = null;
    }
    heardFrom.clear();
  }

  // ---- Log replication (§3.5, §3.6.2) -------------------------------------------------------

  /** ClientRequest(i, v): the leader appends the command to its log, in its term. */
  @SpecAction(value = "ClientRequest", self = "i")
  protected void clientRequest(@SpecParam("v") Command v) {
    append(new Entry(currentTerm, v));
  }

  /** The leader sends j the entries from nextIndex[i][j] on, at most {@link #MAX_ENTRIES}. */
  protected void appendEntries(String j) {
    appendEntries(j, Math.min(log.size(), prevLogIndex(j) + MAX_ENTRIES));
  }

  /**
   * AppendEntries(i, j, last): the leader sends j the entries after the one at prevLogIndex up
   * to index {@code last}, with its commitIndex.
   */
  @SpecAction(value = "AppendEntries", self = "i")
  protected void appendEntries(@SpecParam("j") String j, @SpecParam("last") int last) {
    int prev = prevLogIndex(j);
    List<Entry> entries = List.copyOf(log.subList(prev, last));
    send(j, new AppendEntriesRequest(currentTerm, prev, termAt(prev), entries, commitIndex));
  }

  /**
   * HandleAppendEntriesRequest(i, j, m): a higher term makes this server a follower of it, and a
   * candidate or precandidate of the same term becomes a follower; a request of an older term is
   * rejected. Otherwise, if the log matches at prevLogIndex, the whole request is taken: the log
   * is cut at the first entry that conflicts (only there), the entries it lacks are appended, and
   * commitIndex moves up to what the leader committed of them; if not, the request fails.
   */
  @SpecAction(value = "HandleAppendEntriesRequest", self = "i")
  protected void handleAppendEntriesRequest(@SpecParam("j") String j, @SpecParam("m") AppendEntriesRequest m) {
    if (m.term() > currentTerm) {
      stepDown(m.term());
    }
    if (stale(m)) {
      send(j, new AppendEntriesResponse(currentTerm, false, 0));
      return;
    }
    state = RaftState.FOLLOWER;
    leader = j;
    armElectionTimer();
    int prev = m.prevLogIndex();
    boolean logOk = prev == 0 || (prev <= log.size() && termAt(prev) == m.prevLogTerm());
    if (!logOk) {
      send(j, new AppendEntriesResponse(currentTerm, false, 0));
      return;
    }
    takeEntries(prev, m.entries());
    int last = prev + m.entries().size();
    commitIndex = followerCommit(m.leaderCommit(), last);
    send(j, new AppendEntriesResponse(currentTerm, true, last));
  }

  /**
   * HandleAppendEntriesResponse(i, j, m): a higher term makes this server a follower of it; a
   * leader's answer of its term moves j's matchIndex up and nextIndex past it on success, and
   * nextIndex back by one (not below 1) on failure.
   */
  @SpecAction(value = "HandleAppendEntriesResponse", self = "i")
  protected void handleAppendEntriesResponse(@SpecParam("j") String j, @SpecParam("m") AppendEntriesResponse m) {
    if (m.term() > currentTerm) {
      stepDown(m.term());
      return;
    }
    takeResponse(j, m);
  }

  /**
   * A leader's answer from j of its own term: j was heard from; on success j's matchIndex
   * moves up and nextIndex past it, on failure nextIndex back by one (not below 1).
   */
  protected final void takeResponse(String j, AppendEntriesResponse m) {
    if (checkQuorum) {
      heardFrom.add(j);
    }
    if (m.success()) {
      int match = Math.max(matchIndex.get(j), m.matchIndex());
      matchIndex.put(j, match);
      nextIndex.put(j, match + 1);
    } else {
      nextIndex.put(j, Math.max(nextIndex.get(j) - 1, 1));
    }
  }

  /**
   * AdvanceCommitIndex(i): the leader commits up to the largest index that a quorum holds (itself
   * included) and whose entry is of its own term (§3.6.2: entries of earlier terms are committed
   * only through such an entry).
   */
  @SpecAction(value = "AdvanceCommitIndex", self = "i")
  protected void advanceCommitIndex() {
    commitIndex = committable();
  }

  /** The largest index AdvanceCommitIndex may commit: a quorum's, of this term; else commitIndex. */
  protected int committable() {
    for (int n = log.size(); n > commitIndex; n--) {
      if (!countsReplicas(n)) {
        return commitIndex;
      }
      int holders = 1;
      for (String j : peers) {
        if (matchIndex.get(j) >= n) {
          holders++;
        }
      }
      if (2 * holders > servers.size()) {
        return n;
      }
    }
    return commitIndex;
  }

  // ---- The rules, one method each --------------------------------------------------------------

  /** §3.6: a vote in this term may go to {@code j}: none cast yet, or cast for j already. */
  protected boolean mayVoteFor(String j) {
    return votedFor.equals(NIL) || votedFor.equals(j);
  }

  /**
   * §3.6.2: whether the leader may commit the entry at {@code n} by counting its replicas: only
   * an entry of its own term (earlier entries are committed through one, Figure 3.7).
   */
  protected boolean countsReplicas(int n) {
    return termAt(n) == currentTerm;
  }

  /** §3.5: an AppendEntries request of an older term is refused. */
  protected boolean stale(AppendEntriesRequest m) {
    return m.term() < currentTerm;
  }

  /**
   * §3.5: the entries of a request that matched at {@code prev}: the log is cut at the first
   * entry that conflicts with one of them (same index, another term), and only there, and the
   * ones it lacks are appended; entries after the request's last are kept (a late or duplicated
   * request must not undo what a later one appended).
   */
  protected void takeEntries(int prev, List<Entry> entries) {
    for (int k = 0; k < entries.size(); k++) {
      int index = prev + 1 + k;
      if (index <= log.size() && termAt(index) != entries.get(k).term()) {
        truncate(index - 1);
      }
      if (index > log.size()) {
        append(entries.get(k));
      }
    }
  }

  /**
   * A follower's commitIndex after a request whose entries end at {@code last}: up to what the
   * leader committed, no further than what the request vouches for, and never back.
   */
  protected int followerCommit(int leaderCommit, int last) {
    return Math.max(commitIndex, Math.min(leaderCommit, last));
  }

  /** The index of the entry an AppendEntries to {@code j} follows: nextIndex[i][j] - 1. */
  protected int prevLogIndex(String j) {
    return nextIndex.get(j) - 1;
  }

  /** AppendEntries(i, j) for every other server j. */
  private void replicateToAll() {
    for (String j : peers) {
      appendEntries(j);
    }
  }

  // ---- The state machine --------------------------------------------------------------------

  /** Applies the entries committed since {@code before}, in order. */
  private void applyCommitted(int before) {
    for (int k = Math.max(before, applied.size()) + 1; k <= commitIndex; k++) {
      apply(k, log.get(k - 1));
    }
  }

  /**
   * Applies the entry at {@code index} to the key-value store and reports it; a leader also
   * answers the command's client (a command applied again under its session gets the answer
   * it got the first time, §6.3).
   */
  protected void apply(int index, Entry e) {
    applied.add(e);
    Result result = store.apply(e.value());
    deliver(new AppliedEntry(index, e.value()));
    if (state == RaftState.LEADER) {
      deliver(KvReply.applied(e.value(), result));
    }
  }

  // ---- Helpers ------------------------------------------------------------------------------

  /** A higher term: the server adopts it as a follower that has not voted in it. */
  private void stepDown(int term) {
    setTerm(term);
    setVote(NIL);
    leader = null;
    if (state == RaftState.LEADER) {
      cancelTimer(HEARTBEAT_TIMER);
      cancelTimer(CHECK_QUORUM_TIMER);
    }
    state = RaftState.FOLLOWER;
  }

  private void setTerm(int term) {
    currentTerm = term;
    storage().putString(TERM_KEY, Integer.toString(term));
  }

  /** Casts this term's vote for {@code server} ({@value #NIL}: none), durable before any send. */
  protected void setVote(String server) {
    votedFor = server;
    storage().putString(VOTE_KEY, server);
  }

  protected void append(Entry e) {
    log.append(e);
    storage().log().append(encode(e));
  }

  /** Keeps the first {@code n} entries. */
  protected void truncate(int n) {
    log.truncate(n);
    storage().log().truncateFrom(n + 1);
  }

  private void resetIndexes() {
    nextIndex.clear();
    matchIndex.clear();
    for (String s : servers) {
      nextIndex.put(s, 1);
      matchIndex.put(s, 0);
    }
  }

  private void armElectionTimer() {
    setTimer(ELECTION_TIMER, ELECTION_TIMEOUT + random().nextLong(ELECTION_TIMEOUT));
  }

  /** The term of the entry at {@code index} (1-based), 0 for index 0. */
  protected int termAt(int index) {
    return index == 0 ? 0 : log.get(index - 1).term();
  }

  protected int lastLogTerm() {
    return termAt(log.size());
  }

  /** §3.6.1: a log that ends in (lastTerm, lastIndex) is at least as up to date as this one. */
  protected boolean upToDate(int lastTerm, int lastIndex) {
    return lastTerm > lastLogTerm() || (lastTerm == lastLogTerm() && lastIndex >= log.size());
  }

  protected boolean isQuorum(Set<String> s) {
    return 2 * s.size() > servers.size();
  }

  private byte[] encode(Entry e) {
    byte[] value = commands.encode(e.value());
    return ByteBuffer.allocate(4 + value.length).putInt(e.term()).put(value).array();
  }

  private Entry decode(byte[] b) {
    ByteBuffer buf = ByteBuffer.wrap(b);
    int term = buf.getInt();
    byte[] value = new byte[b.length - 4];
    buf.get(value);
    try {
      return new Entry(term, (Command) commands.decode(value));
    } catch (WireCodec.WireException ex) {
      throw new IllegalStateException(id + ": a log entry in storage does not decode: " + ex.getMessage(), ex);
    }
  }
}
