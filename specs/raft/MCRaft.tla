-------------------------------- MODULE MCRaft -------------------------------
(* Models of Raft for TLC.  Everything that exists only for TLC lives here: *)
(* the bounds, symmetry, the known bugs (operators of Raft.tla overridden   *)
(* in a model's .cfg), the scenarios of the pre-vote and check-quorum       *)
(* models, and the invariants that must fail (reachability).  Raft.tla      *)
(* stays the protocol.                                                      *)
EXTENDS Raft

CONSTANTS
  MaxTerm,    \* no server goes beyond this term
  MaxLogLen,  \* no log grows beyond this length
  MaxMsgs     \* no more packets than this are sent

\* Servers are interchangeable (model values): symmetry.
ServerSymmetry == Permutations(Server)

\* The bounds, as an action constraint: no step goes beyond them.
BoundConstraint ==
  \A i \in Server : /\ currentTerm'[i] <= MaxTerm
                    /\ Len(log'[i]) <= MaxLogLen

\* A leader sends every entry from nextIndex on (Raft leaves the batch free;
\* an earlier request still carries fewer, since the log was shorter then).
FullBatchConstraint ==
  \A p \in msgs' \ msgs :
    p.msg.type = "AppendEntriesRequest"
      => p.msg.prevLogIndex + Len(p.msg.entries) = Len(log[p.from])

\* A leader sends no AppendEntries without entries (no heartbeats): for
\* the known-bug models whose counterexamples need none.
NoHeartbeatConstraint ==
  \A p \in msgs' \ msgs :
    p.msg.type = "AppendEntriesRequest" => p.msg.entries # <<>>

\* At most MaxMsgs packets are ever sent (the network's bound).
MsgConstraint == Cardinality(msgs') <= MaxMsgs

\* The same bounds as state constraints, for TLC's distributed mode: it
\* marks a successor seen before it checks the action constraints, so that
\* a state first reached by a step they forbid is never explored (the CI
\* model came out at 7,607 of its 8,417 states).  A state past a bound is
\* reached, and its invariants checked, but not explored further.
StateBoundConstraint ==
  \A i \in Server : currentTerm[i] <= MaxTerm /\ Len(log[i]) <= MaxLogLen
StateMsgConstraint == Cardinality(msgs) <= MaxMsgs

\* The liveness models' timeout: Raft's StableTimeout within the term bound
\* (a guard, not a constraint, so that its fairness means what it says).
BoundedStableTimeout(i) ==
  /\ currentTerm[i] < MaxTerm
  /\ \A j \in Server : state[j] \notin {"precandidate", "candidate"}
  /\ Timeout(i)

\* For Restart: no server crashes.
NoRestart(i) == FALSE

-----------------------------------------------------------------------------
(* Known bugs, each an override of one operator of Raft.tla.               *)

\* Figure 3.7: a leader counts replicas of an entry of any term.
CountsForCommitAnyTerm(i, k) == TRUE

\* A vote granted without the election restriction (sec. 3.6.1).
CandidateLogAnyAge(i, m) == TRUE

\* votedFor not durable: a restarted server has forgotten its vote.
RecoveredVoteLost(i) == Nil

\* A follower that cuts its log after prevLogIndex on every request, even
\* where it agrees: a late copy of an old request undoes later appends.
NewLogTruncating(i, m) == SubSeq(log[i], 1, m.prevLogIndex) \o m.entries

\* The original single-server change rule (sec. 4.1): only the previous
\* change must be committed, not an entry of the leader's own term.
CanChangeConfigOriginal(i) ==
  \A k \in 1..Len(log[i]) : IsConfigEntry(log[i][k]) => k <= commitIndex[i]

\* Figure 3.7's voter: the server that the two competing leaders both need,
\* and that never stands for election itself (any one: servers are
\* interchangeable; the others are, among themselves).
Voter == CHOOSE s \in Server : TRUE

\* The voter never becomes a precandidate or candidate.
VoterNeverStandsConstraint == state'[Voter] \notin {"precandidate", "candidate"}

\* Leaders send entries to the voter only (the figure's partial replication).
ReplicateToVoterConstraint ==
  \A p \in msgs' \ msgs : p.msg.type = "AppendEntriesRequest" => p.to = Voter

-----------------------------------------------------------------------------
(* Pre-vote: a server cut off from the others.                             *)

\* The server cut off (any one: servers are interchangeable).
Isolated == CHOOSE s \in Server : TRUE

\* Symmetry among the others.
OthersSymmetry == Permutations(Server \ {Isolated})

\* Receive, where nothing Isolated sends is received and it receives nothing.
ReceiveCutOff(i, j) ==
  /\ i # Isolated /\ j # Isolated
  /\ \E m \in MsgsFrom(j, i) :
     \/ HandlePreVoteRequest(i, j, m) \/ HandlePreVoteResponse(i, j, m)
     \/ HandleRequestVoteRequest(i, j, m) \/ HandleRequestVoteResponse(i, j, m)
     \/ HandleAppendEntriesRequest(i, j, m) \/ HandleAppendEntriesResponse(i, j, m)

\* Isolated's term never rises above another server's: once the partition
\* heals, its requests depose no leader.  PreVote keeps it (a precandidate
\* that gets no pre-votes keeps its term); without it, every timeout of the
\* cut-off server raises its term.
IsolatedTermInv == \A j \in Server : currentTerm[Isolated] <= currentTerm[j]

-----------------------------------------------------------------------------
(* Check-quorum: a leader whose incoming links are all down.               *)

\* Receive, where a leader receives nothing (its followers' answers, and
\* every other message to it, are lost); what it sends still arrives.
ReceiveLeaderDeaf(i, j) ==
  /\ state[i] # "leader"
  /\ \E m \in MsgsFrom(j, i) :
     \/ HandlePreVoteRequest(i, j, m) \/ HandlePreVoteResponse(i, j, m)
     \/ HandleRequestVoteRequest(i, j, m) \/ HandleRequestVoteResponse(i, j, m)
     \/ HandleAppendEntriesRequest(i, j, m) \/ HandleAppendEntriesResponse(i, j, m)

\* A leader that hears from no one does not stay leader: with CheckQuorum
\* it steps down at its next check (sec. 6.2), and its clients go elsewhere.
LeaderStepsDownProp == \A i \in Server : state[i] = "leader" ~> state[i] # "leader"

-----------------------------------------------------------------------------
(* Reachability: invariants that must fail, so that a model that passes    *)
(* did get somewhere.                                                      *)

\* No leader is ever elected.
NoLeaderReach == \A i \in Server : state[i] # "leader"

\* No server knows committed entries of two terms: one is only reached by a
\* second leader committing after a leader change.
NoCommitAcrossTermsReach ==
  \A i \in Server :
    \A a, b \in 1..Min(commitIndex[i], Len(log[i])) :
      log[i][a].term = log[i][b].term

\* No server knows committed an entry at an index where another server holds
\* an entry of another term: reached only when a later leader commits over
\* an earlier leader's uncommitted entry (conflict truncation at work).
NoCommitOverConflictReach ==
  \A i, j \in Server :
    \A k \in 1..Min(commitIndex[i], Len(log[i])) :
      k <= Len(log[j]) => log[j][k].term = log[i][k].term

\* No leader has, held by a quorum, an entry of an earlier term that it has
\* not committed: the state of Figure 3.7 (c), in which the commit rule
\* must keep the leader from counting those replicas.
NoOldTermOnQuorumReach ==
  \A i \in Server :
    state[i] = "leader" =>
      \A k \in (commitIndex[i] + 1)..Len(log[i]) :
        log[i][k].term < currentTerm[i]
          => ~IsQuorum({j \in Server : k <= Len(log[j]) /\ log[j][k] = log[i][k]},
                       Server)

\* No membership change is ever committed.
NoConfigCommittedReach ==
  \A i \in Server :
    \A k \in 1..Min(commitIndex[i], Len(log[i])) : ~IsConfigEntry(log[i][k])

\* No leader ever steps down through its quorum check.
NoCheckQuorumStepDownReach ==
  [][\A i \in Server : ~(LeaderCheckQuorum(i) /\ state'[i] = "follower")]_vars
==============================================================================
