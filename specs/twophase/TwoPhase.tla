------------------------------- MODULE TwoPhase ------------------------------
(***************************************************************************)
(* Two-phase commit: a transaction manager (TM) asks the resource managers *)
(* (RMs) to vote; it commits if every RM prepared, and aborts otherwise.   *)
(*                                                                         *)
(* After Gray and Lamport, "Consensus on Transaction Commit" (2006),       *)
(* sec. 3, and Lamport's TwoPhase.tla, extended with a TM that crashes.    *)
(*                                                                         *)
(* System model                                                            *)
(*   Links     no loss, but duplication, delay and reordering: not         *)
(*             reliable (perfect) links, which deliver each message once.  *)
(*             msgs is the set of every message ever sent, and it never    *)
(*             loses one; a receipt does not remove its message, so a      *)
(*             message may be received any number of times, at any time    *)
(*             after it was sent, in any order with the others.  (A set    *)
(*             keeps one copy of a message sent twice.)                    *)
(*   RMs       never crash.  An RM may abort on its own before it has      *)
(*             prepared (it then never votes).                             *)
(*   TM        crash-recovery.  Its decision tmState is durable: it is     *)
(*             written to stable storage before the decision message is    *)
(*             sent, and survives a crash.  The votes it has collected,    *)
(*             tmPrepared, are volatile and lost on a crash.  A TM that    *)
(*             recovers undecided may abort (presumed abort) or collect    *)
(*             the votes again.                                            *)
(*   Timing    asynchronous for safety (Spec).  FairSpec adds weak         *)
(*             fairness of exactly these actions: the TM's decisions       *)
(*             TMCommit and TMAbort (TMAbort's fairness is the TM's        *)
(*             timeout), the TM's receipt of each vote, TMRcvPrepared(rm), *)
(*             and each RM's receipt of a decision, RMRcvCommitMsg(rm) and *)
(*             RMRcvAbortMsg(rm).  Nothing else is fair: an RM may stay    *)
(*             working forever (no fairness on RMPrepare or                *)
(*             RMChooseToAbort), and the TM may crash for good, or crash   *)
(*             and recover forever (none on TMCrash or TMRecover).  Under  *)
(*             FairSpec every RM decides if the TM eventually stays up     *)
(*             (TerminationProp).  A TM that stays down undecided blocks   *)
(*             the prepared RMs forever, since they may neither commit nor *)
(*             abort on their own: the blocking case of two-phase commit   *)
(*             (MCTwoPhaseBlocking shows it).                              *)
(*                                                                         *)
(* Safety and liveness: atomicity, commit validity, a stable decision and  *)
(* the refinement of TCommit (TCommit.tla) are checked on Spec, and        *)
(* termination on FairSpec.  TLC's deadlock check cannot fail on Spec:     *)
(* every state has a step (the TM can crash or recover, and a decision,    *)
(* once sent, can be received again).  MCTwoPhaseNoCrash gives it a        *)
(* meaning: with a TM that never crashes, no state is stuck short of       *)
(* every RM deciding.                                                      *)
(*                                                                         *)
(* Left out: RM crashes, several transactions, the TM asking for votes     *)
(* (an RM prepares when it is ready; the request carries no information).  *)
(***************************************************************************)
EXTENDS TLC

CONSTANT RM            \* the resource managers

VARIABLES
  rmState,     \* rmState[rm]: "working", "prepared", "committed" or "aborted"
  tmState,     \* the TM's durable decision: "init", "committed" or "aborted"
  tmPrepared,  \* the RMs from which the TM has a Prepared message (volatile)
  tmUp,        \* TRUE while the TM is running, FALSE while it is crashed
  msgs         \* every message ever sent

vars == <<rmState, tmState, tmPrepared, tmUp, msgs>>

\* The messages: an RM's vote, and the TM's two decisions.
Messages == [type : {"Prepared"}, rm : RM] \cup [type : {"Commit", "Abort"}]

\* Type correctness.
TypeOK == /\ rmState \in [RM -> {"working", "prepared", "committed", "aborted"}]
          /\ tmState \in {"init", "committed", "aborted"}
          /\ tmPrepared \subseteq RM
          /\ tmUp \in BOOLEAN
          /\ msgs \subseteq Messages

\* Every RM working, the TM up and undecided, no message sent.
Init == /\ rmState = [rm \in RM |-> "working"]
        /\ tmState = "init"
        /\ tmPrepared = {}
        /\ tmUp = TRUE
        /\ msgs = {}

-----------------------------------------------------------------------------
(* The transaction manager.                                                *)

\* The TM may commit: every RM has voted.  (A known-bug model overrides it.)
TMCanCommit == tmPrepared = RM

\* The TM receives rm's Prepared message and records the vote.
TMRcvPrepared(rm) == /\ tmUp
                     /\ tmState = "init"
                     /\ [type |-> "Prepared", rm |-> rm] \in msgs
                     /\ tmPrepared' = tmPrepared \cup {rm}
                     /\ UNCHANGED <<rmState, tmState, tmUp, msgs>>

\* The TM decides to commit, logs the decision, then sends Commit.
TMCommit == /\ tmUp
            /\ tmState = "init"
            /\ TMCanCommit
            /\ tmState' = "committed"
            /\ msgs' = msgs \cup {[type |-> "Commit"]}
            /\ UNCHANGED <<rmState, tmPrepared, tmUp>>

\* The TM decides to abort (a timeout, or presumed abort after a crash),
\* logs the decision, then sends Abort.
TMAbort == /\ tmUp
           /\ tmState = "init"
           /\ tmState' = "aborted"
           /\ msgs' = msgs \cup {[type |-> "Abort"]}
           /\ UNCHANGED <<rmState, tmPrepared, tmUp>>

\* The TM crashes: its volatile votes are lost, its decision survives.
TMCrash == /\ tmUp
           /\ tmUp' = FALSE
           /\ tmPrepared' = {}
           /\ UNCHANGED <<rmState, tmState, msgs>>

\* The TM recovers with its durable decision.  A decision made before the
\* crash was sent with it, and msgs never loses it.  (A real TM sends it again
\* on recovery, since a crash loses the messages still queued in the process;
\* that adds nothing to msgs, which is why this action leaves msgs unchanged.)
TMRecover == /\ ~tmUp
             /\ tmUp' = TRUE
             /\ UNCHANGED <<rmState, tmState, tmPrepared, msgs>>

-----------------------------------------------------------------------------
(* The resource managers.                                                  *)

\* rm is ready to commit: it prepares and votes.
RMPrepare(rm) == /\ rmState[rm] = "working"
                 /\ rmState' = [rmState EXCEPT ![rm] = "prepared"]
                 /\ msgs' = msgs \cup {[type |-> "Prepared", rm |-> rm]}
                 /\ UNCHANGED <<tmState, tmPrepared, tmUp>>

\* rm aborts on its own, before it has prepared.
RMChooseToAbort(rm) == /\ rmState[rm] = "working"
                       /\ rmState' = [rmState EXCEPT ![rm] = "aborted"]
                       /\ UNCHANGED <<tmState, tmPrepared, tmUp, msgs>>

\* rm receives the TM's Commit (again, if it is a duplicate).
RMRcvCommitMsg(rm) == /\ [type |-> "Commit"] \in msgs
                      /\ rmState' = [rmState EXCEPT ![rm] = "committed"]
                      /\ UNCHANGED <<tmState, tmPrepared, tmUp, msgs>>

\* rm receives the TM's Abort (again, if it is a duplicate).
RMRcvAbortMsg(rm) == /\ [type |-> "Abort"] \in msgs
                     /\ rmState' = [rmState EXCEPT ![rm] = "aborted"]
                     /\ UNCHANGED <<tmState, tmPrepared, tmUp, msgs>>

-----------------------------------------------------------------------------
\* One step of the TM or of one RM.
Next == \/ TMCommit \/ TMAbort \/ TMCrash \/ TMRecover
        \/ \E rm \in RM : \/ TMRcvPrepared(rm)
                          \/ RMPrepare(rm) \/ RMChooseToAbort(rm)
                          \/ RMRcvCommitMsg(rm) \/ RMRcvAbortMsg(rm)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* With fairness: a TM that stays up decides (its timeout aborts) and reads
\* every vote sent, and every RM receives a decision sent.  Nothing else is
\* fair: an RM need not vote, and the TM may stay down for good.
FairSpec == /\ Spec
            /\ WF_vars(TMCommit) /\ WF_vars(TMAbort)
            /\ \A rm \in RM : /\ WF_vars(TMRcvPrepared(rm))
                              /\ WF_vars(RMRcvCommitMsg(rm))
                              /\ WF_vars(RMRcvAbortMsg(rm))

-----------------------------------------------------------------------------
(* Properties.                                                             *)

\* Atomicity: no RM has committed while another has aborted.
ConsistencyInv == \A rm1, rm2 \in RM : ~ /\ rmState[rm1] = "aborted"
                                         /\ rmState[rm2] = "committed"

\* An RM commits only if every RM prepared (voted to commit).
CommitValidityInv ==
  (\E rm \in RM : rmState[rm] = "committed")
    => \A rm \in RM : [type |-> "Prepared", rm |-> rm] \in msgs

\* The TM's decision, once taken, never changes: not even across a crash.
DecisionStableProp == [][tmState # "init" => tmState' = tmState]_tmState

\* Termination: if the TM eventually stays up, every RM decides.
TerminationProp == <>[]tmUp => \A rm \in RM :
                                 <>(rmState[rm] \in {"committed", "aborted"})

\* Two-phase commit implements transaction commit (TCommit.tla).
TC == INSTANCE TCommit
TCRefinementProp == TC!TCSpec
==============================================================================
