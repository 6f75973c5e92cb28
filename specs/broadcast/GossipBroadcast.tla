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
(*   Links     fair-loss: a message may be lost, duplicated, delayed and   *)
(*             reordered, and is never created.  Each message is sent      *)
(*             once, so fair loss promises nothing about it.  msgs holds   *)
(*             every packet ever sent; a copy of a packet may be received  *)
(*             any number of times, or never.                              *)
(*   Processes crash-stop: at most F processes crash, for any F.  A        *)
(*             crashed process takes no further step.                      *)
(*   Timing    asynchronous.                                               *)
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
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
  Proc,       \* the processes
  MaxBcast,   \* how many messages each process may broadcast
  F,          \* the most processes that may crash
  Fanout      \* to how many processes a process forwards a message

ASSUME /\ MaxBcast \in Nat
       /\ F \in 0..Cardinality(Proc)
       /\ Fanout \in Nat \ {0}

VARIABLES
  lsn,        \* lsn[p]: how many messages p has broadcast
  delivered,  \* delivered[p]: the messages p has delivered, in order
  msgs,       \* every packet ever sent
  alive       \* alive[p]: FALSE once p has crashed

vars == <<lsn, delivered, msgs, alive>>

\* A broadcast message: the sn-th message that process src broadcasts.  (A
\* model may narrow Msgs to keep TLC's search small.)
Msgs == [src : Proc, sn : 1..MaxBcast]

\* The Gossip message that carries m.
Gossip(m) == [type |-> "Gossip", src |-> m.src, sn |-> m.sn]

\* The packet with which process q sends m to process p.
Packet(q, p, m) == [from |-> q, to |-> p, msg |-> Gossip(m)]

\* The sets of processes p may forward a message to: Fanout processes other
\* than p (all of them, if there are no more).
Targets(p) == LET others == Proc \ {p}
                  k == IF Fanout < Cardinality(others) THEN Fanout ELSE Cardinality(others)
              IN {t \in SUBSET others : Cardinality(t) = k}

\* The packets with which p forwards m to the processes in t.
Forward(p, m, t) == {Packet(p, q, m) : q \in t}

\* The elements of sequence s.
Range(s) == {s[i] : i \in DOMAIN s}

\* The messages p has delivered.
Delivered(p) == Range(delivered[p])

\* Type correctness.
TypeOK == /\ lsn \in [Proc -> 0..MaxBcast]
          /\ delivered \in [Proc -> Seq(Msgs)]
          /\ msgs \subseteq {Packet(q, p, m) : q, p \in Proc, m \in Msgs}
          /\ alive \in [Proc -> BOOLEAN]

\* Nothing broadcast, nothing sent.
Init == /\ lsn = [p \in Proc |-> 0]
        /\ delivered = [p \in Proc |-> << >>]
        /\ msgs = {}
        /\ alive = [p \in Proc |-> TRUE]

-----------------------------------------------------------------------------

\* p broadcasts its next message: it delivers it, and forwards it to the
\* processes in t.
Broadcast(p, t) ==
  LET m == [src |-> p, sn |-> lsn[p] + 1] IN
  /\ alive[p]
  /\ m \in Msgs
  /\ t \in Targets(p)
  /\ lsn' = [lsn EXCEPT ![p] = @ + 1]
  /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
  /\ msgs' = msgs \cup Forward(p, m, t)
  /\ UNCHANGED alive

\* m is new to p: p has not delivered it.  (A known-bug model overrides it.)
IsNew(p, m) == m \notin Delivered(p)

\* p receives m from q for the first time: it delivers m, and forwards it
\* to the processes in t.  (A copy of m that p receives later is dropped:
\* no step.)
Receive(p, q, m, t) ==
  /\ alive[p]
  /\ Packet(q, p, m) \in msgs
  /\ IsNew(p, m)
  /\ t \in Targets(p)
  /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
  /\ msgs' = msgs \cup Forward(p, m, t)
  /\ UNCHANGED <<lsn, alive>>

\* p crashes, for good, unless F processes already have.
Crash(p) == /\ alive[p]
            /\ Cardinality({q \in Proc : ~alive[q]}) < F
            /\ alive' = [alive EXCEPT ![p] = FALSE]
            /\ UNCHANGED <<lsn, delivered, msgs>>

-----------------------------------------------------------------------------
\* One step of one process.  The links need no step of their own: a packet
\* that is never received is lost, one received later is late, and the
\* packets of msgs may be received in any order.
Next == \E p \in Proc : \/ \E t \in Targets(p) : Broadcast(p, t)
                        \/ \E q \in Proc, m \in Msgs, t \in Targets(p) : Receive(p, q, m, t)
                        \/ Crash(p)

\* Safety only: fair-loss links promise no delivery of a message sent once.
Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Properties.                                                             *)

\* No duplication: no message is delivered more than once.
NoDuplicationInv == \A p \in Proc : \A i, j \in DOMAIN delivered[p] :
                      i # j => delivered[p][i] # delivered[p][j]

\* No creation: a process delivers only messages that were broadcast.
NoCreationInv == \A p \in Proc : \A m \in Delivered(p) : m.sn <= lsn[m.src]

\* Infect and die: each process forwards each message once, to at most
\* Fanout processes.
FanoutInv == \A q \in Proc, m \in Msgs :
               Cardinality({p \in Proc : Packet(q, p, m) \in msgs}) <= Fanout
==============================================================================
