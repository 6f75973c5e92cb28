------------------------------ MODULE MCTwoPhase -----------------------------
(* Models of TwoPhase for TLC.  Everything that exists only for TLC lives   *)
(* here; TwoPhase.tla stays the protocol.                                  *)
EXTENDS TwoPhase

\* Three resource managers (strings, as the Java implementation names them).
MCRM3 == {"rm1", "rm2", "rm3"}

\* Seven resource managers, for the large model.
MCRM7 == {"rm1", "rm2", "rm3", "rm4", "rm5", "rm6", "rm7"}

-----------------------------------------------------------------------------
(* Known bugs.                                                             *)

\* Known bug: the TM commits as soon as any RM has prepared.
TMCanCommitOnAnyVote == tmPrepared # {}

\* Known bug: no timeout.  FairSpec without the fairness of TMAbort, so an up
\* TM may wait for votes forever; and every RM votes or aborts in the end, so
\* that an RM that never makes up its mind is not why others stay undecided.
FairSpecNoTimeout ==
  /\ Spec
  /\ WF_vars(TMCommit)
  /\ \A rm \in RM : /\ WF_vars(RMPrepare(rm) \/ RMChooseToAbort(rm))
                    /\ WF_vars(TMRcvPrepared(rm))
                    /\ WF_vars(RMRcvCommitMsg(rm))
                    /\ WF_vars(RMRcvAbortMsg(rm))

\* rm aborted on its own: it is aborted, never voted, and no Abort was sent.
AbortedAlone(rm) == /\ rmState[rm] = "aborted"
                    /\ [type |-> "Prepared", rm |-> rm] \notin msgs
                    /\ [type |-> "Abort"] \notin msgs

\* Termination fails under FairSpecNoTimeout only where an RM aborted alone.
StuckOnlyByAbortProp == TerminationProp \/ <>(\E rm \in RM : AbortedAlone(rm))

-----------------------------------------------------------------------------
(* The blocking case.                                                      *)

\* Not a property of two-phase commit: a prepared RM decides even if the TM
\* stays down.  FairSpec violates it only where the TM stays down undecided
\* with an RM prepared (TerminationProp covers a TM that stays up).
NonBlockingProp ==
  <>[]~tmUp => \A rm \in RM : rmState[rm] = "prepared"
                                ~> rmState[rm] \in {"committed", "aborted"}

-----------------------------------------------------------------------------
(* A deadlock check that can fail.  On Spec it cannot: the TM can always   *)
(* crash or recover, and a decision sent can always be received again.     *)

\* Every RM has decided: the protocol is over.
AllDecided == \A rm \in RM : rmState[rm] \in {"committed", "aborted"}

\* Next's steps that change the state, and a stutter once every RM decided.
ProgressNext == \/ Next /\ vars' # vars
                \/ AllDecided /\ UNCHANGED vars

\* Spec's behaviours, whose only deadlocks are states stuck short of the end.
ProgressSpec == Init /\ [][ProgressNext]_vars

\* For TMCrash: a TM that never crashes.
NoTMCrash == FALSE

\* For TMRecover: a TM that, once crashed, stays down.
NoTMRecover == FALSE
==============================================================================
