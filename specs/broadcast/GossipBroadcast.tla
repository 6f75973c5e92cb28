--------------------------- MODULE GossipBroadcast ---------------------------
(***************************************************************************)
(* Gossip (epidemic) broadcast, push, "infect and die": a process that     *)
(* broadcasts a message, or receives one for the first time, delivers it   *)
(* and forwards it to Fanout processes chosen at random among the others;  *)
(* it never forwards that message again.  Copies that arrive later are     *)
(* dropped.                                                                *)
(*                                                                         *)
(* After Eugster, Guerraoui, Kermarrec and Massoulie, "Epidemic            *)
(* Information Dissemination in Distributed Systems", IEEE Computer 37(5), *)
(* 2004, and Kermarrec, Massoulie and Ganesh, "Probabilistic Reliable      *)
(* Dissemination in Large-Scale Systems", IEEE TPDS 14(3), 2003: with N    *)
(* processes and fanout ln N + c, every process delivers with probability  *)
(* about exp(-exp(-c)). The Eager Probabilistic Broadcast of Cachin,       *)
(* Guerraoui and Rodrigues, "Introduction to Reliable and Secure           *)
(* Distributed Programming" (2nd ed., 2011), Algorithm 3.9, is the variant *)
(* with rounds.                                                            *)
(*                                                                         *)
(* System model                                                            *)
(*   Links     fair-loss: a packet may be lost, duplicated, delayed and    *)
(*             reordered, and none is created.  Each message is sent once  *)
(*             on each link, so fair loss promises nothing about it.       *)
(*             LoseInTransit(q, p, m) loses a packet in transit, at any    *)
(*             time: when it is sent, or on its way (as across a           *)
(*             partition).  Duplication needs no step: a copy of a message *)
(*             that p has delivered is dropped on arrival, with no step,   *)
(*             so only one copy of a packet can ever be received, and the  *)
(*             spec's one packet stands for both.                          *)
(*   Processes crash-stop: at most F processes crash, for any F.  A        *)
(*             crashed process takes no further step; what is in transit   *)
(*             to it is never received.                                    *)
(*   Timing    asynchronous.                                               *)
(*                                                                         *)
(* The network, as in Broadcast.tla: net is a bag of packets [from |-> q,  *)
(* to |-> p, msg |-> Gossip(m)], one per target, and Gossip(m) is [type    *)
(* |-> "Gossip", m |-> m], what the Java processes send.  Receive takes    *)
(* its packet out of net, and so does LoseInTransit; a copy dropped on     *)
(* arrival stays in net, where no step but a loss takes it.                *)
(*                                                                         *)
(* Properties.  Safety only: no duplication and no creation.  Validity and *)
(* agreement do not hold: a lost packet, an unlucky choice of targets or a *)
(* crash can leave a process without the message.  How many processes a    *)
(* broadcast reaches is measured on the simulator, against the fanout      *)
(* (README.md), not proved.  The random choice of targets is left to the   *)
(* spec as a nondeterministic choice of any Fanout other processes.        *)
(* A message is [src |-> p, sn |-> k], the k-th message p broadcasts;      *)
(* payloads are left out.                                                  *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, Bags

CONSTANTS
  Proc,       \* the processes
  MaxBcast,   \* how many messages each process may broadcast
  F,          \* the most processes that may crash
  Fanout      \* to how many processes a process forwards a message

ASSUME ConstantsAssumption == /\ IsFiniteSet(Proc) /\ Proc # {}
                              /\ MaxBcast \in Nat
                              /\ F \in 0..Cardinality(Proc)

ASSUME FanoutAssumption == Fanout \in Nat \ {0}

VARIABLES
  alive,       \* alive[p]: FALSE once p has crashed
  broadcasts,  \* broadcasts[p]: how many messages p has broadcast
  delivered,   \* delivered[p]: the messages p has delivered, in order
  net,         \* the packets in transit: a bag of [from, to, msg]
  sentCount    \* sentCount[m]: how many packets carrying m were sent (history)

vars == <<alive, broadcasts, delivered, net, sentCount>>

\* A broadcast message: the sn-th message that process src broadcasts.  (A
\* model may narrow Msgs to keep TLC's search small.)
Msgs == [src : Proc, sn : 1..MaxBcast]

\* The Gossip message that carries broadcast message m over a link.
Gossip(m) == [type |-> "Gossip", m |-> m]

\* What a link carries: message msg, in transit from process from to process to.
Packets == [from : Proc, to : Proc, msg : [type : {"Gossip"}, m : Msgs]]

\* The packet that carries message msg from q to p.
Packet(q, p, msg) == [from |-> q, to |-> p, msg |-> msg]

\* Message msg is in transit from q to p.
InTransit(q, p, msg) == BagIn(Packet(q, p, msg), net)

\* net with one copy of the packet that carries msg from q to p taken out.
Taken(q, p, msg) == net (-) SetToBag({Packet(q, p, msg)})

\* How many processes a process forwards a message to: Fanout, or all the
\* others if there are no more.
FanoutOf == IF Fanout < Cardinality(Proc) - 1 THEN Fanout ELSE Cardinality(Proc) - 1

\* The sets of processes p may forward a message to: FanoutOf processes
\* other than p.
Targets(p) == {t \in SUBSET (Proc \ {p}) : Cardinality(t) = FanoutOf}

\* The packets with which p forwards m to the processes in t.
Forward(p, m, t) == SetToBag({Packet(p, q, Gossip(m)) : q \in t})

\* sentCount with n more packets carrying m.
Count(m, n) == [sentCount EXCEPT ![m] = @ + n]

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
          /\ sentCount \in [Msgs -> Nat]

\* Nothing broadcast, nothing sent.
Init == /\ alive = [p \in Proc |-> TRUE]
        /\ broadcasts = [p \in Proc |-> 0]
        /\ delivered = [p \in Proc |-> << >>]
        /\ net = EmptyBag
        /\ sentCount = [m \in Msgs |-> 0]

-----------------------------------------------------------------------------

\* p broadcasts its next message: it delivers it, and forwards it to the
\* processes in t.
Broadcast(p, t) ==
  LET m == NextMsg(p) IN
  /\ alive[p]
  /\ m \in Msgs
  /\ t \in Targets(p)
  /\ broadcasts' = [broadcasts EXCEPT ![p] = @ + 1]
  /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
  /\ net' = net (+) Forward(p, m, t)
  /\ sentCount' = Count(m, Cardinality(t))
  /\ UNCHANGED alive

\* m is new to p: p has not delivered it.  (A known-bug model overrides it.)
IsNew(p, m) == m \notin Delivered(p)

\* p receives m from q for the first time: it delivers m, and forwards it
\* to the processes in t.  (A copy of m that p receives later is dropped:
\* no step.)
Receive(p, q, m, t) ==
  /\ alive[p]
  /\ InTransit(q, p, Gossip(m))
  /\ IsNew(p, m)
  /\ t \in Targets(p)
  /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
  /\ net' = Taken(q, p, Gossip(m)) (+) Forward(p, m, t)
  /\ sentCount' = Count(m, Cardinality(t))
  /\ UNCHANGED <<alive, broadcasts>>

\* p crashes, for good, unless F processes already have.  Packets in transit
\* to p stay in net, where no step but a loss takes them.
Crash(p) == /\ alive[p]
            /\ Cardinality(Crashed) < F
            /\ alive' = [alive EXCEPT ![p] = FALSE]
            /\ UNCHANGED <<broadcasts, delivered, net, sentCount>>

\* The fair-loss link from q to p loses m.
LoseInTransit(q, p, m) == /\ InTransit(q, p, Gossip(m))
                          /\ net' = Taken(q, p, Gossip(m))
                          /\ UNCHANGED <<alive, broadcasts, delivered, sentCount>>

-----------------------------------------------------------------------------
\* One step of one process, or of a link.
Next == \/ \E p \in Proc : \/ \E t \in Targets(p) : Broadcast(p, t)
                           \/ \E q \in Proc, m \in Msgs, t \in Targets(p) : Receive(p, q, m, t)
                           \/ Crash(p)
        \/ \E p, q \in Proc, m \in Msgs : LoseInTransit(q, p, m)

\* Safety only: fair-loss links promise no delivery of a message sent once.
Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Properties.                                                             *)

\* No duplication: no message is delivered more than once.
NoDuplicationInv == \A p \in Proc : \A i, j \in DOMAIN delivered[p] :
                      i # j => delivered[p][i] # delivered[p][j]

\* No creation: if a process delivers m with sender m.src, then m.src broadcast m.
NoCreationInv == \A p \in Proc : \A m \in Delivered(p) : m \in BroadcastBy(m.src)

\* Infect and die: each process that has delivered m forwarded it once, to
\* FanoutOf processes, and no other packet ever carried m.
FanoutInv == \A m \in Msgs :
               sentCount[m] = FanoutOf * Cardinality({p \in Proc : m \in Delivered(p)})
==============================================================================
