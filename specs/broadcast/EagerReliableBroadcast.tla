------------------------ MODULE EagerReliableBroadcast ------------------------
(***************************************************************************)
(* Eager reliable broadcast: the sender best-effort broadcasts its         *)
(* message; every other process, on receiving a message for the first      *)
(* time, delivers it and relays it to every other process.  A message that *)
(* a correct process delivers has thus been sent to every process by a     *)
(* correct process, whose links lose nothing: agreement holds, however     *)
(* many processes crash.                                                   *)
(*                                                                         *)
(* After Cachin, Guerraoui and Rodrigues, "Introduction to Reliable and    *)
(* Secure Distributed Programming" (2011), module 3.2 and algorithm 3.3    *)
(* (Eager Reliable Broadcast).                                             *)
(*                                                                         *)
(* System model: Broadcast.tla's.  Perfect links, which promise nothing    *)
(* once the sender has crashed; crash-stop processes, at most F crashes    *)
(* (any F: the algorithm needs no failure detector and no majority);       *)
(* asynchronous.                                                           *)
(*                                                                         *)
(* Guarantees: validity, no duplication, no creation, agreement.  Not      *)
(* uniform agreement: a process may deliver, relay, and crash before any   *)
(* relayed copy arrives; then no correct process ever delivers what the    *)
(* crashed one did.  The model MCEagerReliableBroadcastNotUniform has TLC  *)
(* show it; UniformReliableBroadcast.tla is the remedy.                    *)
(*                                                                         *)
(* Relays.  Cachin et al. relay by best-effort broadcast, so a process     *)
(* also sends itself a copy, and the sender sends everything twice.  Those *)
(* copies are dropped on arrival and change no delivery; they are left     *)
(* out (here and in the Java implementation), which divides TLC's states   *)
(* by thirteen.  A relay goes to every other process, and the sender does  *)
(* not relay its own message.                                              *)
(*                                                                         *)
(* Cost: every process but the sender relays every message: N + (N-1)^2    *)
(* messages per broadcast, crash or no crash.  LazyReliableBroadcast.tla   *)
(* saves them.                                                             *)
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

\* p receives m from q.  The first time, it delivers m and, unless m is its
\* own, relays it to every other process; a copy received later is dropped.
Receive(p, q, m) == /\ alive[p]
                    /\ InTransit(q, p, Data(m))
                    /\ IF m \in Delivered(p)
                         THEN /\ net' = Taken(q, p, Data(m))
                              /\ UNCHANGED delivered
                         ELSE /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
                              /\ net' = Taken(q, p, Data(m)) (+) (IF m.src = p THEN EmptyBag ELSE Relay(p, m))
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

\* Agreement, in every quiescent state.
AgreementInv == AgreementAt(Quiescent)
==============================================================================
