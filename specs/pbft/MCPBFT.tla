-------------------------------- MODULE MCPBFT --------------------------------
(* Models of PBFT for TLC: the bounds, the known bugs (operators of PBFT.tla *)
(* overridden in a model's .cfg) and the invariants that must fail          *)
(* (reachability).  PBFT.tla stays the protocol.                            *)
EXTENDS PBFT

CONSTANTS
  r1, r2, r3, r4,  \* replicas, as model values
  MaxByzMsgs,      \* the faulty replicas send at most this many messages
  ForgedAs         \* the correct replicas a faulty one can sign as (MCPBFTForged)

Replicas4 == <<r1, r2, r3, r4>>

\* The adversary's budget: what keeps its any-message action finite enough
\* to exhaust. Its messages are chosen by TLC among all it could send.
ByzBudgetConstraint == Cardinality({m \in msgs : m.from \in Byzantine \cup ForgedAs}) <= MaxByzMsgs

\* Which kinds of message the adversary sends in a model.
CONSTANT ByzTypes
ByzTypesConstraint == \A m \in msgs : m.from \in Byzantine => m.type \in ByzTypes
\* The adversary does not bother with the null request where no NEW-VIEW issues one.
ByzNoNullConstraint == \A m \in msgs : m.from \in Byzantine \cup ForgedAs => ~ ("req" \in DOMAIN m /\ m.req = Null)

\* The same bounds as a guard of the adversary's any-message action
\* (AdversaryMay), so that TLC does not make the successors it would cut.
AdversaryBudget(m) ==
  /\ Cardinality({x \in msgs : x.from \in Byzantine \cup ForgedAs}) < MaxByzMsgs
  /\ m.type \in ByzTypes
  /\ ~ ("req" \in DOMAIN m /\ m.req = Null)

\* Requests are interchangeable, and so are the replicas that are primary of
\* no view of the model: symmetry.
RequestSymmetry == Permutations(Request)
BackupSymmetry == Permutations(Request) \cup Permutations({r3, r4})

\* Known bug: quorums of 2f, not 2f+1 (two quorums need not share a correct
\* replica).
QuorumTwoF == 2 * F

\* Known bug: unauthenticated links: a faulty replica signs as the correct
\* replicas in ForgedAs too (one is enough to break agreement).
SendableForging(b) == {b} \cup ForgedAs

\* Known bug: a new primary that ignores the prepared certificates in its
\* VIEW-CHANGEs: it re-issues nothing, and the next sequence numbers are free.
NewViewIgnoringPrepared(v, V) == {}

\* Reachability: a request committed at a correct replica in view 1, after
\* a view change.
NoCommitInLaterViewReach ==
  ~ \E r \in Correct : \E e \in pp[r] : e.view = 1 /\ e.req # Null /\ CommittedLocal(r, e.view, e.seq, e.req)

\* Reachability: the faulty primary equivocates, and correct backups accept
\* both of its pre-prepares for one sequence number.
NoEquivocationReach ==
  ~ \E r, s \in Correct : \E e \in pp[r], o \in pp[s] :
       e.view = 0 /\ o.view = 0 /\ e.seq = o.seq /\ e.req # o.req

\* Reachability: a correct replica moves its low water mark past a stable
\* checkpoint and pre-prepares or prepares a request above it.
NoWindowMoveReach ==
  ~ \E r \in Correct : stable[r] > 0 /\ \E e \in pp[r] : e.seq > LogSize

\* Reachability: a client accepts a result.
NoResultReach == accepted = {}
=============================================================================
