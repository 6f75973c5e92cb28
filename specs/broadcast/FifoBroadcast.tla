---------------------------- MODULE FifoBroadcast ----------------------------
(***************************************************************************)
(* FIFO broadcast: reliable broadcast in which every process delivers the  *)
(* messages of one sender in the order that sender broadcast them.         *)
(*                                                                         *)
(* After Cachin, Guerraoui and Rodrigues, "Introduction to Reliable and    *)
(* Secure Distributed Programming" (2nd ed., 2011): Algorithm 3.12         *)
(* (Broadcast with Sequence Number) on the eager reliable broadcast of     *)
(* Algorithm 3.3. A process numbers its broadcasts 1, 2, ...; a receiver   *)
(* keeps what arrives early in pending and delivers the messages of each   *)
(* sender in sequence-number order.                                        *)
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
(* to |-> p, msg |-> Data(m)], one per destination, and Data(m) is         *)
(* [type |-> "Data", m |-> m], what the Java processes send.  Receive      *)
(* takes its packet out of net.  A copy of a message that p already has    *)
(* is dropped on arrival, with no step, as the Java process drops it: that *)
(* packet stays in net, where no step takes it and nothing depends on it.  *)
(*                                                                         *)
(* The reliable broadcast layer is eager: the first time a process         *)
(* receives a message, it relays it to every other process, so a message   *)
(* that a correct process delivers reaches every correct process even if   *)
(* its sender crashed mid-way.  A sender takes its own message at once and *)
(* sends it to every other process.  A message is [src |-> p, sn |-> k],   *)
(* the k-th message p broadcasts; payloads are left out, as they do not    *)
(* change what is delivered.  Left out too: garbage collection of what has *)
(* been delivered.                                                         *)
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
  rbDelivered,  \* rbDelivered[p]: the messages reliable broadcast gave p
  pending,      \* pending[p]: the messages p holds until their turn
  next          \* next[p][s]: the sequence number p delivers next from s

vars == <<alive, broadcasts, delivered, net, rbDelivered, pending, next>>

\* A broadcast message: the sn-th message that process src broadcasts.  (A
\* model may narrow Msgs to keep TLC's search small.)
Msgs == [src : Proc, sn : 1..MaxBcast]

\* The Data message that carries broadcast message m over a link.
Data(m) == [type |-> "Data", m |-> m]

\* What a link carries: message msg, in transit from process from to process to.
Packets == [from : Proc, to : Proc, msg : [type : {"Data"}, m : Msgs]]

\* The packet that carries message msg from q to p.
Packet(q, p, msg) == [from |-> q, to |-> p, msg |-> msg]

\* Message msg is in transit from q to p.
InTransit(q, p, msg) == BagIn(Packet(q, p, msg), net)

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
          /\ rbDelivered \in [Proc -> SUBSET Msgs]
          /\ pending \in [Proc -> SUBSET Msgs]
          /\ next \in [Proc -> [Proc -> 1..(MaxBcast + 1)]]

\* Nothing broadcast; every process expects message 1 of every sender.
Init == /\ alive = [p \in Proc |-> TRUE]
        /\ broadcasts = [p \in Proc |-> 0]
        /\ delivered = [p \in Proc |-> << >>]
        /\ net = EmptyBag
        /\ rbDelivered = [p \in Proc |-> {}]
        /\ pending = [p \in Proc |-> {}]
        /\ next = [p \in Proc |-> [s \in Proc |-> 1]]

-----------------------------------------------------------------------------
(* Reliable broadcast (eager), and FIFO order on top of it.                *)

\* p broadcasts its next message: it sends it to every other process, and
\* reliable broadcast gives it to p at once.
Broadcast(p) ==
  LET m == NextMsg(p) IN
  /\ alive[p]
  /\ m \in Msgs
  /\ broadcasts' = [broadcasts EXCEPT ![p] = @ + 1]
  /\ net' = net (+) ToOthers(p, Data(m))
  /\ rbDelivered' = [rbDelivered EXCEPT ![p] = @ \cup {m}]
  /\ pending' = [pending EXCEPT ![p] = @ \cup {m}]
  /\ UNCHANGED <<alive, delivered, next>>

\* p receives m from q, and m is new to p: reliable broadcast gives it to p,
\* and p relays it to every other process.
Receive(p, q, m) ==
  /\ alive[p]
  /\ InTransit(q, p, Data(m))
  /\ m \notin rbDelivered[p]
  /\ net' = Taken(q, p, Data(m)) (+) ToOthers(p, Data(m))
  /\ rbDelivered' = [rbDelivered EXCEPT ![p] = @ \cup {m}]
  /\ pending' = [pending EXCEPT ![p] = @ \cup {m}]
  /\ UNCHANGED <<alive, broadcasts, delivered, next>>

\* It is m's turn at p: p has delivered every earlier message of m's sender.
\* (A known-bug model overrides it.)
InTurn(p, m) == m.sn = next[p][m.src]

\* p delivers pending message m in its turn.
Deliver(p, m) ==
  /\ alive[p]
  /\ m \in pending[p]
  /\ InTurn(p, m)
  /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
  /\ pending' = [pending EXCEPT ![p] = @ \ {m}]
  /\ next' = [next EXCEPT ![p][m.src] = @ + 1]
  /\ UNCHANGED <<alive, broadcasts, net, rbDelivered>>

\* p crashes, for good, unless F processes already have.  Packets in transit
\* to p stay in net, where no step takes them.
Crash(p) == /\ alive[p]
            /\ Cardinality(Crashed) < F
            /\ alive' = [alive EXCEPT ![p] = FALSE]
            /\ UNCHANGED <<broadcasts, delivered, net, rbDelivered, pending, next>>

-----------------------------------------------------------------------------
\* One step of one process.
Next == \E p \in Proc : \/ Broadcast(p)
                        \/ \E q \in Proc, m \in Msgs : Receive(p, q, m)
                        \/ \E m \in Msgs : Deliver(p, m)
                        \/ Crash(p)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* With fairness: a live process eventually receives the packets that live
\* processes sent it, and delivers what is in turn.  Broadcasts and crashes
\* are not fair: a process may broadcast nothing, and may never crash.
FairSpec == /\ Spec
            /\ \A p \in Proc :
                 /\ WF_vars(\E q \in Proc, m \in Msgs : alive[q] /\ Receive(p, q, m))
                 /\ WF_vars(\E m \in Msgs : Deliver(p, m))

-----------------------------------------------------------------------------
(* Properties, after Cachin et al.'s reliable broadcast and FIFO-order     *)
(* reliable broadcast.                                                     *)

\* No duplication: no message is delivered more than once.
NoDuplicationInv == \A p \in Proc : \A i, j \in DOMAIN delivered[p] :
                      i # j => delivered[p][i] # delivered[p][j]

\* No creation: if a process delivers m with sender m.src, then m.src broadcast m.
NoCreationInv == \A p \in Proc : \A m \in Delivered(p) : m \in BroadcastBy(m.src)

\* FIFO delivery: if a process broadcasts m1 before m2, no process delivers
\* m2 unless it has already delivered m1.
FifoOrderInv ==
  \A p \in Proc : \A i \in DOMAIN delivered[p] :
    LET m2 == delivered[p][i] IN
    \A k \in 1 .. (m2.sn - 1) :
      [src |-> m2.src, sn |-> k] \in Range(SubSeq(delivered[p], 1, i - 1))

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
