------------------------- MODULE LazyReliableBroadcast -------------------------
(***************************************************************************)
(* Lazy reliable broadcast: the sender best-effort broadcasts its message, *)
(* and a process relays a message only when it learns that the message's   *)
(* sender has crashed.  A perfect failure detector tells it: every crash   *)
(* is eventually reported to every correct process (strong completeness),  *)
(* and no process is reported before it crashes (strong accuracy).  While  *)
(* nobody crashes, nobody relays: a broadcast costs one message to each    *)
(* process, N in all, where eager reliable broadcast sends N + (N-1)^2.    *)
(*                                                                         *)
(* After Cachin, Guerraoui and Rodrigues, "Introduction to Reliable and    *)
(* Secure Distributed Programming" (2011), module 3.2 and algorithm 3.2    *)
(* (Lazy Reliable Broadcast), with the perfect failure detector of module  *)
(* 2.6.                                                                    *)
(*                                                                         *)
(* System model: Broadcast.tla's, with fail-stop processes.  Perfect       *)
(* links, which promise nothing once the sender has crashed; crash-stop    *)
(* processes, at most F crashes (any F), each reported by the perfect      *)
(* failure detector (DetectCrash); asynchronous otherwise.                 *)
(*                                                                         *)
(* Guarantees: validity, no duplication, no creation, agreement; and, in   *)
(* runs without crashes, the cost above (CrashFreeCostInv).  Agreement     *)
(* rests on the detector: a process that delivered m from a sender that    *)
(* then crashed relays m once the crash is reported, so the copies the     *)
(* crash lost are made good.                                               *)
(*                                                                         *)
(* Relays go to every other process (see EagerReliableBroadcast.tla).      *)
(***************************************************************************)
EXTENDS Broadcast

VARIABLES
  correct,    \* correct[p]: the processes p has not (yet) seen crash
  sentCount   \* sentCount[m]: how many packets carrying m were sent (history)

vars == <<alive, broadcasts, delivered, net, correct, sentCount>>

\* Type correctness.
TypeOK == /\ BroadcastTypeOK
          /\ correct \in [Proc -> SUBSET Proc]
          /\ sentCount \in [Msgs -> Nat]

\* Nothing broadcast, nothing in transit, no crash seen.
Init == /\ BroadcastInit
        /\ correct = [p \in Proc |-> Proc]
        /\ sentCount = [m \in Msgs |-> 0]

\* The messages from s that p has delivered (Cachin et al.'s from[s]).
From(p, s) == {m \in Delivered(p) : m.src = s}

\* sentCount after n more packets carrying each m in ms.
Count(ms, n) == [m \in Msgs |-> IF m \in ms THEN sentCount[m] + n ELSE sentCount[m]]

\* p broadcasts its next message: it sends it to every process, itself included.
Broadcast(p) == /\ alive[p]
                /\ CanBroadcast(p)
                /\ broadcasts' = [broadcasts EXCEPT ![p] = @ + 1]
                /\ net' = net (+) ToAll(p, NextMsg(p))
                /\ sentCount' = Count({NextMsg(p)}, Cardinality(Proc))
                /\ UNCHANGED <<alive, delivered, correct>>

\* p receives m from q.  The first time, it delivers m, and relays it to every
\* other process if m's sender is known to have crashed; a copy received
\* later is dropped.
Receive(p, q, m) ==
  /\ alive[p]
  /\ InTransit(q, p, Data(m))
  /\ IF m \in Delivered(p)
       THEN /\ net' = Taken(q, p, Data(m))
            /\ UNCHANGED <<delivered, sentCount>>
       ELSE /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
            /\ IF m.src \in correct[p]
                 THEN /\ net' = Taken(q, p, Data(m))
                      /\ UNCHANGED sentCount
                 ELSE /\ net' = Taken(q, p, Data(m)) (+) Relay(p, m)
                      /\ sentCount' = Count({m}, Cardinality(Proc) - 1)
  /\ UNCHANGED <<alive, broadcasts, correct>>

\* What p relays when it learns that q crashed: every message from q that it
\* has delivered.  (A known-bug model overrides it.)
RelayOnCrash(p, q) == From(p, q)

\* The failure detector tells p that q has crashed: p relays every message
\* from q that it has delivered to every other process.
DetectCrash(p, q) == /\ alive[p]
                     /\ ~alive[q]
                     /\ q \in correct[p]
                     /\ correct' = [correct EXCEPT ![p] = @ \ {q}]
                     /\ net' = net (+) RelayAll(p, RelayOnCrash(p, q))
                     /\ sentCount' = Count(RelayOnCrash(p, q), Cardinality(Proc) - 1)
                     /\ UNCHANGED <<alive, broadcasts, delivered>>

\* p crashes.
Crash(p) == CrashStep(p) /\ UNCHANGED <<broadcasts, delivered, correct, sentCount>>

\* The link from crashed q to p loses m.
LoseInTransit(q, p, m) ==
  LossStep(q, p, m) /\ UNCHANGED <<alive, broadcasts, delivered, correct, sentCount>>

\* One step of one process, of the failure detector, or of a link.
Next == \/ \E p \in Proc : Broadcast(p) \/ Crash(p)
        \/ \E p, q \in Proc : DetectCrash(p, q)
        \/ \E p, q \in Proc, m \in Msgs : Receive(p, q, m) \/ LoseInTransit(q, p, m)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* With fairness: a live process eventually receives what is in transit to it,
\* and the failure detector eventually reports every crash to every live
\* process.  Broadcasts, crashes and losses are not fair.
FairSpec == /\ Spec
            /\ \A p \in Proc : WF_vars(\E q \in Proc, m \in Msgs : Receive(p, q, m))
            /\ \A p, q \in Proc : WF_vars(DetectCrash(p, q))

-----------------------------------------------------------------------------
(* Properties (the shared ones are Broadcast.tla's).                       *)

\* Nothing is left to do: no message is in transit to a live process, and
\* every crash has been reported to every live process.
Quiescent == /\ LinksQuiet
             /\ \A p \in Proc : alive[p] => correct[p] = {q \in Proc : alive[q]}

\* Validity, in every quiescent state.
ValidityInv == ValidityAt(Quiescent)

\* Agreement, in every quiescent state.
AgreementInv == AgreementAt(Quiescent)

\* Strong accuracy, as the failure detector guarantees it: no process is
\* reported crashed before it crashes.
AccuracyInv == \A p, q \in Proc : alive[p] /\ q \notin correct[p] => ~alive[q]

\* The lazy algorithm's cost: in a run with no crash, a broadcast costs one
\* message to each process, and nothing else is sent.
CrashFreeCostInv ==
  Crashed = {} => \A m \in Msgs :
                    sentCount[m] = IF m \in BroadcastBy(m.src) THEN Cardinality(Proc) ELSE 0
==============================================================================
