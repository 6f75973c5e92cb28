------------------------------ MODULE MCMaekawa ------------------------------
(* Models of Maekawa for TLC.  Everything that exists only for TLC lives    *)
(* here; Maekawa.tla stays the protocol.                                   *)
EXTENDS Maekawa

\* The nodes in order (strings, as the Java implementation names them).
MCNodes3 == <<"n1", "n2", "n3">>
MCNodes4 == <<"n1", "n2", "n3", "n4">>

\* The set of nodes of a sequence, and each one's number: its position.
NodesOf(s) == {s[k] : k \in 1..Len(s)}
IdsOf(s) == [i \in NodesOf(s) |-> CHOOSE k \in 1..Len(s) : s[k] = i]

\* Grid quorums: the nodes of s, in order, fill the rows of a grid with
\* ceiling(sqrt(N)) columns; a node's quorum is its row and its column.  Two
\* quorums meet where one's row crosses the other's column (in a last row
\* that is not full, the other way round), so QuorumAssumption holds.
GridQuorums(s) ==
  LET n == Len(s)
      cols == CHOOSE c \in 1..n : c * c >= n /\ (c - 1) * (c - 1) < n
      row(k) == (k - 1) \div cols
      col(k) == (k - 1) % cols
  IN  [i \in NodesOf(s) |->
         LET p == IdsOf(s)[i]
         IN  {s[k] : k \in {k \in 1..n : row(k) = row(p) \/ col(k) = col(p)}}]

\* Three nodes: n1's quorum is all three, n2's {n1, n2}, n3's {n1, n3}.
MCNode3 == NodesOf(MCNodes3)
MCId3 == IdsOf(MCNodes3)
MCQuorum3 == GridQuorums(MCNodes3)

\* Four nodes on a 2x2 grid: each quorum has three nodes.
MCNode4 == NodesOf(MCNodes4)
MCId4 == IdsOf(MCNodes4)
MCQuorum4 == GridQuorums(MCNodes4)

\* The bound that keeps the models finite: no clock passes MaxClock, so each
\* node makes at most MaxClock requests (fewer when it has seen later ones).
\* With MaxClock = 1 every node requests once, all with clock 1: the requests
\* are concurrent, ordered by node number, and every way their messages
\* interleave is explored; that is where votes collide, INQUIRE and YIELD
\* are needed, and the deadlocks below live.  MaxClock = 2 (the Large
\* models) adds second requests, and requests ordered by clock, not node.
MaxClock == 1
MaxClockLarge == 2
ClockBound == \A i \in Node : clock[i] <= MaxClock

\* Spec and FairSpec, bounded: no step takes a clock past MaxClock.  Only
\* RequestCS ever does, so the bound leaves every receipt, and the fairness
\* of FairSpec, as they are.
BoundedSpec == Init /\ [][Next /\ ClockBound']_vars
BoundedFairSpec == BoundedSpec /\ Fairness

\* Known bug: Maekawa's algorithm without INQUIRE, YIELD and FAILED.  A
\* request that finds the vote given just waits for the RELEASE.
WaitSilently(i, t, c) == /\ chan' = c
                         /\ UNCHANGED inquiring

\* Known bug: FAILED only to a request that arrives behind another, never to
\* the waiting request a new one overtakes.  The overtaken request's node
\* may then hold a vote that is asked back, with no FAILED to make it yield.
WaitNoOvertakenFailed(i, t, c) ==
  IF Before(t, votedFor[i]) /\ \A r \in queue[i] : Before(t, r)
    THEN /\ inquiring' = [inquiring EXCEPT ![i] = TRUE]
         /\ chan' = IF inquiring[i] THEN c
                    ELSE Send(c, i, votedFor[i].node, InquireMsg)
    ELSE /\ chan' = Send(c, i, t.node, FailedMsg)
         /\ UNCHANGED inquiring

\* Links that are not FIFO: any message in transit may be received next.
DeliverableAny(c) == DOMAIN c
==============================================================================
