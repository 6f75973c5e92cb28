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
(*             process is eventually received; none is created; messages   *)
(*             may be delayed and reordered.  msgs holds every Data        *)
(*             message ever sent: a Data message from q stands for the     *)
(*             copies q sent to every process in one step.  A process      *)
(*             takes a copy only while its message is new to it, so a      *)
(*             receipt need not remove it, and later copies of the same    *)
(*             message are dropped with no step.  A link promises nothing  *)
(*             once its sender has crashed: FairSpec does not make anyone  *)
(*             receive the copies of a crashed process, so they may be     *)
(*             lost.                                                       *)
(*   Processes crash-stop: at most F processes crash, for any F (the       *)
(*             algorithm needs no majority and no failure detector).  A    *)
(*             crashed process takes no further step; a process that never *)
(*             crashes is correct.                                         *)
(*   Timing    asynchronous.  Liveness assumes weak fairness of receipt    *)
(*             (of copies from live processes) and of delivery, at every   *)
(*             live process.                                               *)
(*                                                                         *)
(* The reliable broadcast layer is eager: the first time a process         *)
(* receives a message, it relays it, stamp and all, to every process.  A   *)
(* sender delivers its own message as it broadcasts it, so vc[p][p] counts *)
(* p's broadcasts too.  A message is [src |-> p, sn |-> k], the k-th       *)
(* message p broadcasts; its stamp vt has vt[p] = k.  Payloads are left    *)
(* out, and so is garbage collection.                                      *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
  Proc,       \* the processes
  MaxBcast,   \* how many messages each process may broadcast
  F           \* the most processes that may crash

ASSUME /\ MaxBcast \in Nat
       /\ F \in 0..Cardinality(Proc)

VARIABLES
  vc,           \* vc[p][s]: how many messages of s p has delivered
  rbDelivered,  \* rbDelivered[p]: the messages reliable broadcast gave p
  pending,      \* pending[p]: the stamped messages p holds until they are ready
  delivered,    \* delivered[p]: the messages p has delivered, in order
  msgs,         \* every Data message ever sent
  alive         \* alive[p]: FALSE once p has crashed

vars == <<vc, rbDelivered, pending, delivered, msgs, alive>>

\* A broadcast message: the sn-th message that process src broadcasts.  (A
\* model may narrow Msgs to keep TLC's search small.)
Msgs == [src : Proc, sn : 1..MaxBcast]

\* Vector times.
VTimes == [Proc -> 0..MaxBcast]

\* A message with its vector-time stamp.
Stamped(m, vt) == [src |-> m.src, sn |-> m.sn, vt |-> vt]

\* The Data message with which process q sends message m, stamped vt, to
\* every process.
Data(q, m, vt) == [type |-> "Data", from |-> q, src |-> m.src, sn |-> m.sn, vt |-> vt]

\* The elements of sequence s.
Range(s) == {s[i] : i \in DOMAIN s}

\* The messages p has delivered.
Delivered(p) == Range(delivered[p])

\* Type correctness.
TypeOK == /\ vc \in [Proc -> VTimes]
          /\ rbDelivered \in [Proc -> SUBSET Msgs]
          /\ pending \in [Proc -> SUBSET {Stamped(m, vt) : m \in Msgs, vt \in VTimes}]
          /\ delivered \in [Proc -> Seq(Msgs)]
          /\ msgs \subseteq {Data(q, m, vt) : q \in Proc, m \in Msgs, vt \in VTimes}
          /\ alive \in [Proc -> BOOLEAN]

\* Nothing broadcast or delivered: every clock is zero.
Init == /\ vc = [p \in Proc |-> [s \in Proc |-> 0]]
        /\ rbDelivered = [p \in Proc |-> {}]
        /\ pending = [p \in Proc |-> {}]
        /\ delivered = [p \in Proc |-> << >>]
        /\ msgs = {}
        /\ alive = [p \in Proc |-> TRUE]

-----------------------------------------------------------------------------
(* Reliable broadcast (eager), and causal order on top of it.              *)

\* p broadcasts its next message, stamped with its clock with p's own entry
\* counted up: it sends it to every process and delivers it at once.
Broadcast(p) ==
  LET m  == [src |-> p, sn |-> vc[p][p] + 1]
      vt == [vc[p] EXCEPT ![p] = @ + 1]
  IN /\ alive[p]
     /\ m \in Msgs
     /\ vc' = [vc EXCEPT ![p] = vt]
     /\ rbDelivered' = [rbDelivered EXCEPT ![p] = @ \cup {m}]
     /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
     /\ msgs' = msgs \cup {Data(p, m, vt)}
     /\ UNCHANGED <<pending, alive>>

\* p receives m from q, and m is new to p: reliable broadcast gives it to p
\* with its stamp, and p relays it to every process.
Receive(p, q, m) ==
  /\ alive[p]
  /\ m \notin rbDelivered[p]
  /\ \E d \in msgs :
       /\ d.from = q /\ d.src = m.src /\ d.sn = m.sn
       /\ rbDelivered' = [rbDelivered EXCEPT ![p] = @ \cup {m}]
       /\ pending' = [pending EXCEPT ![p] = @ \cup {Stamped(m, d.vt)}]
       /\ msgs' = msgs \cup {Data(p, m, d.vt)}
  /\ UNCHANGED <<vc, delivered, alive>>

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
  /\ vc' = [vc EXCEPT ![p][m.src] = @ + 1]
  /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
  /\ UNCHANGED <<rbDelivered, msgs, alive>>

\* p crashes, for good, unless F processes already have.
Crash(p) == /\ alive[p]
            /\ Cardinality({q \in Proc : ~alive[q]}) < F
            /\ alive' = [alive EXCEPT ![p] = FALSE]
            /\ UNCHANGED <<vc, rbDelivered, pending, delivered, msgs>>

-----------------------------------------------------------------------------
\* One step of one process.
Next == \E p \in Proc : \/ Broadcast(p)
                        \/ \E q \in Proc, m \in Msgs : Receive(p, q, m)
                        \/ \E m \in Msgs : Deliver(p, m)
                        \/ Crash(p)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* With fairness: a live process eventually receives the copies that live
\* processes sent it, and delivers what is ready.  Broadcasts and crashes
\* are not fair: a process may broadcast nothing, and may never crash.
FairSpec == /\ Spec
            /\ \A p \in Proc :
                 /\ WF_vars(\E q \in Proc, m \in Msgs : alive[q] /\ Receive(p, q, m))
                 /\ WF_vars(\E m \in Msgs : Deliver(p, m))

-----------------------------------------------------------------------------
(* Properties, after Cachin et al.'s reliable broadcast and causal-order   *)
(* reliable broadcast.                                                     *)

\* The messages that were broadcast: those a sender sent as its own.
Broadcasts == {[src |-> d.src, sn |-> d.sn] : d \in {x \in msgs : x.from = x.src}}

\* The messages that m's sender had delivered when it broadcast m: those
\* before m in its delivery sequence, since it delivered m as it broadcast it.
\* Its own earlier messages are among them.
CausalPast(m) == LET d == delivered[m.src] IN
                 {d[i] : i \in {j \in DOMAIN d : \E k \in DOMAIN d : j < k /\ d[k] = m}}

\* No duplication: no message is delivered more than once.
NoDuplicationInv == \A p \in Proc : \A i, j \in DOMAIN delivered[p] :
                      i # j => delivered[p][i] # delivered[p][j]

\* No creation: a process delivers only messages that were broadcast.
NoCreationInv == \A p \in Proc : Delivered(p) \subseteq Broadcasts

\* Causal delivery: no process delivers a message before every message that
\* causally precedes it.  It is enough to ask it of each message's direct
\* causal past: applied to every message in turn, that covers the chains.
CausalOrderInv ==
  \A p \in Proc : \A i \in DOMAIN delivered[p] :
    CausalPast(delivered[p][i]) \subseteq Range(SubSeq(delivered[p], 1, i - 1))

\* Validity: if a correct process p broadcasts m, every correct process
\* eventually delivers m.
ValidityProp == \A p, q \in Proc, m \in Msgs :
                  ([]alive[p] /\ []alive[q]) =>
                    [](m.src = p /\ m \in Broadcasts => <>(m \in Delivered(q)))

\* Agreement: if a correct process delivers m, every correct process
\* eventually delivers m.
AgreementProp == \A p, q \in Proc, m \in Msgs :
                   ([]alive[p] /\ []alive[q]) => [](m \in Delivered(p) => <>(m \in Delivered(q)))
==============================================================================
