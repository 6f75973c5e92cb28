-------------------------------- MODULE Raft --------------------------------
(***************************************************************************)
(* Raft: a replicated log.  A leader, elected for a term by a quorum,      *)
(* appends the clients' commands to its log and replicates them; an entry  *)
(* is committed once a quorum stores it, and committed entries are never   *)
(* lost or changed.                                                        *)
(*                                                                         *)
(* After Diego Ongaro, "Consensus: Bridging Theory and Practice", PhD      *)
(* dissertation, Stanford University, 2014:                                *)
(*   sec. 3.3-3.4   terms, roles, leader election (randomized timeouts)    *)
(*   sec. 3.5       log replication, the consistency check at prevLogIndex *)
(*   sec. 3.6.1     the election restriction: a vote only for a candidate  *)
(*                  whose log is at least as up to date as the voter's     *)
(*   sec. 3.6.2     the commit rule: a leader counts replicas only for     *)
(*                  entries of its own term (Figure 3.7 shows why)         *)
(*   sec. 3.8       persisted state: currentTerm, votedFor and the log     *)
(*   sec. 4.1       single-server membership changes (with the fix of      *)
(*                  Ongaro's raft-dev post "bug in single-server           *)
(*                  membership changes", July 2015)                        *)
(*   sec. 6.2       check-quorum: a leader that has not heard from a       *)
(*                  quorum for an election timeout steps down              *)
(*   sec. 9.6       pre-vote: a server asks whether it could win before    *)
(*                  it raises its term                                     *)
(*                                                                         *)
(* System model                                                            *)
(*   Links     fair-loss: a message may be lost, duplicated, delayed and   *)
(*             reordered.  msgs is the set of every packet ever sent,      *)
(*             [from, to, msg]; a receipt does not remove it, so a packet  *)
(*             may be received never (loss), many times (duplication), at  *)
(*             any time after it was sent, in any order.  Links do not     *)
(*             forge or corrupt messages.                                  *)
(*   Servers   crash-recovery.  currentTerm, votedFor and the log are      *)
(*             durable: each action is one atomic step of one server, so   *)
(*             every write it makes is on stable storage before any        *)
(*             message it sends (the implementation flushes before it      *)
(*             sends).  Everything else is volatile: Restart(i) is a crash *)
(*             and a recovery in one step, which keeps the durable state   *)
(*             and resets the rest (commitIndex 0, a follower).  A crashed *)
(*             server that never restarts is one that takes no more steps. *)
(*   Timing    asynchronous for safety (Spec): timeouts may fire at any    *)
(*             time, and no property of Spec depends on time.  Partial     *)
(*             synchrony is for liveness only (LiveSpec): in a stable      *)
(*             period no server crashes, messages are received, and an     *)
(*             election timer fires only while no server stands for        *)
(*             election (the timing requirement of sec. 3.4, with          *)
(*             randomized timeouts).  Liveness: EventuallyLeader.          *)
(*                                                                         *)
(* Switches (BOOLEAN constants), so that a model shows what each is for:   *)
(*   PreVote      sec. 9.6.  Timeout makes a server a "precandidate" that  *)
(*                asks for pre-votes for term currentTerm + 1 without      *)
(*                changing its own term; only with a quorum of them does   *)
(*                it StartElection.  A pre-vote is granted iff that term   *)
(*                is above the voter's and the log is up to date; the      *)
(*                voter changes nothing.                                   *)
(*   CheckQuorum  sec. 6.2.  A leader records in heardFrom[i] the servers  *)
(*                that answered it since its last check; LeaderCheckQuorum *)
(*                (the check's timer) steps it down if they and it are no  *)
(*                quorum.  With CheckQuorum FALSE, heardFrom stays {}.     *)
(*   Reconfig     sec. 4.1.  A server's configuration is the last          *)
(*                configuration entry in its log, committed or not (or     *)
(*                InitConfig); quorums are counted in it.  A leader adds   *)
(*                or removes one server at a time, once the previous       *)
(*                change is committed AND it has committed an entry of its *)
(*                own term (the 2015 fix).  With Reconfig FALSE the        *)
(*                configuration is Server, and every log entry is exactly  *)
(*                [term |-> t, value |-> v].                               *)
(*                                                                         *)
(* Variables beyond Figure 3.1: votesGranted and preVotesGranted (the      *)
(* votes a candidate and a precandidate have), heardFrom (check-quorum),   *)
(* msgs (the network).  matchIndex[i][i] stays 0: a leader counts itself   *)
(* through its own log.  AppendEntriesRequest carries leaderCommit =       *)
(* commitIndex; the follower commits no further than the entries the       *)
(* request made it hold.                                                   *)
(*                                                                         *)
(* Left out: log compaction and snapshots (ch. 5), the state machine and   *)
(* client sessions (ch. 6: a committed entry's value is the command),      *)
(* read-only queries and leases (sec. 6.4), leadership transfer (sec.      *)
(* 3.10), catching up new servers before they join (sec. 4.2.1), a leader  *)
(* removing itself (sec. 4.2.2), the disruption rule for removed servers   *)
(* (sec. 4.2.3), joint consensus (sec. 4.3), batching and pipelining       *)
(* limits (the entries an AppendEntries carries are left free).            *)
(*                                                                         *)
(* Properties: ElectionSafetyInv, LogMatchingInv, LeaderCompletenessInv,   *)
(* StateMachineSafetyInv (Figure 3.2), LeaderAppendOnly (an action         *)
(* property), CommittedIsDurableInv, CommittedBlocksElectionInv (why the   *)
(* commit rule and the election restriction together keep committed        *)
(* entries) and more, on Spec; EventuallyLeader on LiveSpec.  The models   *)
(* are in MCRaft.tla and manifest.json.                                    *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
  Server,       \* the servers
  Value,        \* the client commands a leader may append (for Next only)
  PreVote,      \* run pre-vote before an election (sec. 9.6)
  CheckQuorum,  \* a leader steps down without a quorum's answers (sec. 6.2)
  Reconfig      \* single-server membership changes (sec. 4.1)

ASSUME ServerAssumption == Server # {} /\ IsFiniteSet(Server)
ASSUME SwitchAssumption == {PreVote, CheckQuorum, Reconfig} \subseteq BOOLEAN

\* No vote: a string, since traces are JSON.
Nil == "nil"

VARIABLES
  currentTerm,      \* currentTerm[i]: the latest term i has seen (durable)
  state,            \* state[i]: "follower", "precandidate", "candidate", "leader"
  votedFor,         \* votedFor[i]: whom i voted for in currentTerm[i], or Nil (durable)
  log,              \* log[i]: i's log, a sequence of entries (durable)
  commitIndex,      \* commitIndex[i]: the highest index i knows committed
  votesGranted,     \* votesGranted[i]: the servers that voted for candidate i
  preVotesGranted,  \* preVotesGranted[i]: the servers that pre-voted for i
  nextIndex,        \* nextIndex[i][j]: the next entry leader i sends j
  matchIndex,       \* matchIndex[i][j]: the highest index leader i knows j holds
  heardFrom,        \* heardFrom[i]: who answered leader i since its last check
  msgs              \* every packet ever sent

durableVars == <<currentTerm, votedFor, log>>
leaderVars == <<nextIndex, matchIndex, heardFrom>>
vars == <<currentTerm, state, votedFor, log, commitIndex, votesGranted,
          preVotesGranted, nextIndex, matchIndex, heardFrom, msgs>>

-----------------------------------------------------------------------------
(* Helpers.                                                                *)

Min(a, b) == IF a < b THEN a ELSE b
Max(a, b) == IF a > b THEN a ELSE b
SetMax(S) == CHOOSE x \in S : \A y \in S : y <= x
SetMin(S) == CHOOSE x \in S : \A y \in S : x <= y

\* The term of a log's last entry, 0 for an empty log.
LastTerm(xlog) == IF xlog = <<>> THEN 0 ELSE xlog[Len(xlog)].term

\* A configuration entry (only with Reconfig): [term |-> t, config |-> S].
IsConfigEntry(e) == "config" \in DOMAIN e

\* The configuration before any configuration entry.
InitConfig == Server

\* The configuration a log gives: its last configuration entry's, committed
\* or not (sec. 4.1), or InitConfig.
LogConfig(xlog) ==
  LET ks == {k \in 1..Len(xlog) : IsConfigEntry(xlog[k])}
  IN IF ks = {} THEN InitConfig ELSE xlog[SetMax(ks)].config

\* i's configuration: the servers whose votes and replicas i counts.
Config(i) == IF Reconfig THEN LogConfig(log[i]) ELSE Server

\* S holds a majority of configuration C.
IsQuorum(S, C) == 2 * Cardinality(S \cap C) > Cardinality(C)

\* The packet from i to j carrying m.
Packet(i, j, m) == [from |-> i, to |-> j, msg |-> m]

\* i sends m to j.
Send(i, j, m) == msgs' = msgs \cup {Packet(i, j, m)}

\* i sends m to every server in S.
SendAll(i, S, m) == msgs' = msgs \cup {Packet(i, j, m) : j \in S}

\* j's log, which ends at (m.lastLogTerm, m.lastLogIndex), is at least as up
\* to date as i's (sec. 3.6.1).  (A known-bug model overrides it.)
CandidateLogUpToDate(i, m) ==
  \/ m.lastLogTerm > LastTerm(log[i])
  \/ /\ m.lastLogTerm = LastTerm(log[i])
     /\ m.lastLogIndex >= Len(log[i])

\* i adopts a higher term t, as a follower that has not voted in it.
StepDown(i, t) ==
  /\ currentTerm' = [currentTerm EXCEPT ![i] = t]
  /\ state' = [state EXCEPT ![i] = "follower"]
  /\ votedFor' = [votedFor EXCEPT ![i] = Nil]

-----------------------------------------------------------------------------
(* Initial state: every server a follower of term 0 with an empty log.     *)

Init ==
  /\ currentTerm = [i \in Server |-> 0]
  /\ state = [i \in Server |-> "follower"]
  /\ votedFor = [i \in Server |-> Nil]
  /\ log = [i \in Server |-> <<>>]
  /\ commitIndex = [i \in Server |-> 0]
  /\ votesGranted = [i \in Server |-> {}]
  /\ preVotesGranted = [i \in Server |-> {}]
  /\ nextIndex = [i \in Server |-> [j \in Server |-> 1]]
  /\ matchIndex = [i \in Server |-> [j \in Server |-> 0]]
  /\ heardFrom = [i \in Server |-> {}]
  /\ msgs = {}

-----------------------------------------------------------------------------
(* Crash and recovery (sec. 3.8).                                          *)

\* The vote a server recovers: its durable votedFor.  (A known-bug model
\* overrides it with Nil: a vote that was never written to disk.)
RecoveredVote(i) == votedFor[i]

\* i crashes and restarts: the durable currentTerm, votedFor and log are
\* kept, everything volatile starts over as in Init.
Restart(i) ==
  /\ state' = [state EXCEPT ![i] = "follower"]
  /\ votedFor' = [votedFor EXCEPT ![i] = RecoveredVote(i)]
  /\ commitIndex' = [commitIndex EXCEPT ![i] = 0]
  /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
  /\ preVotesGranted' = [preVotesGranted EXCEPT ![i] = {}]
  /\ nextIndex' = [nextIndex EXCEPT ![i] = [j \in Server |-> 1]]
  /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
  /\ heardFrom' = [heardFrom EXCEPT ![i] = {}]
  /\ UNCHANGED <<currentTerm, log, msgs>>

-----------------------------------------------------------------------------
(* Leader election (sec. 3.4, 3.6.1, 9.6).                                 *)

\* What StartElection does: a new term, a vote for itself, and a
\* RequestVoteRequest to every other server of its configuration.
Campaign(i) ==
  /\ currentTerm' = [currentTerm EXCEPT ![i] = @ + 1]
  /\ state' = [state EXCEPT ![i] = "candidate"]
  /\ votedFor' = [votedFor EXCEPT ![i] = i]
  /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
  /\ preVotesGranted' = [preVotesGranted EXCEPT ![i] = {}]
  /\ SendAll(i, Config(i) \ {i},
             [type |-> "RequestVoteRequest", term |-> currentTerm[i] + 1,
              lastLogTerm |-> LastTerm(log[i]), lastLogIndex |-> Len(log[i])])
  /\ UNCHANGED <<log, commitIndex, leaderVars>>

\* i's election timeout fires (i is not a leader, and is in its own
\* configuration).  With PreVote it asks for pre-votes for the next term,
\* its own term unchanged; without, it starts an election at once.
Timeout(i) ==
  /\ state[i] \in {"follower", "precandidate", "candidate"}
  /\ i \in Config(i)
  /\ IF PreVote
       THEN /\ state' = [state EXCEPT ![i] = "precandidate"]
            /\ preVotesGranted' = [preVotesGranted EXCEPT ![i] = {i}]
            /\ SendAll(i, Config(i) \ {i},
                       [type |-> "PreVoteRequest", term |-> currentTerm[i] + 1,
                        lastLogTerm |-> LastTerm(log[i]),
                        lastLogIndex |-> Len(log[i])])
            /\ UNCHANGED <<durableVars, commitIndex, votesGranted, leaderVars>>
       ELSE Campaign(i)

\* A precandidate with a quorum of pre-votes stands for election.
StartElection(i) ==
  /\ PreVote
  /\ state[i] = "precandidate"
  /\ IsQuorum(preVotesGranted[i], Config(i))
  /\ Campaign(i)

\* i answers j's pre-vote request: granted iff the term j would stand in is
\* above i's and j's log is at least as up to date as i's.  Nothing of i
\* changes, its term included.
HandlePreVoteRequest(i, j, m) ==
  /\ m.type = "PreVoteRequest"
  /\ Packet(j, i, m) \in msgs
  /\ Send(i, j, [type |-> "PreVoteResponse", term |-> m.term,
                 voteGranted |-> (m.term > currentTerm[i]
                                  /\ CandidateLogUpToDate(i, m))])
  /\ UNCHANGED <<durableVars, state, commitIndex, votesGranted,
                 preVotesGranted, leaderVars>>

\* Precandidate i counts j's pre-vote for its next term, if granted.
HandlePreVoteResponse(i, j, m) ==
  /\ m.type = "PreVoteResponse"
  /\ Packet(j, i, m) \in msgs
  /\ state[i] = "precandidate"
  /\ m.term = currentTerm[i] + 1
  /\ preVotesGranted' = [preVotesGranted EXCEPT
                           ![i] = IF m.voteGranted THEN @ \cup {j} ELSE @]
  /\ UNCHANGED <<durableVars, state, commitIndex, votesGranted, leaderVars,
                 msgs>>

\* i answers j's vote request.  A higher term first makes i a follower of it
\* that has not voted.  The vote is granted iff the terms match, i has not
\* voted for another server in the term, and j's log is at least as up to
\* date as i's (sec. 3.6.1).  The answer carries i's (new) term.
HandleRequestVoteRequest(i, j, m) ==
  /\ m.type = "RequestVoteRequest"
  /\ Packet(j, i, m) \in msgs
  /\ LET newer == m.term > currentTerm[i]
         term  == IF newer THEN m.term ELSE currentTerm[i]
         vote  == IF newer THEN Nil ELSE votedFor[i]
         grant == /\ m.term = term
                  /\ vote = Nil \/ vote = j
                  /\ CandidateLogUpToDate(i, m)
     IN /\ currentTerm' = [currentTerm EXCEPT ![i] = term]
        /\ state' = IF newer THEN [state EXCEPT ![i] = "follower"] ELSE state
        /\ votedFor' = [votedFor EXCEPT ![i] = IF grant THEN j ELSE vote]
        /\ Send(i, j, [type |-> "RequestVoteResponse", term |-> term,
                       voteGranted |-> grant])
  /\ UNCHANGED <<log, commitIndex, votesGranted, preVotesGranted, leaderVars>>

\* i receives j's answer to its vote request: a higher term steps i down; a
\* candidate counts a vote of its term, if granted.  (Any other answer is
\* ignored: no action.)
HandleRequestVoteResponse(i, j, m) ==
  /\ m.type = "RequestVoteResponse"
  /\ Packet(j, i, m) \in msgs
  /\ \/ /\ m.term > currentTerm[i]
        /\ StepDown(i, m.term)
        /\ UNCHANGED votesGranted
     \/ /\ m.term = currentTerm[i]
        /\ state[i] = "candidate"
        /\ votesGranted' = [votesGranted EXCEPT
                              ![i] = IF m.voteGranted THEN @ \cup {j} ELSE @]
        /\ UNCHANGED <<currentTerm, state, votedFor>>
  /\ UNCHANGED <<log, commitIndex, preVotesGranted, leaderVars, msgs>>

\* A candidate with a quorum of votes becomes leader of its term.
BecomeLeader(i) ==
  /\ state[i] = "candidate"
  /\ IsQuorum(votesGranted[i], Config(i))
  /\ state' = [state EXCEPT ![i] = "leader"]
  /\ nextIndex' = [nextIndex EXCEPT ![i] = [j \in Server |-> Len(log[i]) + 1]]
  /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
  /\ heardFrom' = [heardFrom EXCEPT ![i] = {}]
  /\ UNCHANGED <<durableVars, commitIndex, votesGranted, preVotesGranted, msgs>>

\* Check-quorum (sec. 6.2), when its timer fires: leader i steps down if it
\* has not heard from a quorum (itself included) since its last check, and
\* starts a new check period otherwise.  (The interface's CheckQuorum(i):
\* an action cannot share its name with the constant CheckQuorum.)
LeaderCheckQuorum(i) ==
  /\ CheckQuorum
  /\ state[i] = "leader"
  /\ state' = [state EXCEPT ![i] = IF IsQuorum(heardFrom[i] \cup {i}, Config(i))
                                     THEN "leader" ELSE "follower"]
  /\ heardFrom' = [heardFrom EXCEPT ![i] = {}]
  /\ UNCHANGED <<durableVars, commitIndex, votesGranted, preVotesGranted,
                 nextIndex, matchIndex, msgs>>

-----------------------------------------------------------------------------
(* Log replication (sec. 3.5, 3.6.2).                                      *)

\* Leader i appends a client's command v in its term.  (Next draws v from
\* Value; a trace may carry any value.)
ClientRequest(i, v) ==
  /\ state[i] = "leader"
  /\ log' = [log EXCEPT ![i] = Append(@, [term |-> currentTerm[i], value |-> v])]
  /\ UNCHANGED <<currentTerm, state, votedFor, commitIndex, votesGranted,
                 preVotesGranted, leaderVars, msgs>>

\* Leader i sends j the entries from nextIndex[i][j] up to index last (none,
\* for a heartbeat, up to all it has), after the entry at prevLogIndex.  (last
\* is a parameter, so that a trace names the batch a leader chose.)
AppendEntries(i, j, last) ==
  /\ state[i] = "leader"
  /\ j \in Config(i) \ {i}
  /\ LET prev == nextIndex[i][j] - 1
     IN /\ last \in prev..Len(log[i])
        /\ Send(i, j, [type |-> "AppendEntriesRequest",
                       term |-> currentTerm[i],
                       prevLogIndex |-> prev,
                       prevLogTerm |-> IF prev = 0 THEN 0 ELSE log[i][prev].term,
                       entries |-> SubSeq(log[i], prev + 1, last),
                       leaderCommit |-> commitIndex[i]])
  /\ UNCHANGED <<durableVars, state, commitIndex, votesGranted,
                 preVotesGranted, leaderVars>>

\* i's log holds the entry the request says precedes its entries.
LogOk(i, m) ==
  \/ m.prevLogIndex = 0
  \/ /\ m.prevLogIndex <= Len(log[i])
     /\ log[i][m.prevLogIndex].term = m.prevLogTerm

\* i's log after it takes the entries of a request it matched: cut at the
\* first entry that conflicts with one of the request's (same index,
\* different term), only there, then the entries it lacks appended.  An
\* entry that agrees is kept, and so is every entry after the request's: a
\* late or duplicated request must not undo what a later one appended.
\* (A known-bug model overrides it.)
NewLog(i, m) ==
  LET xlog == log[i]
      prev == m.prevLogIndex
      es   == m.entries
      conflicts == {n \in 1..Len(es) : /\ prev + n <= Len(xlog)
                                       /\ xlog[prev + n].term # es[n].term}
  IN IF conflicts # {}
       THEN LET n == SetMin(conflicts)
            IN SubSeq(xlog, 1, prev + n - 1) \o SubSeq(es, n, Len(es))
       ELSE IF prev + Len(es) <= Len(xlog)
              THEN xlog
              ELSE xlog \o SubSeq(es, Len(xlog) - prev + 1, Len(es))

\* i receives j's AppendEntriesRequest.  A higher term first makes i a
\* follower of it; a candidate or precandidate of the same term becomes a
\* follower.  A request of an older term is refused with i's term.  If i's
\* log matches at prevLogIndex, the whole request is taken in this step
\* (NewLog), and commitIndex moves up to leaderCommit, but no further than
\* the request's last entry; otherwise the request fails.
HandleAppendEntriesRequest(i, j, m) ==
  /\ m.type = "AppendEntriesRequest"
  /\ Packet(j, i, m) \in msgs
  /\ \/ /\ m.term < currentTerm[i]
        /\ Send(i, j, [type |-> "AppendEntriesResponse", term |-> currentTerm[i],
                       success |-> FALSE, matchIndex |-> 0])
        /\ UNCHANGED <<durableVars, state, commitIndex>>
     \/ /\ m.term >= currentTerm[i]
        /\ m.term > currentTerm[i] \/ state[i] # "leader"
        /\ currentTerm' = [currentTerm EXCEPT ![i] = m.term]
        /\ state' = [state EXCEPT ![i] = "follower"]
        /\ votedFor' = IF m.term > currentTerm[i]
                         THEN [votedFor EXCEPT ![i] = Nil] ELSE votedFor
        /\ IF LogOk(i, m)
             THEN /\ log' = [log EXCEPT ![i] = NewLog(i, m)]
                  /\ commitIndex' = [commitIndex EXCEPT ![i] =
                       Max(@, Min(m.leaderCommit, m.prevLogIndex + Len(m.entries)))]
                  /\ Send(i, j, [type |-> "AppendEntriesResponse", term |-> m.term,
                                 success |-> TRUE,
                                 matchIndex |-> m.prevLogIndex + Len(m.entries)])
             ELSE /\ UNCHANGED <<log, commitIndex>>
                  /\ Send(i, j, [type |-> "AppendEntriesResponse", term |-> m.term,
                                 success |-> FALSE, matchIndex |-> 0])
  /\ UNCHANGED <<votesGranted, preVotesGranted, leaderVars>>

\* i receives j's answer to an AppendEntriesRequest: a higher term steps i
\* down; leader i, for an answer of its term, moves j's matchIndex up and
\* nextIndex past it on success, nextIndex back by one (not below 1) on
\* failure, and with CheckQuorum notes that it heard from j.  (Any other
\* answer is ignored: no action.)
HandleAppendEntriesResponse(i, j, m) ==
  /\ m.type = "AppendEntriesResponse"
  /\ Packet(j, i, m) \in msgs
  /\ \/ /\ m.term > currentTerm[i]
        /\ StepDown(i, m.term)
        /\ UNCHANGED leaderVars
     \/ /\ m.term = currentTerm[i]
        /\ state[i] = "leader"
        /\ IF m.success
             THEN /\ matchIndex' = [matchIndex EXCEPT ![i][j] = Max(@, m.matchIndex)]
                  /\ nextIndex' = [nextIndex EXCEPT
                                     ![i][j] = Max(matchIndex[i][j], m.matchIndex) + 1]
             ELSE /\ nextIndex' = [nextIndex EXCEPT ![i][j] = Max(@ - 1, 1)]
                  /\ UNCHANGED matchIndex
        /\ heardFrom' = IF CheckQuorum
                          THEN [heardFrom EXCEPT ![i] = @ \cup {j}] ELSE heardFrom
        /\ UNCHANGED <<currentTerm, state, votedFor>>
  /\ UNCHANGED <<log, commitIndex, votesGranted, preVotesGranted, msgs>>

\* Whether leader i may count replicas of its entry at index k toward
\* committing it: only an entry of its own term (sec. 3.6.2); earlier
\* entries are committed with it.  (A known-bug model overrides it.)
CountsForCommit(i, k) == log[i][k].term = currentTerm[i]

\* Leader i commits up to the largest index that a quorum of its
\* configuration holds (itself included) and that counts for commit, if it is
\* above its commitIndex.
AdvanceCommitIndex(i) ==
  /\ state[i] = "leader"
  /\ LET holders(k) == {i} \cup {j \in Server : matchIndex[i][j] >= k}
         ok == {k \in commitIndex[i] + 1..Len(log[i]) :
                  /\ IsQuorum(holders(k), Config(i))
                  /\ CountsForCommit(i, k)}
     IN /\ ok # {}
        /\ commitIndex' = [commitIndex EXCEPT ![i] = SetMax(ok)]
  /\ UNCHANGED <<durableVars, state, votesGranted, preVotesGranted,
                 leaderVars, msgs>>

-----------------------------------------------------------------------------
(* Single-server membership changes (sec. 4.1), with Reconfig.             *)

\* Leader i may append a new configuration: every configuration entry in
\* its log is committed, and so is an entry of its own term (the 2015 fix:
\* without it, a leader could change a configuration that an older,
\* uncommitted change in another server's log competes with).  (A known-bug
\* model overrides it with the first conjunct alone.)
CanChangeConfig(i) ==
  /\ \A k \in 1..Len(log[i]) : IsConfigEntry(log[i][k]) => k <= commitIndex[i]
  /\ \E k \in 1..commitIndex[i] : log[i][k].term = currentTerm[i]

\* Leader i appends configuration c.  It is in force at once, on every
\* server that holds it.
AppendConfig(i, c) ==
  /\ Reconfig
  /\ state[i] = "leader"
  /\ CanChangeConfig(i)
  /\ log' = [log EXCEPT ![i] = Append(@, [term |-> currentTerm[i], config |-> c])]
  /\ UNCHANGED <<currentTerm, state, votedFor, commitIndex, votesGranted,
                 preVotesGranted, leaderVars, msgs>>

\* Leader i adds server s to its configuration.
AddServer(i, s) == s \notin Config(i) /\ AppendConfig(i, Config(i) \cup {s})

\* Leader i removes server s (not itself) from its configuration.
RemoveServer(i, s) == s \in Config(i) \ {i} /\ AppendConfig(i, Config(i) \ {s})

-----------------------------------------------------------------------------
(* The specification.                                                      *)

\* The messages j sent i.
MsgsFrom(j, i) == {p.msg : p \in {q \in msgs : q.from = j /\ q.to = i}}

\* Leader i sends j an AppendEntries request with some batch of entries.
SendEntries(i, j) == \E last \in 0..Len(log[i]) : AppendEntries(i, j, last)

\* i receives a message that j sent it, whatever its type (and whether or
\* not it was received before).
Receive(i, j) ==
  \E m \in MsgsFrom(j, i) :
    \/ HandlePreVoteRequest(i, j, m) \/ HandlePreVoteResponse(i, j, m)
    \/ HandleRequestVoteRequest(i, j, m) \/ HandleRequestVoteResponse(i, j, m)
    \/ HandleAppendEntriesRequest(i, j, m) \/ HandleAppendEntriesResponse(i, j, m)

\* One step of one server.
Next ==
  \E i \in Server :
    \/ Restart(i)
    \/ Timeout(i) \/ StartElection(i) \/ BecomeLeader(i)
    \/ LeaderCheckQuorum(i)
    \/ \E v \in Value : ClientRequest(i, v)
    \/ \E j \in Server : SendEntries(i, j) \/ Receive(i, j)
    \/ AdvanceCommitIndex(i)
    \/ \E s \in Server : AddServer(i, s) \/ RemoveServer(i, s)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* Liveness assumes a stable period (partial synchrony): no server crashes,
\* and an election timer fires only while no server stands for election,
\* the one whose timer it is included.  This is the timing requirement of
\* sec. 3.4 (broadcast time much less than the election timeout, with
\* randomized timeouts): one timer fires first, and its server wins or
\* loses before another timer, its own included, fires.  Without it,
\* servers could split the votes, or a server time out again before its
\* votes arrive, forever.
StableTimeout(i) ==
  /\ \A j \in Server : state[j] \notin {"precandidate", "candidate"}
  /\ Timeout(i)

\* Next in a stable period: no Restart, and StableTimeout for Timeout.
StableNext ==
  \E i \in Server :
    \/ StableTimeout(i) \/ StartElection(i) \/ BecomeLeader(i)
    \/ LeaderCheckQuorum(i)
    \/ \E v \in Value : ClientRequest(i, v)
    \/ \E j \in Server : SendEntries(i, j) \/ Receive(i, j)
    \/ AdvanceCommitIndex(i)
    \/ \E s \in Server : AddServer(i, s) \/ RemoveServer(i, s)

\* Fairness: every message that can be received is received in the end (a
\* packet stays in msgs, so this holds for every one whose receipt changes
\* something), and a server that can time out, stand for election, take
\* its leadership or run its quorum check does.  Nothing else is fair: no
\* client need send a command, and no leader need send AppendEntries.
Fairness ==
  \A i \in Server :
    /\ WF_vars(StableTimeout(i))
    /\ WF_vars(StartElection(i))
    /\ WF_vars(BecomeLeader(i))
    /\ WF_vars(LeaderCheckQuorum(i))
    /\ \A j \in Server : WF_vars(Receive(i, j))

\* A stable period from the start, with fairness: for liveness.
LiveSpec == Init /\ [][StableNext]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Properties.                                                             *)

\* The messages.
Entry == [term : Nat \ {0}, value : Value]
ConfigEntry == [term : Nat \ {0}, config : SUBSET Server]
Message ==
       [type : {"RequestVoteRequest", "PreVoteRequest"}, term : Nat,
        lastLogTerm : Nat, lastLogIndex : Nat]
  \cup [type : {"RequestVoteResponse", "PreVoteResponse"}, term : Nat,
        voteGranted : BOOLEAN]
  \cup [type : {"AppendEntriesRequest"}, term : Nat, prevLogIndex : Nat,
        prevLogTerm : Nat, entries : Seq(Entry \cup ConfigEntry),
        leaderCommit : Nat]
  \cup [type : {"AppendEntriesResponse"}, term : Nat, success : BOOLEAN,
        matchIndex : Nat]

\* Type correctness (for models: entries' values are in Value).
TypeOK ==
  /\ currentTerm \in [Server -> Nat]
  /\ state \in [Server -> {"follower", "precandidate", "candidate", "leader"}]
  /\ \A i \in Server : votedFor[i] = Nil \/ votedFor[i] \in Server
  /\ \A i \in Server : log[i] \in Seq(IF Reconfig THEN Entry \cup ConfigEntry ELSE Entry)
  /\ commitIndex \in [Server -> Nat]
  /\ votesGranted \in [Server -> SUBSET Server]
  /\ preVotesGranted \in [Server -> SUBSET Server]
  /\ nextIndex \in [Server -> [Server -> Nat \ {0}]]
  /\ matchIndex \in [Server -> [Server -> Nat]]
  /\ heardFrom \in [Server -> SUBSET Server]
  /\ \A p \in msgs : p.from \in Server /\ p.to \in Server /\ p.msg \in Message

\* s is a prefix of t.
IsPrefix(s, t) == Len(s) <= Len(t) /\ s = SubSeq(t, 1, Len(s))

\* Election Safety: at most one leader in a term.
ElectionSafetyInv ==
  \A i, j \in Server :
    (state[i] = "leader" /\ state[j] = "leader" /\ currentTerm[i] = currentTerm[j])
      => i = j

\* The length of the longest prefix that sequences s and t share, given that
\* it is at least lo and at most hi: hi if they agree that far (the common
\* case: one log a prefix of the other), else found by bisection, since two
\* prefixes that agree at a length agree at every shorter one.
RECURSIVE SharedPrefixLen(_, _, _, _)
SharedPrefixLen(s, t, lo, hi) ==
  IF SubSeq(s, 1, hi) = SubSeq(t, 1, hi) THEN hi
  ELSE LET mid == (lo + hi) \div 2
       IN IF SubSeq(s, 1, mid) = SubSeq(t, 1, mid)
            THEN SharedPrefixLen(s, t, mid, hi - 1)
            ELSE SharedPrefixLen(s, t, lo, mid - 1)

\* Log Matching: if two logs hold an entry with the same index and term,
\* they are identical up to that index.  Stated here as: past the longest
\* prefix two logs share, no index holds entries of the same term in both
\* (an index of the same term there would make the logs identical up to it,
\* and the shared prefix longer).  The same property, in time that grows
\* with the logs' difference rather than their length.
LogMatchingInv ==
  \A i, j \in Server :
    LET n == Min(Len(log[i]), Len(log[j]))
    IN i # j =>
         \A k \in SharedPrefixLen(log[i], log[j], 0, n) + 1 .. n :
           log[i][k].term # log[j][k].term

\* j's log holds i's entry at index k.
Holds(j, i, k) == k <= Len(log[j]) /\ log[j][k] = log[i][k]

\* The index of the last entry i knows committed (0 for none).
LastCommitted(i) == Min(commitIndex[i], Len(log[i]))

\* Leader Completeness: an entry committed in a term is in the log of every
\* leader of a later term.  The term an entry was committed in is at most
\* the term of any server that knows it committed, so every leader of at
\* least that server's term holds what the server knows committed.
\* (Checked at i's last committed entry: with LogMatchingInv, a log that
\* holds it holds every entry before it; so for the rest below.)
LeaderCompletenessInv ==
  \A i, l \in Server :
    (state[l] = "leader" /\ currentTerm[l] >= currentTerm[i] /\ LastCommitted(i) > 0)
      => Holds(l, i, LastCommitted(i))

\* State Machine Safety: no two servers apply different entries at an index:
\* what they know committed agrees, up to the shorter of the two.
StateMachineSafetyInv ==
  \A i, j \in Server :
    LET c == Min(LastCommitted(i), LastCommitted(j))
    IN c > 0 => log[i][c] = log[j][c]

\* Leader Append-Only: a leader never overwrites or deletes an entry of its
\* log; it only appends.
LeaderAppendOnly ==
  [][\A i \in Server :
       (state[i] = "leader" /\ state'[i] = "leader"
          /\ currentTerm'[i] = currentTerm[i])
         => IsPrefix(log[i], log'[i])]_vars

\* Committed is durable: an entry a server knows committed is in its log
\* and in the logs of a quorum, so no crash loses it (fixed membership: with
\* Reconfig, the quorum that stored it may be of an older configuration).
\* (Checked at the commit index: with LogMatchingInv, a log that holds the
\* entry there holds every entry before it, so this is the same property
\* as at every index, in time that does not grow with the log.)
CommittedIsDurableInv ==
  \A i \in Server :
    /\ commitIndex[i] <= Len(log[i])
    /\ commitIndex[i] > 0 =>
         IsQuorum({j \in Server : Holds(j, i, commitIndex[i])}, Server)

\* j's log is strictly less up to date than l's (sec. 3.6.1's comparison).
LessUpToDate(j, l) ==
  \/ LastTerm(log[j]) < LastTerm(log[l])
  \/ /\ LastTerm(log[j]) = LastTerm(log[l])
     /\ Len(log[j]) < Len(log[l])

\* The servers of j's configuration that would vote for j: their logs are no
\* more up to date than j's.
WouldVoteFor(j) == {l \in Config(j) : ~LessUpToDate(j, l)}

\* Why a committed entry survives elections: a server (of its own
\* configuration) whose log lacks an entry that some server knows committed
\* cannot be elected, since the servers that would vote for it are no quorum
\* of its configuration.  The commit rule keeps this true: committing an
\* entry of an earlier term (Figure 3.7) can leave a server without it, with
\* a later last term, that a quorum would elect; so can a configuration
\* change made before the leader committed an entry of its term (sec. 4.1,
\* the 2015 bug), which leaves a server whose configuration counts a quorum
\* that never saw the change.  (Checked at i's last committed entry: with
\* LogMatchingInv, a log that lacks an earlier one lacks that one too.)
CommittedBlocksElectionInv ==
  \A i, j \in Server :
    LET k == LastCommitted(i)
    IN (k > 0 /\ j \in Config(j) /\ ~Holds(j, i, k))
         => ~IsQuorum(WouldVoteFor(j), Config(j))

\* A server never holds an entry of a term it has not reached, and the terms
\* of a log never go down.
LogTermsInv ==
  \A i \in Server :
    \A k \in 1..Len(log[i]) :
      /\ log[i][k].term <= currentTerm[i]
      /\ k > 1 => log[i][k - 1].term <= log[i][k].term

\* A candidate or leader voted for itself in its term: the vote it counts
\* first is durable, so it cannot vote for another after a crash.
SelfVoteInv ==
  \A i \in Server : state[i] \in {"candidate", "leader"} => votedFor[i] = i

\* A leader holds a quorum of votes of its term.
LeaderVotesInv ==
  \A i \in Server : state[i] = "leader" => IsQuorum(votesGranted[i], Config(i))

\* Liveness: once the network is stable, a leader is elected.
EventuallyLeader == <>(\E i \in Server : state[i] = "leader")
=============================================================================
