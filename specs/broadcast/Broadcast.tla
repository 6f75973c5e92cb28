------------------------------ MODULE Broadcast ------------------------------
(***************************************************************************)
(* What the reliable broadcast family shares: the processes, the messages  *)
(* they broadcast, the perfect links between them, crash-stop failures,    *)
(* and the properties that tell one broadcast abstraction from another.    *)
(* BestEffortBroadcast, EagerReliableBroadcast, LazyReliableBroadcast and  *)
(* UniformReliableBroadcast each EXTEND this module with the variables and *)
(* actions of one algorithm.                                               *)
(*                                                                         *)
(* After Cachin, Guerraoui and Rodrigues, "Introduction to Reliable and    *)
(* Secure Distributed Programming" (2nd ed., 2011): perfect links (2.4.5), *)
(* and the broadcast abstractions and algorithms of sec. 3.2 to 3.4.       *)
(*                                                                         *)
(* System model (each algorithm's header says what it adds)                *)
(*   Links     perfect: a message sent by a correct process to a correct   *)
(*             process is eventually received (reliable delivery), at most *)
(*             once (no duplication), and only if it was sent (no          *)
(*             creation).  Messages may be delayed and reordered.  A link  *)
(*             promises nothing once its sender has crashed: messages the  *)
(*             sender still had in transit may be lost (LoseInTransit).    *)
(*             What is in transit to a crashed process is never received.  *)
(*             That is also all a crash in the middle of a broadcast can   *)
(*             leave behind: some processes get the message, others not.   *)
(*   Processes crash-stop: at most F processes crash, and a crashed        *)
(*             process takes no further step.  A process that never        *)
(*             crashes is correct.                                         *)
(*   Timing    asynchronous: no bound on message delays or relative speeds.*)
(*                                                                         *)
(* A broadcast message is [src |-> p, sn |-> k], the k-th message that p   *)
(* broadcasts: two broadcasts are never the same message, as the book      *)
(* assumes.  Payloads are left out: they do not change what is delivered.  *)
(* On the links it travels as Data(m), [type |-> "Data", m |-> m], Cachin  *)
(* et al.'s [DATA, m], field for field what the Java processes send.       *)
(*                                                                         *)
(* The network.  net is a bag of packets [from |-> q, to |-> p, msg |->    *)
(* Data(m)], one per destination: a broadcast to N processes puts N        *)
(* packets in net, so a send that skips a destination is visible.  The     *)
(* receiver's Receive takes its packet out, and LoseInTransit may; no      *)
(* other step does.  A bag, not a set: two copies of one packet are two    *)
(* packets.  FIFO, causal, total-order and gossip broadcast keep their     *)
(* network the same way, under the same name.                              *)
(*                                                                         *)
(* Properties.  Safety as invariants: no duplication, no creation.         *)
(* Validity and (uniform) agreement are liveness properties; TLC checks    *)
(* them under fairness (the *Prop operators), and, for models too large    *)
(* for liveness checking, in every quiescent state (the *At operators): a  *)
(* state where the algorithm has nothing left to do is where "eventually"  *)
(* has run out.                                                            *)
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
  alive,       \* alive[p]: FALSE once p has crashed
  broadcasts,  \* broadcasts[p]: how many messages p has broadcast
  delivered,   \* delivered[p]: the messages p has delivered, in order
  net          \* the packets in transit: a bag of [from, to, msg]

\* A broadcast message: the sn-th message that process src broadcasts.
Msgs == [src : Proc, sn : 1..MaxBcast]

\* The Data message that carries broadcast message m over a link.
Data(m) == [type |-> "Data", m |-> m]

\* What a link carries: message msg, in transit from process from to process to.
Packets == [from : Proc, to : Proc, msg : [type : {"Data"}, m : Msgs]]

\* The packet that carries message msg from q to p.
Packet(q, p, msg) == [from |-> q, to |-> p, msg |-> msg]

\* Type correctness of the shared variables.
BroadcastTypeOK == /\ alive \in [Proc -> BOOLEAN]
                   /\ broadcasts \in [Proc -> 0..MaxBcast]
                   /\ delivered \in [Proc -> Seq(Msgs)]
                   /\ IsABag(net) /\ BagToSet(net) \subseteq Packets

\* No process has crashed, broadcast or delivered anything; no message is in transit.
BroadcastInit == /\ alive = [p \in Proc |-> TRUE]
                 /\ broadcasts = [p \in Proc |-> 0]
                 /\ delivered = [p \in Proc |-> <<>>]
                 /\ net = EmptyBag

-----------------------------------------------------------------------------
(* Definitions the algorithms use.                                         *)

\* The elements of sequence s.
Range(s) == {s[i] : i \in DOMAIN s}

\* The messages p has delivered.
Delivered(p) == Range(delivered[p])

\* The messages p has broadcast.
BroadcastBy(p) == {m \in Msgs : m.src = p /\ m.sn <= broadcasts[p]}

\* The message p broadcasts next.
NextMsg(p) == [src |-> p, sn |-> broadcasts[p] + 1]

\* p may broadcast again.  (A model may narrow Msgs to keep TLC's search small.)
CanBroadcast(p) == NextMsg(p) \in Msgs

\* The processes that have crashed.
Crashed == {p \in Proc : ~alive[p]}

\* Message msg is in transit from q to p.
InTransit(q, p, msg) == BagIn(Packet(q, p, msg), net)

\* The packets of a best-effort broadcast of m by p: one to each process, p included.
ToAll(p, m) == SetToBag({Packet(p, q, Data(m)) : q \in Proc})

\* The packets of a relay of m by p: one to each other process.  (Relaying by
\* best-effort broadcast, as Cachin et al. write it, also sends p a copy of
\* what it already has: a copy dropped on arrival, left out here.)
Relay(p, m) == SetToBag({Packet(p, q, Data(m)) : q \in Proc \ {p}})

\* The packets of a relay of every message in ms by p.
RelayAll(p, ms) == SetToBag({Packet(p, q, Data(m)) : q \in Proc \ {p}, m \in ms})

\* net with one copy of the packet that carries msg from q to p taken out.
Taken(q, p, msg) == net (-) SetToBag({Packet(q, p, msg)})

-----------------------------------------------------------------------------
(* Failures, as every algorithm has them: a crash changes alive only, a    *)
(* loss net only, and each algorithm's Crash(p) and LoseInTransit(q, p, m) *)
(* keep the rest of its variables unchanged.                               *)

\* p crashes, unless F processes already have.  Packets in transit to p stay
\* in net, where no step takes them; those it sent stay too, and may be lost.
CrashStep(p) == /\ alive[p]
                /\ Cardinality(Crashed) < F
                /\ alive' = [alive EXCEPT ![p] = FALSE]
                /\ UNCHANGED net

\* The link from q to p loses m: only once q has crashed.
LossStep(q, p, m) == /\ ~alive[q]
                     /\ InTransit(q, p, Data(m))
                     /\ net' = Taken(q, p, Data(m))

-----------------------------------------------------------------------------
(* Properties, after Cachin et al., modules 3.1 to 3.3.                    *)

\* No duplication: no message is delivered more than once.
NoDuplicationInv == \A p \in Proc : \A i, j \in DOMAIN delivered[p] :
                      i # j => delivered[p][i] # delivered[p][j]

\* No creation: if a process delivers m with sender m.src, then m.src broadcast m.
NoCreationInv == \A p \in Proc : \A m \in Delivered(p) : m \in BroadcastBy(m.src)

\* The links are quiet: no message is in transit to a live process.
LinksQuiet == \A k \in BagToSet(net) : ~alive[k.to]

\* Validity where nothing is left to do (quiet): every message that a live
\* process broadcast has been delivered by every live process.
ValidityAt(quiet) ==
  quiet => \A p, q \in Proc : alive[p] /\ alive[q] => BroadcastBy(p) \subseteq Delivered(q)

\* Agreement where nothing is left to do: every message that a live process
\* delivered has been delivered by every live process.
AgreementAt(quiet) ==
  quiet => \A p, q \in Proc : alive[p] /\ alive[q] => Delivered(p) \subseteq Delivered(q)

\* Uniform agreement where nothing is left to do: every message that any
\* process delivered, crashed or not, has been delivered by every live process.
UniformAgreementAt(quiet) ==
  quiet => \A p, q \in Proc : alive[q] => Delivered(p) \subseteq Delivered(q)

\* Every live process has delivered m.
DeliveredByAllAlive(m) == \A q \in Proc : alive[q] => m \in Delivered(q)

\* Validity: if a correct process broadcasts m, every correct process
\* eventually delivers m.  (Once m.src has broadcast m, eventually m.src has
\* crashed or every live process has delivered m: crashes are for good, and
\* a process that never crashes is live in that state.  Only m.src broadcasts
\* m, so one leads-to per message says it.)
ValidityProp == \A m \in Msgs :
                  m \in BroadcastBy(m.src) ~> (~alive[m.src] \/ DeliveredByAllAlive(m))

\* Agreement: if a correct process p delivers m, every correct process
\* eventually delivers m.
AgreementProp == \A p \in Proc, m \in Msgs :
                   m \in Delivered(p) ~> (~alive[p] \/ DeliveredByAllAlive(m))

\* Uniform agreement: if any process p delivers m, correct or not, every
\* correct process eventually delivers m.
UniformAgreementProp == \A p \in Proc, m \in Msgs :
                          m \in Delivered(p) ~> DeliveredByAllAlive(m)
==============================================================================
