------------------------------- MODULE Maekawa -------------------------------
(***************************************************************************)
(* Maekawa's mutual exclusion algorithm: a node enters the critical        *)
(* section (CS) once every node of its quorum has voted for it.  Each node *)
(* has one vote, and any two quorums intersect, so two nodes can never     *)
(* hold the votes of their whole quorums at once.                          *)
(*                                                                         *)
(* After M. Maekawa, "A sqrt(N) Algorithm for Mutual Exclusion in          *)
(* Decentralized Systems", ACM TOCS 3(2), 1985, with the messages named as *)
(* in Singhal and Shivaratri, "Advanced Concepts in Operating Systems"     *)
(* (1994), ch. 6: REQUEST(timestamp), GRANT (the paper's LOCKED), FAILED,  *)
(* INQUIRE, YIELD (the paper's RELINQUISH) and RELEASE.  Every node is     *)
(* both a requester and an arbiter (a voter).                              *)
(*                                                                         *)
(* Requests are ordered by Lamport timestamps, pairs <<clock, node>>: the  *)
(* smaller clock comes first, ties broken by the smaller node number.  A   *)
(* node's clock ticks when it requests, and moves up to the timestamp of   *)
(* every request it receives (the only messages that carry one), so a     *)
(* request made after seeing another comes after it.                       *)
(*                                                                         *)
(* Votes alone deadlock: two nodes can each hold a vote the other needs.   *)
(* So an arbiter tells a request that waits behind another so (FAILED),    *)
(* and asks the holder of its vote to give it back (INQUIRE) when a        *)
(* request with an earlier timestamp wants it; a holder that has been      *)
(* told FAILED cannot win yet, and gives the vote back (YIELD).  A waiting *)
(* request that a newer one overtakes must be told FAILED too: without     *)
(* that, TLC finds a deadlock (MCMaekawaNoOvertakenFailed).                *)
(*                                                                         *)
(* System model                                                            *)
(*   Links     reliable and FIFO: every message sent is received once, in  *)
(*             the order it was sent on its link.  chan[i][j] holds the    *)
(*             messages in transit from i to j; a node sends to itself on  *)
(*             chan[i][i] like to any other.  (Deliverable is the link     *)
(*             model; MCMaekawaNonFifo overrides it to let any message of  *)
(*             a link overtake the others.)                                *)
(*   Nodes     never crash.                                                *)
(*   Timing    asynchronous.  Liveness assumes weak fairness of every      *)
(*             receipt, of entering the CS once every vote is in, of       *)
(*             leaving it, and of yielding.  Requesting is never forced.   *)
(*                                                                         *)
(* Safety and liveness: mutual exclusion and the accounting of votes are   *)
(* invariants; deadlock freedom and starvation freedom hold under          *)
(* FairSpec.  MCMaekawaNoInquire removes INQUIRE, YIELD and FAILED and     *)
(* lets TLC find the deadlock.  TLC's deadlock check sees only states in   *)
(* which no node can take a step (every node wants or holds the CS: a      *)
(* released node may always request); two nodes blocked for good while a   *)
(* third idles is starvation, which StarvationFreedomProp rules out        *)
(* (MCMaekawaLiveness).  The models bound the clocks (MCMaekawa.tla says   *)
(* why that hides nothing that matters here).                              *)
(*                                                                         *)
(* Left out: node failures; timeouts; the paper's construction of quorums  *)
(* from finite projective planes (any pairwise-intersecting quorums will   *)
(* do: the models use grid quorums of about 2*sqrt(N) nodes).              *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
  Node,    \* the nodes, e.g. {"n1", "n2", "n3"}
  Id,      \* Id[i]: node i's number; it breaks ties between equal clocks
  Quorum   \* Quorum[i]: the nodes whose votes i needs to enter the CS

\* Every node is in its own quorum, and any two quorums intersect.
ASSUME QuorumAssumption ==
  /\ Quorum \in [Node -> SUBSET Node]
  /\ \A i \in Node : i \in Quorum[i]
  /\ \A i, j \in Node : Quorum[i] \cap Quorum[j] # {}

\* Node numbers are distinct, so that timestamps are totally ordered.
ASSUME IdAssumption ==
  /\ Id \in [Node -> Nat]
  /\ \A i, j \in Node : i # j => Id[i] # Id[j]

VARIABLES
  state,      \* state[i]: "released", "wanted" or "held" (i is in the CS)
  clock,      \* clock[i]: i's Lamport clock
  grants,     \* grants[i]: the nodes whose vote i holds
  failed,     \* failed[i]: the nodes that put i's request behind another
  inquirers,  \* inquirers[i]: the nodes whose INQUIRE i has not answered
  voted,      \* voted[j]: TRUE while j's vote is given to a request
  votedFor,   \* votedFor[j]: the request j voted for (NoRequest if none)
  queue,      \* queue[j]: the requests waiting for j's vote (by Before)
  inquiring,  \* inquiring[j]: j has sent an INQUIRE for its current vote
  chan        \* chan[i][j]: the messages in transit from i to j, in order

\* A node's variables as a requester, as an arbiter, and all of them.
requesterVars == <<state, clock, grants, failed, inquirers>>
arbiterVars == <<voted, votedFor, queue, inquiring>>
vars == <<state, clock, grants, failed, inquirers, voted, votedFor, queue,
          inquiring, chan>>

-----------------------------------------------------------------------------
(* Timestamps and messages.                                                *)

\* A request is named by its timestamp: the requester's clock, and the node.
Request == [clock : Nat, node : Node]

\* votedFor's value while no request holds the vote (clocks start at 1).
NoRequest == [clock |-> 0, node |-> ""]

\* Request a comes before request b.
Before(a, b) == \/ a.clock < b.clock
                \/ a.clock = b.clock /\ Id[a.node] < Id[b.node]

\* The request of the non-empty set S that comes first.
First(S) == CHOOSE a \in S : \A b \in S \ {a} : Before(a, b)

\* The larger of two numbers.
Max(a, b) == IF a > b THEN a ELSE b

\* The messages.  A REQUEST carries its timestamp; the others need none,
\* since a link's two ends know who is talking.
Message == [type : {"Request"}, ts : Request]
             \cup [type : {"Grant", "Failed", "Inquire", "Yield", "Release"}]

GrantMsg   == [type |-> "Grant"]     \* the arbiter's vote
FailedMsg  == [type |-> "Failed"]    \* another request comes first here
InquireMsg == [type |-> "Inquire"]   \* may I have my vote back?
YieldMsg   == [type |-> "Yield"]     \* here is your vote back
ReleaseMsg == [type |-> "Release"]   \* done with the CS: your vote is free

\* The positions on link c of the messages that may be received next: on a
\* FIFO link, the oldest only.  (MCMaekawaNonFifo overrides it.)
Deliverable(c) == IF c = <<>> THEN {} ELSE {1}

\* The sequence s without its k-th element.
RemoveAt(s, k) == SubSeq(s, 1, k - 1) \o SubSeq(s, k + 1, Len(s))

\* The channels c with message m sent from i to j.
Send(c, i, j, m) == [c EXCEPT ![i][j] = Append(@, m)]

\* The channels c with message m sent from i to every node of S.
Multicast(c, i, S, m) ==
  [c EXCEPT ![i] = [j \in Node |-> IF j \in S THEN Append(c[i][j], m)
                                              ELSE c[i][j]]]

\* Type correctness.
TypeOK ==
  /\ state \in [Node -> {"released", "wanted", "held"}]
  /\ clock \in [Node -> Nat]
  /\ grants \in [Node -> SUBSET Node]
  /\ failed \in [Node -> SUBSET Node]
  /\ inquirers \in [Node -> SUBSET Node]
  /\ voted \in [Node -> BOOLEAN]
  /\ votedFor \in [Node -> Request \cup {NoRequest}]
  /\ queue \in [Node -> SUBSET Request]
  /\ inquiring \in [Node -> BOOLEAN]
  /\ chan \in [Node -> [Node -> Seq(Message)]]

\* Every node released, every vote free, no message in transit.
Init == /\ state = [i \in Node |-> "released"]
        /\ clock = [i \in Node |-> 0]
        /\ grants = [i \in Node |-> {}]
        /\ failed = [i \in Node |-> {}]
        /\ inquirers = [i \in Node |-> {}]
        /\ voted = [i \in Node |-> FALSE]
        /\ votedFor = [i \in Node |-> NoRequest]
        /\ queue = [i \in Node |-> {}]
        /\ inquiring = [i \in Node |-> FALSE]
        /\ chan = [i \in Node |-> [j \in Node |-> <<>>]]

-----------------------------------------------------------------------------
(* The requester: node i asks for the CS, collects votes, and may give one *)
(* back before it has them all.                                            *)

\* i wants the CS: its clock ticks, and it asks its quorum for their votes.
RequestCS(i) ==
  LET ts == [clock |-> clock[i] + 1, node |-> i]
  IN  /\ state[i] = "released"
      /\ state' = [state EXCEPT ![i] = "wanted"]
      /\ clock' = [clock EXCEPT ![i] = ts.clock]
      /\ chan' = Multicast(chan, i, Quorum[i], [type |-> "Request", ts |-> ts])
      /\ UNCHANGED <<grants, failed, inquirers>>
      /\ UNCHANGED arbiterVars

\* i receives j's vote.
RcvGrant(i, j) ==
  \E k \in Deliverable(chan[j][i]) :
    /\ chan[j][i][k].type = "Grant"
    /\ grants' = [grants EXCEPT ![i] = @ \cup {j}]
    /\ failed' = [failed EXCEPT ![i] = @ \ {j}]
    /\ chan' = [chan EXCEPT ![j][i] = RemoveAt(@, k)]
    /\ UNCHANGED <<state, clock, inquirers>>
    /\ UNCHANGED arbiterVars

\* i holds the vote of its whole quorum: it enters the CS.  Its RELEASE, when
\* it leaves, will answer the INQUIREs it has not answered.
EnterCS(i) ==
  /\ state[i] = "wanted"
  /\ grants[i] = Quorum[i]
  /\ state' = [state EXCEPT ![i] = "held"]
  /\ inquirers' = [inquirers EXCEPT ![i] = {}]
  /\ UNCHANGED <<clock, grants, failed, chan>>
  /\ UNCHANGED arbiterVars

\* i leaves the CS and gives every vote back.
ExitCS(i) ==
  /\ state[i] = "held"
  /\ state' = [state EXCEPT ![i] = "released"]
  /\ grants' = [grants EXCEPT ![i] = {}]
  /\ chan' = Multicast(chan, i, Quorum[i], ReleaseMsg)
  /\ UNCHANGED <<clock, failed, inquirers>>
  /\ UNCHANGED arbiterVars

\* i receives j's FAILED: j has put i's request behind another.
RcvFailed(i, j) ==
  \E k \in Deliverable(chan[j][i]) :
    /\ chan[j][i][k].type = "Failed"
    /\ failed' = [failed EXCEPT ![i] = @ \cup {j}]
    /\ chan' = [chan EXCEPT ![j][i] = RemoveAt(@, k)]
    /\ UNCHANGED <<state, clock, grants, inquirers>>
    /\ UNCHANGED arbiterVars

\* i receives j's INQUIRE: j would like its vote back.  While i waits with
\* the vote, it keeps the INQUIRE until it can answer.  Otherwise the INQUIRE
\* is dropped: i is in the CS, and its RELEASE will answer; or i has already
\* given the vote back with a RELEASE that crossed the INQUIRE.
RcvInquire(i, j) ==
  \E k \in Deliverable(chan[j][i]) :
    /\ chan[j][i][k].type = "Inquire"
    /\ inquirers' = [inquirers EXCEPT ![i] =
                       IF state[i] = "wanted" /\ j \in grants[i]
                         THEN @ \cup {j} ELSE @]
    /\ chan' = [chan EXCEPT ![j][i] = RemoveAt(@, k)]
    /\ UNCHANGED <<state, clock, grants, failed>>
    /\ UNCHANGED arbiterVars

\* i answers j's INQUIRE by giving j's vote back, once some arbiter has put
\* i's request behind another: i cannot enter before that request anyway.
\* j will give the vote to a request that comes first, so i counts j among
\* the arbiters that put it behind another.
Yield(i, j) ==
  /\ state[i] = "wanted"
  /\ j \in inquirers[i]
  /\ failed[i] # {}
  /\ grants' = [grants EXCEPT ![i] = @ \ {j}]
  /\ failed' = [failed EXCEPT ![i] = @ \cup {j}]
  /\ inquirers' = [inquirers EXCEPT ![i] = @ \ {j}]
  /\ chan' = Send(chan, i, j, YieldMsg)
  /\ UNCHANGED <<state, clock>>
  /\ UNCHANGED arbiterVars

-----------------------------------------------------------------------------
(* The arbiter: node i gives its one vote to one request at a time.        *)

\* Arbiter i, whose vote is given, makes request t wait (t joins queue[i] in
\* the same step), given the channels c.  If t comes before the holder of the
\* vote and every waiting request, i asks the holder for the vote back
\* (INQUIRE, once per vote), and tells the waiting request that t overtook,
\* if it came before the holder too, that it is now behind another (FAILED;
\* the others have been told).  Otherwise i tells t's node so (FAILED).
\* (MCMaekawaNoInquire and MCMaekawaNoOvertakenFailed override it.)
Wait(i, t, c) ==
  LET holder == votedFor[i]
      \* the waiting requests that came before the holder: the first of them
      \* has not been told FAILED
      ahead == {r \in queue[i] : Before(r, holder)}
      c1 == IF inquiring[i] THEN c ELSE Send(c, i, holder.node, InquireMsg)
  IN  IF Before(t, holder) /\ \A r \in queue[i] : Before(t, r)
        THEN /\ inquiring' = [inquiring EXCEPT ![i] = TRUE]
             /\ chan' = IF ahead = {} THEN c1
                         ELSE Send(c1, i, First(ahead).node, FailedMsg)
        ELSE /\ chan' = Send(c, i, t.node, FailedMsg)
             /\ UNCHANGED inquiring

\* i receives j's REQUEST with timestamp t, and its clock moves up to t's.
\* With its vote free, i votes for t.  Otherwise t waits in i's queue.
RcvRequest(i, j) ==
  \E k \in Deliverable(chan[j][i]) :
    LET t == chan[j][i][k].ts
        c == [chan EXCEPT ![j][i] = RemoveAt(@, k)]
    IN  /\ chan[j][i][k].type = "Request"
        /\ clock' = [clock EXCEPT ![i] = Max(@, t.clock)]
        /\ IF voted[i]
             THEN /\ queue' = [queue EXCEPT ![i] = @ \cup {t}]
                  /\ Wait(i, t, c)
                  /\ UNCHANGED <<voted, votedFor>>
             ELSE /\ voted' = [voted EXCEPT ![i] = TRUE]
                  /\ votedFor' = [votedFor EXCEPT ![i] = t]
                  /\ chan' = Send(c, i, j, GrantMsg)
                  /\ UNCHANGED <<queue, inquiring>>
        /\ UNCHANGED <<state, grants, failed, inquirers>>

\* i receives j's YIELD: the vote is back.  j's request waits again, and i
\* votes for the request that comes first, which came before j's.
RcvYield(i, j) ==
  \E k \in Deliverable(chan[j][i]) :
    LET c == [chan EXCEPT ![j][i] = RemoveAt(@, k)]
        next == First(queue[i] \cup {votedFor[i]})
    IN  /\ chan[j][i][k].type = "Yield"
        /\ votedFor' = [votedFor EXCEPT ![i] = next]
        /\ queue' = [queue EXCEPT ![i] = (@ \cup {votedFor[i]}) \ {next}]
        /\ inquiring' = [inquiring EXCEPT ![i] = FALSE]
        /\ chan' = Send(c, i, next.node, GrantMsg)
        /\ UNCHANGED <<voted>>
        /\ UNCHANGED requesterVars

\* i receives j's RELEASE: j has left the CS.  i votes for the waiting request
\* that comes first, or keeps its vote if none waits.
RcvRelease(i, j) ==
  \E k \in Deliverable(chan[j][i]) :
    LET c == [chan EXCEPT ![j][i] = RemoveAt(@, k)]
    IN  /\ chan[j][i][k].type = "Release"
        /\ inquiring' = [inquiring EXCEPT ![i] = FALSE]
        /\ IF queue[i] = {}
             THEN /\ voted' = [voted EXCEPT ![i] = FALSE]
                  /\ votedFor' = [votedFor EXCEPT ![i] = NoRequest]
                  /\ chan' = c
                  /\ UNCHANGED queue
             ELSE LET next == First(queue[i])
                  IN  /\ votedFor' = [votedFor EXCEPT ![i] = next]
                      /\ queue' = [queue EXCEPT ![i] = @ \ {next}]
                      /\ chan' = Send(c, i, next.node, GrantMsg)
                      /\ UNCHANGED voted
        /\ UNCHANGED requesterVars

-----------------------------------------------------------------------------
\* One step of one node.
Next == \E i \in Node :
          \/ RequestCS(i) \/ EnterCS(i) \/ ExitCS(i)
          \/ \E j \in Node : \/ RcvGrant(i, j) \/ RcvFailed(i, j)
                             \/ RcvInquire(i, j) \/ Yield(i, j)
                             \/ RcvRequest(i, j) \/ RcvYield(i, j)
                             \/ RcvRelease(i, j)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* i receives the next message from j, whatever its type.
Receive(i, j) == \/ RcvGrant(i, j) \/ RcvFailed(i, j) \/ RcvInquire(i, j)
                 \/ RcvRequest(i, j) \/ RcvYield(i, j) \/ RcvRelease(i, j)

\* Every message is eventually received (a receive is enabled whatever the
\* message), a node with every vote enters, a node in the CS leaves it, and a
\* node that can yield does.  No node is forced to request.
Fairness ==
  \A i \in Node :
    /\ WF_vars(EnterCS(i)) /\ WF_vars(ExitCS(i))
    /\ WF_vars(\E j \in Node : Yield(i, j))
    /\ \A j \in Node : WF_vars(Receive(i, j))

\* Safety and liveness.
FairSpec == Spec /\ Fairness

-----------------------------------------------------------------------------
(* Properties.                                                             *)

\* Mutual exclusion: at most one node is in the CS.
MutualExclusionInv ==
  \A i, j \in Node : state[i] = "held" /\ state[j] = "held" => i = j

\* Each node's vote is held by at most one requester.
VoteInv == \A j \in Node : Cardinality({i \in Node : j \in grants[i]}) <= 1

\* A node never counts as failed an arbiter whose vote it holds: a FAILED
\* always reaches it before that arbiter's next GRANT.  So a node with every
\* vote has no reason to yield.
FailedInv == \A i \in Node : failed[i] \cap grants[i] = {}

\* The number of messages of type ty in transit from i to j.
InTransit(i, j, ty) ==
  Cardinality({k \in DOMAIN chan[i][j] : chan[i][j][k].type = ty})

\* Where each vote is: a given vote is in exactly one place, with the node
\* that votedFor names (its GRANT on the way, held, or its YIELD or RELEASE
\* on the way back), and a free vote is nowhere.
VoteAccountingInv ==
  \A i, j \in Node :
    LET places == InTransit(j, i, "Grant") + (IF j \in grants[i] THEN 1 ELSE 0)
                    + InTransit(i, j, "Yield") + InTransit(i, j, "Release")
    IN  places = IF voted[j] /\ votedFor[j].node = i THEN 1 ELSE 0

\* No deadlock: while some node waits, some node eventually enters the CS.
DeadlockFreedomProp ==
  (\E i \in Node : state[i] = "wanted") ~> (\E i \in Node : state[i] = "held")

\* No starvation: every request is eventually granted.
StarvationFreedomProp ==
  \A i \in Node : state[i] = "wanted" ~> state[i] = "held"

\* No starvation implies no deadlock.
THEOREM StarvationFreedomProp => DeadlockFreedomProp
==============================================================================
