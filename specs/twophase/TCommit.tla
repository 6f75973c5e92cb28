------------------------------- MODULE TCommit -------------------------------
(***************************************************************************)
(* Transaction commit, abstractly: what every commit protocol must ensure, *)
(* with no messages and no coordinator.  Each resource manager (RM) starts *)
(* "working", may become "prepared", and ends "committed" or "aborted".    *)
(* An RM may commit only once every RM is prepared (or has committed), and *)
(* may abort only while no RM has committed.                              *)
(*                                                                         *)
(* After Gray and Lamport, "Consensus on Transaction Commit" (2006), sec. 2.*)
(* TwoPhase.tla refines this spec; its CI model checks the refinement.     *)
(***************************************************************************)
CONSTANT RM            \* the resource managers

VARIABLE rmState       \* rmState[rm]: the state of resource manager rm

\* The states a resource manager goes through.
RMStates == {"working", "prepared", "committed", "aborted"}

\* Type correctness.
TCTypeOK == rmState \in [RM -> RMStates]

\* Every RM starts working.
TCInit == rmState = [rm \in RM |-> "working"]

\* Every RM is prepared or has committed: commit is allowed.
CanCommit == \A rm \in RM : rmState[rm] \in {"prepared", "committed"}

\* No RM has committed: abort is allowed.
NotCommitted == \A rm \in RM : rmState[rm] # "committed"

\* rm finishes its work and votes to commit.
Prepare(rm) == /\ rmState[rm] = "working"
               /\ rmState' = [rmState EXCEPT ![rm] = "prepared"]

\* rm commits or aborts, as CanCommit and NotCommitted allow.
Decide(rm) == \/ /\ rmState[rm] = "prepared"
                 /\ CanCommit
                 /\ rmState' = [rmState EXCEPT ![rm] = "committed"]
              \/ /\ rmState[rm] \in {"working", "prepared"}
                 /\ NotCommitted
                 /\ rmState' = [rmState EXCEPT ![rm] = "aborted"]

\* One RM takes one step.
TCNext == \E rm \in RM : Prepare(rm) \/ Decide(rm)

\* The abstract specification (safety only).
TCSpec == TCInit /\ [][TCNext]_rmState

\* Atomicity: no RM has committed while another has aborted.
TCConsistent == \A rm1, rm2 \in RM : ~ /\ rmState[rm1] = "aborted"
                                       /\ rmState[rm2] = "committed"
==============================================================================
