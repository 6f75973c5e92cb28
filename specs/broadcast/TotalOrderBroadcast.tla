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
(*             process is eventually received; none is created; messages   *)
(*             may be delayed and reordered.  msgs holds every message     *)
(*             ever sent: a Request goes to the sequencer, an Order from q *)
(*             stands for the copies q sent to every process in one step.  *)
(*             A process takes a copy only while its message is new to it, *)
(*             so a receipt need not remove it, and later copies are       *)
(*             dropped with no step.  A link promises nothing once its     *)
(*             sender has crashed: FairSpec does not make anyone receive   *)
(*             what a crashed process sent, so it may be lost.             *)
(*   Processes crash-stop: at most F processes crash, for any F, the       *)
(*             sequencer among them.  A crashed process takes no further   *)
(*             step; a process that never crashes is correct.              *)
(*   Timing    asynchronous.  Liveness assumes weak fairness of receipt    *)
(*             (from live senders), of sequencing and of delivery, at      *)
(*             every live process.                                         *)
(*                                                                         *)
(* Total order holds whatever crashes.  Validity needs a correct           *)
(* sequencer: once the sequencer has crashed, no new message is ordered    *)
(* (the fixed sequencer is a single point of failure; replacing it takes   *)
(* consensus, left out here).  Agreement holds regardless: whatever a      *)
(* correct process delivers, it has relayed.  A message is [src |-> p, sn  *)
(* |-> k], the k-th message p broadcasts; payloads are left out.           *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
  Proc,       \* the processes
  MaxBcast,   \* how many messages each process may broadcast
  F,          \* the most processes that may crash
  Sequencer   \* the process that orders the messages

ASSUME /\ MaxBcast \in Nat
       /\ F \in 0..Cardinality(Proc)
       /\ Sequencer \in Proc

VARIABLES
  lsn,          \* lsn[p]: how many messages p has broadcast
  sequenced,    \* the messages the sequencer has numbered, in number order
  rbDelivered,  \* rbDelivered[p]: the numbered messages reliable broadcast gave p
  pending,      \* pending[p]: the numbered messages p holds until their turn
  delivered,    \* delivered[p]: the messages p has delivered, in order
  msgs,         \* every message ever sent
  alive         \* alive[p]: FALSE once p has crashed

vars == <<lsn, sequenced, rbDelivered, pending, delivered, msgs, alive>>

\* A broadcast message: the sn-th message that process src broadcasts.  (A
\* model may narrow Msgs to keep TLC's search small.)
Msgs == [src : Proc, sn : 1..MaxBcast]

\* The sequence numbers the sequencer may give.
Seqs == 1..Cardinality(Msgs)

\* Message m with sequence number k.
Numbered(m, k) == [src |-> m.src, sn |-> m.sn, seq |-> k]

\* The message a numbered message carries.
Carried(o) == [src |-> o.src, sn |-> o.sn]

\* The Request with which m's sender asks the sequencer to order m.
Request(m) == [type |-> "Request", src |-> m.src, sn |-> m.sn]

\* The Order with which process q sends numbered message o to every process.
Order(q, o) == [type |-> "Order", from |-> q, src |-> o.src, sn |-> o.sn, seq |-> o.seq]

\* The elements of sequence s.
Range(s) == {s[i] : i \in DOMAIN s}

\* The messages p has delivered.
Delivered(p) == Range(delivered[p])

\* Type correctness.
TypeOK == /\ lsn \in [Proc -> 0..MaxBcast]
          /\ sequenced \in Seq(Msgs)
          /\ rbDelivered \in [Proc -> SUBSET {Numbered(m, k) : m \in Msgs, k \in Seqs}]
          /\ pending \in [Proc -> SUBSET {Numbered(m, k) : m \in Msgs, k \in Seqs}]
          /\ delivered \in [Proc -> Seq(Msgs)]
          /\ msgs \subseteq {Request(m) : m \in Msgs}
                            \cup {Order(q, Numbered(m, k)) : q \in Proc, m \in Msgs, k \in Seqs}
          /\ alive \in [Proc -> BOOLEAN]

\* Nothing broadcast, numbered or delivered.
Init == /\ lsn = [p \in Proc |-> 0]
        /\ sequenced = << >>
        /\ rbDelivered = [p \in Proc |-> {}]
        /\ pending = [p \in Proc |-> {}]
        /\ delivered = [p \in Proc |-> << >>]
        /\ msgs = {}
        /\ alive = [p \in Proc |-> TRUE]

-----------------------------------------------------------------------------
(* The sequencer, reliable broadcast (eager) of its order, and delivery.   *)

\* p broadcasts its next message: it asks the sequencer to order it.
Broadcast(p) ==
  LET m == [src |-> p, sn |-> lsn[p] + 1] IN
  /\ alive[p]
  /\ m \in Msgs
  /\ lsn' = [lsn EXCEPT ![p] = @ + 1]
  /\ msgs' = msgs \cup {Request(m)}
  /\ UNCHANGED <<sequenced, rbDelivered, pending, delivered, alive>>

\* The sequencer receives the Request for m, new to it: it gives m the next
\* sequence number and broadcasts it; reliable broadcast gives the numbered
\* message to the sequencer at once.
Sequence(m) ==
  LET o == Numbered(m, Len(sequenced) + 1) IN
  /\ alive[Sequencer]
  /\ Request(m) \in msgs
  /\ m \notin Range(sequenced)
  /\ sequenced' = Append(sequenced, m)
  /\ rbDelivered' = [rbDelivered EXCEPT ![Sequencer] = @ \cup {o}]
  /\ pending' = [pending EXCEPT ![Sequencer] = @ \cup {o}]
  /\ msgs' = msgs \cup {Order(Sequencer, o)}
  /\ UNCHANGED <<lsn, delivered, alive>>

\* p receives the Order for m from q, and it is new to p: reliable broadcast
\* gives the numbered message to p, and p relays it to every process.
Receive(p, q, m) ==
  /\ alive[p]
  /\ \E k \in Seqs :
       LET o == Numbered(m, k) IN
       /\ Order(q, o) \in msgs
       /\ o \notin rbDelivered[p]
       /\ rbDelivered' = [rbDelivered EXCEPT ![p] = @ \cup {o}]
       /\ pending' = [pending EXCEPT ![p] = @ \cup {o}]
       /\ msgs' = msgs \cup {Order(p, o)}
  /\ UNCHANGED <<lsn, sequenced, delivered, alive>>

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
  /\ UNCHANGED <<lsn, sequenced, rbDelivered, msgs, alive>>

\* p crashes, for good, unless F processes already have.
Crash(p) == /\ alive[p]
            /\ Cardinality({q \in Proc : ~alive[q]}) < F
            /\ alive' = [alive EXCEPT ![p] = FALSE]
            /\ UNCHANGED <<lsn, sequenced, rbDelivered, pending, delivered, msgs>>

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

\* No creation: a process delivers only messages that were broadcast.
NoCreationInv == \A p \in Proc : \A m \in Delivered(p) : m.sn <= lsn[m.src]

\* Total order: if processes p and q both deliver messages m1 and m2, and p
\* delivers m1 before m2, then q delivers m1 before m2.
TotalOrderInv ==
  \A p, q \in Proc : \A i, j \in DOMAIN delivered[p] : \A k, l \in DOMAIN delivered[q] :
    (i < j /\ delivered[p][i] = delivered[q][k] /\ delivered[p][j] = delivered[q][l]) => k < l

\* Stronger, and how the sequencer gets total order: every process delivers
\* a prefix of the sequencer's order.
SequencerOrderInv == \A p \in Proc : delivered[p] = SubSeq(sequenced, 1, Len(delivered[p]))

\* Validity: if a correct process p broadcasts m, and the sequencer is
\* correct, every correct process eventually delivers m.
ValidityProp == \A p, q \in Proc, m \in Msgs :
                  ([]alive[p] /\ []alive[q] /\ []alive[Sequencer]) =>
                    [](m.src = p /\ m.sn <= lsn[p] => <>(m \in Delivered(q)))

\* Agreement: if a correct process delivers m, every correct process
\* eventually delivers m.
AgreementProp == \A p, q \in Proc, m \in Msgs :
                   ([]alive[p] /\ []alive[q]) => [](m \in Delivered(p) => <>(m \in Delivered(q)))
==============================================================================
