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
(*             process is eventually received; none is created; messages   *)
(*             may be delayed and reordered.  msgs holds every Data        *)
(*             message ever sent: Data(q, m) stands for the copies of m    *)
(*             that q sent to every process in one step.  A process takes  *)
(*             a copy only while its message is new to it, so a receipt    *)
(*             need not remove it, and the copies of m from other relays   *)
(*             are dropped with no step.  A link promises nothing once its *)
(*             sender has crashed: FairSpec does not make anyone receive   *)
(*             the copies of a crashed process, so they may be lost.       *)
(*   Processes crash-stop: at most F processes crash, for any F (the       *)
(*             algorithm needs no majority and no failure detector).  A    *)
(*             crashed process takes no further step; a process that never *)
(*             crashes is correct.                                         *)
(*   Timing    asynchronous.  Liveness assumes weak fairness of receipt    *)
(*             (of copies from live processes) and of delivery, at every   *)
(*             live process.                                               *)
(*                                                                         *)
(* The reliable broadcast layer is eager: the first time a process         *)
(* receives a message, it relays it to every process, so a message that a  *)
(* correct process delivers reaches every correct process even if its      *)
(* sender crashed mid-way.  A sender takes its own message at once.  A     *)
(* message is [src |-> p, sn |-> k], the k-th message p broadcasts;        *)
(* payloads are left out, as they do not change what is delivered.  Left   *)
(* out too: garbage collection of what has been delivered.                 *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
  Proc,       \* the processes
  MaxBcast,   \* how many messages each process may broadcast
  F           \* the most processes that may crash

ASSUME /\ MaxBcast \in Nat
       /\ F \in 0..Cardinality(Proc)

VARIABLES
  lsn,          \* lsn[p]: how many messages p has broadcast
  rbDelivered,  \* rbDelivered[p]: the messages reliable broadcast gave p
  pending,      \* pending[p]: the messages p holds until their turn
  next,         \* next[p][s]: the sequence number p delivers next from s
  delivered,    \* delivered[p]: the messages p has delivered, in order
  msgs,         \* every Data message ever sent
  alive         \* alive[p]: FALSE once p has crashed

vars == <<lsn, rbDelivered, pending, next, delivered, msgs, alive>>

\* A broadcast message: the sn-th message that process src broadcasts.  (A
\* model may narrow Msgs to keep TLC's search small.)
Msgs == [src : Proc, sn : 1..MaxBcast]

\* The Data message with which process q sends message m to every process.
Data(q, m) == [type |-> "Data", from |-> q, src |-> m.src, sn |-> m.sn]

\* The elements of sequence s.
Range(s) == {s[i] : i \in DOMAIN s}

\* Type correctness.
TypeOK == /\ lsn \in [Proc -> 0..MaxBcast]
          /\ rbDelivered \in [Proc -> SUBSET Msgs]
          /\ pending \in [Proc -> SUBSET Msgs]
          /\ next \in [Proc -> [Proc -> 1..(MaxBcast + 1)]]
          /\ delivered \in [Proc -> Seq(Msgs)]
          /\ msgs \subseteq {Data(q, m) : q \in Proc, m \in Msgs}
          /\ alive \in [Proc -> BOOLEAN]

\* Nothing broadcast; every process expects message 1 of every sender.
Init == /\ lsn = [p \in Proc |-> 0]
        /\ rbDelivered = [p \in Proc |-> {}]
        /\ pending = [p \in Proc |-> {}]
        /\ next = [p \in Proc |-> [s \in Proc |-> 1]]
        /\ delivered = [p \in Proc |-> << >>]
        /\ msgs = {}
        /\ alive = [p \in Proc |-> TRUE]

-----------------------------------------------------------------------------
(* Reliable broadcast (eager), and FIFO order on top of it.                *)

\* p broadcasts its next message: it sends it to every process, and
\* reliable broadcast gives it to p at once.
Broadcast(p) ==
  LET m == [src |-> p, sn |-> lsn[p] + 1] IN
  /\ alive[p]
  /\ m \in Msgs
  /\ lsn' = [lsn EXCEPT ![p] = @ + 1]
  /\ rbDelivered' = [rbDelivered EXCEPT ![p] = @ \cup {m}]
  /\ pending' = [pending EXCEPT ![p] = @ \cup {m}]
  /\ msgs' = msgs \cup {Data(p, m)}
  /\ UNCHANGED <<next, delivered, alive>>

\* p receives m from q, and m is new to p: reliable broadcast gives it to p,
\* and p relays it to every process.
Receive(p, q, m) ==
  /\ alive[p]
  /\ Data(q, m) \in msgs
  /\ m \notin rbDelivered[p]
  /\ rbDelivered' = [rbDelivered EXCEPT ![p] = @ \cup {m}]
  /\ pending' = [pending EXCEPT ![p] = @ \cup {m}]
  /\ msgs' = msgs \cup {Data(p, m)}
  /\ UNCHANGED <<lsn, next, delivered, alive>>

\* It is m's turn at p: p has delivered every earlier message of m's sender.
\* (A known-bug model overrides it.)
InTurn(p, m) == m.sn = next[p][m.src]

\* p delivers pending message m in its turn.
Deliver(p, m) ==
  /\ alive[p]
  /\ m \in pending[p]
  /\ InTurn(p, m)
  /\ pending' = [pending EXCEPT ![p] = @ \ {m}]
  /\ next' = [next EXCEPT ![p][m.src] = @ + 1]
  /\ delivered' = [delivered EXCEPT ![p] = Append(@, m)]
  /\ UNCHANGED <<lsn, rbDelivered, msgs, alive>>

\* p crashes, for good, unless F processes already have.
Crash(p) == /\ alive[p]
            /\ Cardinality({q \in Proc : ~alive[q]}) < F
            /\ alive' = [alive EXCEPT ![p] = FALSE]
            /\ UNCHANGED <<lsn, rbDelivered, pending, next, delivered, msgs>>

-----------------------------------------------------------------------------
\* One step of one process.
Next == \E p \in Proc : \/ Broadcast(p)
                        \/ \E q \in Proc, m \in Msgs : Receive(p, q, m)
                        \/ \E m \in Msgs : Deliver(p, m)
                        \/ Crash(p)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* With fairness: a live process eventually receives the copies that live
\* processes sent it, and delivers what is in turn.  Broadcasts and crashes
\* are not fair: a process may broadcast nothing, and may never crash.
FairSpec == /\ Spec
            /\ \A p \in Proc :
                 /\ WF_vars(\E q \in Proc, m \in Msgs : alive[q] /\ Receive(p, q, m))
                 /\ WF_vars(\E m \in Msgs : Deliver(p, m))

-----------------------------------------------------------------------------
(* Properties, after Cachin et al.'s reliable broadcast and FIFO-order     *)
(* reliable broadcast.                                                     *)

\* The messages p has delivered.
Delivered(p) == Range(delivered[p])

\* No duplication: no message is delivered more than once.
NoDuplicationInv == \A p \in Proc : \A i, j \in DOMAIN delivered[p] :
                      i # j => delivered[p][i] # delivered[p][j]

\* No creation: if a process delivers m with sender m.src, then m.src broadcast m.
NoCreationInv == \A p \in Proc : \A m \in Delivered(p) : m.sn <= lsn[m.src]

\* FIFO delivery: if a process broadcasts m1 before m2, no process delivers
\* m2 unless it has already delivered m1.
FifoOrderInv ==
  \A p \in Proc : \A i \in DOMAIN delivered[p] :
    LET m2 == delivered[p][i] IN
    \A k \in 1 .. (m2.sn - 1) :
      [src |-> m2.src, sn |-> k] \in Range(SubSeq(delivered[p], 1, i - 1))

\* Validity: if a correct process p broadcasts m, every correct process
\* eventually delivers m.
ValidityProp == \A p, q \in Proc, m \in Msgs :
                  ([]alive[p] /\ []alive[q]) =>
                    [](m.src = p /\ m.sn <= lsn[p] => <>(m \in Delivered(q)))

\* Agreement: if a correct process delivers m, every correct process
\* eventually delivers m.
AgreementProp == \A p, q \in Proc, m \in Msgs :
                   ([]alive[p] /\ []alive[q]) => [](m \in Delivered(p) => <>(m \in Delivered(q)))
==============================================================================
