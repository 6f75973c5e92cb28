------------------------------ MODULE MCTwoPhase -----------------------------
(* Models of TwoPhase for TLC.  Everything that exists only for TLC lives   *)
(* here; TwoPhase.tla stays the protocol.                                  *)
EXTENDS TwoPhase

\* Three resource managers (strings, as the Java implementation names them).
MCRM3 == {"rm1", "rm2", "rm3"}

\* Seven resource managers, for the large model.
MCRM7 == {"rm1", "rm2", "rm3", "rm4", "rm5", "rm6", "rm7"}

\* Known bug: the TM commits as soon as any RM has prepared.
TMCanCommitOnAnyVote == tmPrepared # {}
\* Known bug: no timeout.  The TM waits for votes with no fairness on
\* TMAbort, so an RM that aborted on its own blocks the others forever.
FairSpecNoTimeout == /\ Spec
                     /\ WF_vars(TMCommit)
                     /\ \A rm \in RM : /\ WF_vars(RMRcvCommitMsg(rm))
                                       /\ WF_vars(RMRcvAbortMsg(rm))
==============================================================================
