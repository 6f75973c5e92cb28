-------------------------- MODULE BestEffortBroadcast --------------------------
(***************************************************************************)
(* Best-effort broadcast: the sender sends its message to every process    *)
(* over perfect links, and a process delivers each message it receives.    *)
(*                                                                         *)
(* After Cachin, Guerraoui and Rodrigues, "Introduction to Reliable and    *)
(* Secure Distributed Programming" (2011), module 3.1 and algorithm 3.1    *)
(* (Basic Broadcast).                                                      *)
(*                                                                         *)
(* System model: Broadcast.tla's.  Perfect links, which promise nothing    *)
(* once the sender has crashed; crash-stop processes, at most F crashes;   *)
(* asynchronous.                                                           *)
(*                                                                         *)
(* Guarantees: validity (if a correct process broadcasts m, every correct  *)
(* process eventually delivers m), no duplication, no creation.  Not       *)
(* agreement: if the sender crashes in the middle of a broadcast, some     *)
(* correct processes deliver its message and others never do.  The model   *)
(* MCBestEffortBroadcastSenderCrash has TLC show it; that is what reliable *)
(* broadcast (EagerReliableBroadcast.tla) is for.                          *)
(***************************************************************************)
EXTENDS Broadcast

vars == <<alive, broadcasts, delivered, net>>

\* Type correctness.
TypeOK == BroadcastTypeOK

\* Nothing broadcast, nothing in transit.
Init == BroadcastInit

\* p broadcasts its next message: it sends it to every process, itself included.
Broadcast(p) == /\ alive[p]
                /\ CanBroadcast(p)
                /\ broadcasts' = [broadcasts EXCEPT ![p] = @ + 1]
                /\ net' = net (+) ToAll(p, NextMsg(p))
                /\ UNCHANGED <<alive, delivered>>

\* p receives m from q over the perfect link, and delivers it.
Receive(p, q, m) == /\ alive[p]
                    /\ InTransit(q, p, Data(m))
                    /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
                    /\ net' = Taken(q, p, Data(m))
                    /\ UNCHANGED <<alive, broadcasts>>

\* p crashes.
Crash(p) == CrashStep(p) /\ UNCHANGED <<broadcasts, delivered>>

\* The link from crashed q to p loses m.
LoseInTransit(q, p, m) == LossStep(q, p, m) /\ UNCHANGED <<alive, broadcasts, delivered>>

\* One step of one process, or of a link.
Next == \/ \E p \in Proc : Broadcast(p) \/ Crash(p)
        \/ \E p, q \in Proc, m \in Msgs : Receive(p, q, m) \/ LoseInTransit(q, p, m)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* With fairness: a live process eventually receives what is in transit to it.
\* Broadcasts, crashes and losses are not fair: they may never happen.
FairSpec == /\ Spec
            /\ \A p \in Proc : WF_vars(\E q \in Proc, m \in Msgs : Receive(p, q, m))

-----------------------------------------------------------------------------
(* Properties (the invariants and properties are Broadcast.tla's).         *)

\* Nothing is left to do: no message is in transit to a live process.
Quiescent == LinksQuiet

\* Validity, in every quiescent state.
ValidityInv == ValidityAt(Quiescent)

\* Agreement, in every quiescent state: best-effort broadcast violates it.
AgreementInv == AgreementAt(Quiescent)
==============================================================================
