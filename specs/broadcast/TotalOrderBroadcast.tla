------------------------- MODULE TotalOrderBroadcast -------------------------
(***************************************************************************)
(* Total-order broadcast with a fixed sequencer: reliable broadcast in     *)
(* which all processes deliver messages in the same order.  A process      *)
(* sends its message to the sequencer; the sequencer numbers the messages  *)
(* in the order it receives them and broadcasts each with its number;      *)
(* every process delivers in number order.                                 *)
(*                                                                         *)
(* After Defago, Schiper and Urban, "Total Order Broadcast and Multicast   *)
(* Algorithms: Taxonomy and Survey", ACM Computing Surveys 36(4), 2004     *)
(* (the fixed-sequencer class, in its unicast-broadcast variant), and the  *)
(* total-order broadcast abstraction of Cachin, Guerraoui and Rodrigues,   *)
(* "Introduction to Reliable and Secure Distributed Programming" (2nd ed., *)
(* 2011), chapter 6. The sequencer's numbered messages go out by eager     *)
(* reliable broadcast, so that processes agree on them even if it crashes  *)
(* mid-way.                                                                *)
(*                                                                         *)
(* System model                                                            *)
(*   Links     perfect: a message sent by a correct process to a correct   *)
(*             process is eventually received, at most once; none is       *)
(*             created; messages may be delayed and reordered.  A link     *)
(*             promises nothing once its sender has crashed: FairSpec      *)
(*             does not make anyone receive what a crashed process sent,   *)
(*             so it may be lost.  What is in transit to a crashed process *)
(*             is never received.                                          *)
(*   Processes crash-stop: at most F processes crash, for any F, the       *)
(*             sequencer among them.  A crashed process takes no further   *)
(*             step; a process that never crashes is correct.              *)
(*   Timing    asynchronous.  Liveness assumes weak fairness of receipt    *)
(*             (from live senders), of sequencing and of delivery, at      *)
(*             every live process.                                         *)
(*                                                                         *)
(* The network, as in Broadcast.tla: net is a bag of packets [from |-> q,  *)
(* to |-> p, msg |-> msg], one per destination, and msg is what the Java   *)
(* processes send: Request(m), [type |-> "Request", m |-> m], from m's     *)
(* sender to the sequencer, or Order(m, k), [type |-> "Order", m |-> m,    *)
(* seq |-> k].  The step that receives a packet takes it out of net.  A    *)
(* copy of an Order that p already has is dropped on arrival, with no      *)
(* step, as the Java process drops it: that packet stays in net, where no  *)
(* step takes it and nothing depends on it.                                *)
(*                                                                         *)
(* Total order holds whatever crashes.  Validity needs a correct           *)
(* sequencer: once the sequencer has crashed, no new message is ordered    *)
(* (the fixed sequencer is a single point of failure; replacing it takes   *)
(* consensus, left out here).  Agreement holds regardless: whatever a      *)
(* correct process delivers, it has relayed.  A message is [src |-> p, sn  *)
(* |-> k], the k-th message p broadcasts; payloads are left out.           *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, Bags

CONSTANTS
  Proc,       \* the processes
  MaxBcast,   \* how many messages each process may broadcast
  F,          \* the most processes that may crash
  Sequencer   \* the process that orders the messages

ASSUME ConstantsAssumption == /\ IsFiniteSet(Proc) /\ Proc # {}
                              /\ MaxBcast \in Nat
                              /\ F \in 0..Cardinality(Proc)

ASSUME SequencerAssumption == Sequencer \in Proc

VARIABLES
  alive,        \* alive[p]: FALSE once p has crashed
  broadcasts,   \* broadcasts[p]: how many messages p has broadcast
  delivered,    \* delivered[p]: the messages p has delivered, in order
  net,          \* the packets in transit: a bag of [from, to, msg]
  sequenced,    \* the messages the sequencer has numbered, in number order
  rbDelivered,  \* rbDelivered[p]: the numbered messages reliable broadcast gave p
  pending       \* pending[p]: the numbered messages p holds until their turn

vars == <<alive, broadcasts, delivered, net, sequenced, rbDelivered, pending>>

\* A broadcast message: the sn-th message that process src broadcasts.  (A
\* model may narrow Msgs to keep TLC's search small.)
Msgs == [src : Proc, sn : 1..MaxBcast]

\* The sequence numbers the sequencer may give.
Seqs == 1..Cardinality(Msgs)

\* Message m with sequence number k.
Numbered(m, k) == [src |-> m.src, sn |-> m.sn, seq |-> k]

\* The numbered messages.
NumberedMsgs == {Numbered(m, k) : m \in Msgs, k \in Seqs}

\* The message a numbered message carries.
Carried(o) == [src |-> o.src, sn |-> o.sn]

\* The Request with which m's sender asks the sequencer to order m.
Request(m) == [type |-> "Request", m |-> m]

\* The Order that carries message m, numbered k, over a link.
Order(m, k) == [type |-> "Order", m |-> m, seq |-> k]

\* What a link carries: message msg, in transit from process from to process to.
Packets == [from : Proc, to : Proc,
            msg : [type : {"Request"}, m : Msgs] \cup [type : {"Order"}, m : Msgs, seq : Seqs]]

\* The packet that carries message msg from q to p.
Packet(q, p, msg) == [from |-> q, to |-> p, msg |-> msg]

\* Message msg is in transit from q to p.
InTransit(q, p, msg) == BagIn(Packet(q, p, msg), net)

\* The packets with which p sends message msg to every other process.
ToOthers(p, msg) == SetToBag({Packet(p, q, msg) : q \in Proc \ {p}})

\* net with one copy of the packet carrying msg from q to p taken out.
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
          /\ sequenced \in Seq(Msgs)
          /\ rbDelivered \in [Proc -> SUBSET NumberedMsgs]
          /\ pending \in [Proc -> SUBSET NumberedMsgs]

\* Nothing broadcast, numbered or delivered.
Init == /\ alive = [p \in Proc |-> TRUE]
        /\ broadcasts = [p \in Proc |-> 0]
        /\ delivered = [p \in Proc |-> << >>]
        /\ net = EmptyBag
        /\ sequenced = << >>
        /\ rbDelivered = [p \in Proc |-> {}]
        /\ pending = [p \in Proc |-> {}]

-----------------------------------------------------------------------------
(* The sequencer, reliable broadcast (eager) of its order, and delivery.   *)

\* p broadcasts its next message: it asks the sequencer to order it.
Broadcast(p) ==
  LET m == NextMsg(p) IN
  /\ alive[p]
  /\ m \in Msgs
  /\ broadcasts' = [broadcasts EXCEPT ![p] = @ + 1]
  /\ net' = net (+) SetToBag({Packet(p, Sequencer, Request(m))})
  /\ UNCHANGED <<alive, delivered, sequenced, rbDelivered, pending>>

\* The sequencer receives the Request for m, new to it: it gives m the next
\* sequence number and sends the Order to every other process; reliable
\* broadcast gives the numbered message to the sequencer at once.
Sequence(m) ==
  LET k == Len(sequenced) + 1
      o == Numbered(m, k)
  IN /\ alive[Sequencer]
     /\ InTransit(m.src, Sequencer, Request(m))
     /\ m \notin Range(sequenced)
     /\ net' = Taken(m.src, Sequencer, Request(m)) (+) ToOthers(Sequencer, Order(m, k))
     /\ sequenced' = Append(sequenced, m)
     /\ rbDelivered' = [rbDelivered EXCEPT ![Sequencer] = @ \cup {o}]
     /\ pending' = [pending EXCEPT ![Sequencer] = @ \cup {o}]
     /\ UNCHANGED <<alive, broadcasts, delivered>>

\* p receives the Order for m from q, and it is new to p: reliable broadcast
\* gives the numbered message to p, and p relays it to every other process.
Receive(p, q, m) ==
  /\ alive[p]
  /\ \E k \in Seqs :
       /\ InTransit(q, p, Order(m, k))
       /\ Numbered(m, k) \notin rbDelivered[p]
       /\ net' = Taken(q, p, Order(m, k)) (+) ToOthers(p, Order(m, k))
       /\ rbDelivered' = [rbDelivered EXCEPT ![p] = @ \cup {Numbered(m, k)}]
       /\ pending' = [pending EXCEPT ![p] = @ \cup {Numbered(m, k)}]
  /\ UNCHANGED <<alive, broadcasts, delivered, sequenced>>

\* It is numbered message o's turn at p: p has delivered every message with
\* a smaller number.  (A known-bug model overrides it.)
InTurn(p, o) == o.seq = Len(delivered[p]) + 1

\* p delivers pending message m in its turn.
Deliver(p, m) ==
  /\ alive[p]
  /\ \E o \in pending[p] :
       /\ Carried(o) = m
       /\ InTurn(p, o)
       /\ pending' = [pending EXCEPT ![p] = @ \ {o}]
  /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
  /\ UNCHANGED <<alive, broadcasts, net, sequenced, rbDelivered>>

\* p crashes, for good, unless F processes already have.  Packets in transit
\* to p stay in net, where no step takes them.
Crash(p) == /\ alive[p]
            /\ Cardinality(Crashed) < F
            /\ alive' = [alive EXCEPT ![p] = FALSE]
            /\ UNCHANGED <<broadcasts, delivered, net, sequenced, rbDelivered, pending>>

-----------------------------------------------------------------------------
\* One step of one process.
Next == \/ \E m \in Msgs : Sequence(m)
        \/ \E p \in Proc : \/ Broadcast(p)
                           \/ \E q \in Proc, m \in Msgs : Receive(p, q, m)
                           \/ \E m \in Msgs : Deliver(p, m)
                           \/ Crash(p)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* With fairness: a live sequencer eventually orders what live processes
\* asked it to; a live process eventually receives the Orders that live
\* processes sent it, and delivers what is in turn.  Broadcasts and crashes
\* are not fair: a process may broadcast nothing, and may never crash.
FairSpec == /\ Spec
            /\ WF_vars(\E m \in Msgs : alive[m.src] /\ Sequence(m))
            /\ \A p \in Proc :
                 /\ WF_vars(\E q \in Proc, m \in Msgs : alive[q] /\ Receive(p, q, m))
                 /\ WF_vars(\E m \in Msgs : Deliver(p, m))

-----------------------------------------------------------------------------
(* Properties, after Cachin et al.'s reliable broadcast and total-order    *)
(* broadcast.                                                              *)

\* No duplication: no message is delivered more than once.
NoDuplicationInv == \A p \in Proc : \A i, j \in DOMAIN delivered[p] :
                      i # j => delivered[p][i] # delivered[p][j]

\* No creation: if a process delivers m with sender m.src, then m.src broadcast m.
NoCreationInv == \A p \in Proc : \A m \in Delivered(p) : m \in BroadcastBy(m.src)

\* Total order: if processes p and q both deliver messages m1 and m2, and p
\* delivers m1 before m2, then q delivers m1 before m2.
TotalOrderInv ==
  \A p, q \in Proc : \A i, j \in DOMAIN delivered[p] : \A k, l \in DOMAIN delivered[q] :
    (i < j /\ delivered[p][i] = delivered[q][k] /\ delivered[p][j] = delivered[q][l]) => k < l

\* Stronger, and how the sequencer gets total order: every process delivers
\* a prefix of the sequencer's order.
SequencerOrderInv == \A p \in Proc : delivered[p] = SubSeq(sequenced, 1, Len(delivered[p]))

\* Every live process has delivered m.
DeliveredByAllAlive(m) == \A q \in Proc : alive[q] => m \in Delivered(q)

\* Validity: if a correct process broadcasts m, and the sequencer is
\* correct, every correct process eventually delivers m.  (Once m.src has
\* broadcast m, eventually m.src or the sequencer has crashed, or every live
\* process has delivered m.)
ValidityProp == \A m \in Msgs :
                  m \in BroadcastBy(m.src) ~> (~alive[m.src] \/ ~alive[Sequencer] \/ DeliveredByAllAlive(m))

\* Agreement: if a correct process p delivers m, every correct process
\* eventually delivers m.
AgreementProp == \A p \in Proc, m \in Msgs :
                   m \in Delivered(p) ~> (~alive[p] \/ DeliveredByAllAlive(m))
==============================================================================
