----------------------- MODULE UniformReliableBroadcast -----------------------
(***************************************************************************)
(* Majority-ack uniform reliable broadcast: a process relays a message the *)
(* first time it receives it, as in eager reliable broadcast, but delivers *)
(* it only once a majority of the processes are known to have it: each     *)
(* copy received from q tells p that q has relayed the message (q "acks"   *)
(* it).  A process that delivers has thus heard from a majority; with      *)
(* fewer than half the processes faulty, one of them is correct and its    *)
(* relay reaches every correct process, which then hears from every        *)
(* correct process, a majority, and delivers too.  So even a process that  *)
(* delivers and crashes at once cannot deliver alone: uniform agreement.   *)
(*                                                                         *)
(* After Cachin, Guerraoui and Rodrigues, "Introduction to Reliable and    *)
(* Secure Distributed Programming" (2011), module 3.3 and algorithm 3.5    *)
(* (Majority-Ack Uniform Reliable Broadcast).                              *)
(*                                                                         *)
(* System model: Broadcast.tla's, with fewer than half the processes       *)
(* faulty (FaultBound).  Perfect links, which promise nothing once the     *)
(* sender has crashed; crash-stop processes, at most F crashes, 2F < N;    *)
(* no failure detector (fail-silent); asynchronous.                        *)
(*                                                                         *)
(* Guarantees: validity, no duplication, no creation, uniform agreement    *)
(* (which implies agreement).  The model                                   *)
(* MCUniformReliableBroadcastEarlyDelivery lets a process deliver before a *)
(* majority has acknowledged, and TLC shows uniform agreement fail.        *)
(*                                                                         *)
(* Relays.  A process relays to every other process (see                   *)
(* EagerReliableBroadcast.tla); it counts itself among those that have the *)
(* message when it relays, as the copy to itself would have told it.  The  *)
(* sender sends its message to every process, itself included, and counts  *)
(* itself when that copy arrives.                                          *)
(***************************************************************************)
EXTENDS Broadcast

\* Fewer than half the processes may crash: any two majorities intersect in
\* a process, and the correct processes form a majority.
ASSUME FaultBound == 2 * F < Cardinality(Proc)

VARIABLES
  pending,    \* pending[p]: the messages p has relayed (or broadcast), delivered or not
  ack         \* ack[p][m]: the processes p knows to have m

vars == <<alive, broadcasts, delivered, net, pending, ack>>

\* Type correctness.
TypeOK == /\ BroadcastTypeOK
          /\ pending \in [Proc -> SUBSET Msgs]
          /\ ack \in [Proc -> [Msgs -> SUBSET Proc]]

\* Nothing broadcast, nothing in transit, nothing acknowledged.
Init == /\ BroadcastInit
        /\ pending = [p \in Proc |-> {}]
        /\ ack = [p \in Proc |-> [m \in Msgs |-> {}]]

\* p may deliver m: a majority of the processes have it.  (A known-bug model
\* overrides it.)
CanDeliver(p, m) == 2 * Cardinality(ack[p][m]) > Cardinality(Proc)

\* p broadcasts its next message: it sends it to every process, itself
\* included, and keeps it pending until a majority has it.
Broadcast(p) == /\ alive[p]
                /\ CanBroadcast(p)
                /\ broadcasts' = [broadcasts EXCEPT ![p] = @ + 1]
                /\ pending' = [pending EXCEPT ![p] = @ \cup {NextMsg(p)}]
                /\ net' = net (+) ToAll(p, NextMsg(p))
                /\ UNCHANGED <<alive, delivered, ack>>

\* p receives m from q, and learns that q has m.  The first time p sees m, it
\* relays m to every other process, and it has m too.
Receive(p, q, m) ==
  /\ alive[p]
  /\ InTransit(q, p, Data(m))
  /\ IF m \in pending[p]
       THEN /\ ack' = [ack EXCEPT ![p][m] = @ \cup {q}]
            /\ net' = Taken(q, p, Data(m))
            /\ UNCHANGED pending
       ELSE /\ ack' = [ack EXCEPT ![p][m] = @ \cup {q, p}]
            /\ pending' = [pending EXCEPT ![p] = @ \cup {m}]
            /\ net' = Taken(q, p, Data(m)) (+) Relay(p, m)
  /\ UNCHANGED <<alive, broadcasts, delivered>>

\* p delivers a pending message once a majority has it.
Deliver(p, m) == /\ alive[p]
                 /\ m \in pending[p]
                 /\ m \notin Delivered(p)
                 /\ CanDeliver(p, m)
                 /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
                 /\ UNCHANGED <<alive, broadcasts, net, pending, ack>>

\* p crashes.
Crash(p) == CrashStep(p) /\ UNCHANGED <<broadcasts, delivered, pending, ack>>

\* The link from crashed q to p loses m.
LoseInTransit(q, p, m) ==
  LossStep(q, p, m) /\ UNCHANGED <<alive, broadcasts, delivered, pending, ack>>

\* One step of one process, or of a link.
Next == \/ \E p \in Proc : Broadcast(p) \/ Crash(p)
        \/ \E p \in Proc, m \in Msgs : Deliver(p, m)
        \/ \E p, q \in Proc, m \in Msgs : Receive(p, q, m) \/ LoseInTransit(q, p, m)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* With fairness: a live process eventually receives what is in transit to it,
\* and eventually delivers what it may.  Broadcasts, crashes and losses are
\* not fair.
FairSpec == /\ Spec
            /\ \A p \in Proc : /\ WF_vars(\E q \in Proc, m \in Msgs : Receive(p, q, m))
                               /\ WF_vars(\E m \in Msgs : Deliver(p, m))

-----------------------------------------------------------------------------
(* Properties (the shared ones are Broadcast.tla's).                       *)

\* Nothing is left to do: no message is in transit to a live process, and no
\* live process may deliver a message it has not.
Quiescent == /\ LinksQuiet
             /\ \A p \in Proc : alive[p] => \A m \in pending[p] :
                                  m \in Delivered(p) \/ ~CanDeliver(p, m)

\* Validity, in every quiescent state.
ValidityInv == ValidityAt(Quiescent)

\* Uniform agreement, in every quiescent state.
UniformAgreementInv == UniformAgreementAt(Quiescent)

==============================================================================
