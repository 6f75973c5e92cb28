--------------------------- MODULE CausalBroadcast ---------------------------
(***************************************************************************)
(* Causal broadcast with vector clocks: reliable broadcast in which no     *)
(* process delivers a message before every message that causally precedes  *)
(* it.  m1 causally precedes m2 when the sender of m2 had delivered m1     *)
(* (or broadcast it) before it broadcast m2, or through a chain of such    *)
(* steps.                                                                  *)
(*                                                                         *)
(* After Birman, Schiper and Stephenson, "Lightweight Causal and Atomic    *)
(* Group Multicast", ACM TOCS 9(3), 1991 (the vector-time causal           *)
(* multicast, CBCAST), and the Waiting Causal Broadcast of Cachin,         *)
(* Guerraoui and Rodrigues, "Introduction to Reliable and Secure           *)
(* Distributed Programming" (2nd ed., 2011), Algorithm 3.15. Each process  *)
(* keeps a vector clock: vc[p][s] counts the messages of s that p has      *)
(* delivered. A broadcast stamps the message with the sender's clock, its  *)
(* own entry counted up; a receiver holds the message until it is the next *)
(* message of its sender and every message its stamp counts from the other *)
(* processes has been delivered.                                           *)
(*                                                                         *)
(* System model                                                            *)
(*   Links     perfect: a message sent by a correct process to a correct   *)
(*             process is eventually received, at most once; none is       *)
(*             created; messages may be delayed and reordered.  A link     *)
(*             promises nothing once its sender has crashed: FairSpec      *)
(*             does not make anyone receive what a crashed process sent,   *)
(*             so it may be lost.  What is in transit to a crashed process *)
(*             is never received.                                          *)
(*   Processes crash-stop: at most F processes crash, for any F (the       *)
(*             algorithm needs no majority and no failure detector).  A    *)
(*             crashed process takes no further step; a process that never *)
(*             crashes is correct.                                         *)
(*   Timing    asynchronous.  Liveness assumes weak fairness of receipt    *)
(*             (of packets from live processes) and of delivery, at every  *)
(*             live process.                                               *)
(*                                                                         *)
(* The network, as in Broadcast.tla: net is a bag of packets [from |-> q,  *)
(* to |-> p, msg |-> Data(m, vt)], one per destination, and Data(m, vt) is *)
(* [type |-> "Data", m |-> m, vt |-> vt], what the Java processes send.    *)
(* Receive takes its packet out of net.  A copy of a message that p        *)
(* already has is dropped on arrival, with no step, as the Java process    *)
(* drops it: that packet stays in net, where no step takes it and nothing  *)
(* depends on it.                                                          *)
(*                                                                         *)
(* The reliable broadcast layer is eager: the first time a process         *)
(* receives a message, it relays it, stamp and all, to every other         *)
(* process.  A sender delivers its own message as it broadcasts it, so     *)
(* vc[p][p] = broadcasts[p].  A message is [src |-> p, sn |-> k], the k-th *)
(* message p broadcasts; its stamp vt has vt[p] = k.  Payloads are left    *)
(* out, and so is garbage collection.                                      *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, Bags

CONSTANTS
  Proc,       \* the processes
  MaxBcast,   \* how many messages each process may broadcast
  F           \* the most processes that may crash

ASSUME ConstantsAssumption == /\ IsFiniteSet(Proc) /\ Proc # {}
                              /\ MaxBcast \in Nat
                              /\ F \in 0..Cardinality(Proc)

VARIABLES
  alive,        \* alive[p]: FALSE once p has crashed
  broadcasts,   \* broadcasts[p]: how many messages p has broadcast
  delivered,    \* delivered[p]: the messages p has delivered, in order
  net,          \* the packets in transit: a bag of [from, to, msg]
  vc,           \* vc[p][s]: how many messages of s p has delivered
  rbDelivered,  \* rbDelivered[p]: the messages reliable broadcast gave p
  pending       \* pending[p]: the stamped messages p holds until they are ready

vars == <<alive, broadcasts, delivered, net, vc, rbDelivered, pending>>

\* A broadcast message: the sn-th message that process src broadcasts.  (A
\* model may narrow Msgs to keep TLC's search small.)
Msgs == [src : Proc, sn : 1..MaxBcast]

\* Vector times.
VTimes == [Proc -> 0..MaxBcast]

\* A message with its vector-time stamp.
Stamped(m, vt) == [src |-> m.src, sn |-> m.sn, vt |-> vt]

\* The stamped messages.
StampedMsgs == {s \in [src : Proc, sn : 1..MaxBcast, vt : VTimes] : [src |-> s.src, sn |-> s.sn] \in Msgs}

\* The Data message that carries broadcast message m, stamped vt, over a link.
Data(m, vt) == [type |-> "Data", m |-> m, vt |-> vt]

\* What a link carries: message msg, in transit from process from to process to.
Packets == [from : Proc, to : Proc, msg : [type : {"Data"}, m : Msgs, vt : VTimes]]

\* The packet that carries message msg from q to p.
Packet(q, p, msg) == [from |-> q, to |-> p, msg |-> msg]

\* The packets with which p sends message msg to every other process.
ToOthers(p, msg) == SetToBag({Packet(p, q, msg) : q \in Proc \ {p}})

\* net with one copy of the packet that carries msg from q to p taken out.
Taken(q, p, msg) == net (-) SetToBag({Packet(q, p, msg)})

\* The elements of sequence s.
Range(s) == {s[i] : i \in DOMAIN s}

\* The messages p has delivered.
Delivered(p) == Range(delivered[p])

\* The messages p has broadcast.
BroadcastBy(p) == {m \in Msgs : m.src = p /\ m.sn <= broadcasts[p]}

\* The message p broadcasts next.
NextMsg(p) == [src |-> p, sn |-> broadcasts[p] + 1]

\* The processes that have crashed.
Crashed == {p \in Proc : ~alive[p]}

\* Type correctness.
TypeOK == /\ alive \in [Proc -> BOOLEAN]
          /\ broadcasts \in [Proc -> 0..MaxBcast]
          /\ delivered \in [Proc -> Seq(Msgs)]
          /\ IsABag(net) /\ BagToSet(net) \subseteq Packets
          /\ vc \in [Proc -> VTimes]
          /\ rbDelivered \in [Proc -> SUBSET Msgs]
          /\ pending \in [Proc -> SUBSET StampedMsgs]

\* Nothing broadcast or delivered: every clock is zero.
Init == /\ alive = [p \in Proc |-> TRUE]
        /\ broadcasts = [p \in Proc |-> 0]
        /\ delivered = [p \in Proc |-> << >>]
        /\ net = EmptyBag
        /\ vc = [p \in Proc |-> [s \in Proc |-> 0]]
        /\ rbDelivered = [p \in Proc |-> {}]
        /\ pending = [p \in Proc |-> {}]

-----------------------------------------------------------------------------
(* Reliable broadcast (eager), and causal order on top of it.              *)

\* p broadcasts its next message, stamped with its clock with p's own entry
\* counted up: it sends it to every other process and delivers it at once.
Broadcast(p) ==
  LET m  == NextMsg(p)
      vt == [vc[p] EXCEPT ![p] = @ + 1]
  IN /\ alive[p]
     /\ m \in Msgs
     /\ broadcasts' = [broadcasts EXCEPT ![p] = @ + 1]
     /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
     /\ net' = net (+) ToOthers(p, Data(m, vt))
     /\ vc' = [vc EXCEPT ![p] = vt]
     /\ rbDelivered' = [rbDelivered EXCEPT ![p] = @ \cup {m}]
     /\ UNCHANGED <<alive, pending>>

\* p receives m from q, and m is new to p: reliable broadcast gives it to p
\* with its stamp, and p relays it, stamp and all, to every other process.
Receive(p, q, m) ==
  /\ alive[p]
  /\ m \notin rbDelivered[p]
  /\ \E k \in BagToSet(net) :
       /\ k.from = q /\ k.to = p /\ k.msg.m = m
       /\ net' = Taken(q, p, k.msg) (+) ToOthers(p, k.msg)
       /\ rbDelivered' = [rbDelivered EXCEPT ![p] = @ \cup {m}]
       /\ pending' = [pending EXCEPT ![p] = @ \cup {Stamped(m, k.msg.vt)}]
  /\ UNCHANGED <<alive, broadcasts, delivered, vc>>

\* Stamped message s is ready at p: it is the next message of its sender,
\* and p has delivered every message that s's sender had delivered from the
\* other processes when it broadcast s.  (A known-bug model overrides it.)
Ready(p, s) == /\ s.vt[s.src] = vc[p][s.src] + 1
               /\ \A k \in Proc \ {s.src} : s.vt[k] <= vc[p][k]

\* p delivers pending message m, which is ready, and counts it in its clock.
Deliver(p, m) ==
  /\ alive[p]
  /\ \E s \in pending[p] :
       /\ s.src = m.src /\ s.sn = m.sn
       /\ Ready(p, s)
       /\ pending' = [pending EXCEPT ![p] = @ \ {s}]
  /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
  /\ vc' = [vc EXCEPT ![p][m.src] = @ + 1]
  /\ UNCHANGED <<alive, broadcasts, net, rbDelivered>>

\* p crashes, for good, unless F processes already have.  Packets in transit
\* to p stay in net, where no step takes them.
Crash(p) == /\ alive[p]
            /\ Cardinality(Crashed) < F
            /\ alive' = [alive EXCEPT ![p] = FALSE]
            /\ UNCHANGED <<broadcasts, delivered, net, vc, rbDelivered, pending>>

-----------------------------------------------------------------------------
\* One step of one process.
Next == \E p \in Proc : \/ Broadcast(p)
                        \/ \E q \in Proc, m \in Msgs : Receive(p, q, m)
                        \/ \E m \in Msgs : Deliver(p, m)
                        \/ Crash(p)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* With fairness: a live process eventually receives the packets that live
\* processes sent it, and delivers what is ready.  Broadcasts and crashes
\* are not fair: a process may broadcast nothing, and may never crash.
FairSpec == /\ Spec
            /\ \A p \in Proc :
                 /\ WF_vars(\E q \in Proc, m \in Msgs : alive[q] /\ Receive(p, q, m))
                 /\ WF_vars(\E m \in Msgs : Deliver(p, m))

-----------------------------------------------------------------------------
(* Properties, after Cachin et al.'s reliable broadcast and causal-order   *)
(* reliable broadcast.                                                     *)

\* The messages that m's sender had delivered when it broadcast m: those
\* before m in its delivery sequence, since it delivered m as it broadcast it.
\* Its own earlier messages are among them.
CausalPast(m) == LET d == delivered[m.src] IN
                 {d[i] : i \in {j \in DOMAIN d : \E k \in DOMAIN d : j < k /\ d[k] = m}}

\* No duplication: no message is delivered more than once.
NoDuplicationInv == \A p \in Proc : \A i, j \in DOMAIN delivered[p] :
                      i # j => delivered[p][i] # delivered[p][j]

\* No creation: if a process delivers m with sender m.src, then m.src broadcast m.
NoCreationInv == \A p \in Proc : \A m \in Delivered(p) : m \in BroadcastBy(m.src)

\* Causal delivery: no process delivers a message before every message that
\* causally precedes it.  It is enough to ask it of each message's direct
\* causal past: applied to every message in turn, that covers the chains.
CausalOrderInv ==
  \A p \in Proc : \A i \in DOMAIN delivered[p] :
    CausalPast(delivered[p][i]) \subseteq Range(SubSeq(delivered[p], 1, i - 1))

\* Every live process has delivered m.
DeliveredByAllAlive(m) == \A q \in Proc : alive[q] => m \in Delivered(q)

\* Validity: if a correct process broadcasts m, every correct process
\* eventually delivers m.  (As in Broadcast.tla: once m.src has broadcast m,
\* eventually m.src has crashed or every live process has delivered m.)
ValidityProp == \A m \in Msgs :
                  m \in BroadcastBy(m.src) ~> (~alive[m.src] \/ DeliveredByAllAlive(m))

\* Agreement: if a correct process p delivers m, every correct process
\* eventually delivers m.
AgreementProp == \A p \in Proc, m \in Msgs :
                   m \in Delivered(p) ~> (~alive[p] \/ DeliveredByAllAlive(m))
==============================================================================
