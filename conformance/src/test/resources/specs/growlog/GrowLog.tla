------------------------------ MODULE GrowLog ------------------------------
(***************************************************************************)
(* A test spec for updates in place (traces/README.md): a log that grows   *)
(* by appends and shrinks by truncation, one log per node, and a function  *)
(* keyed by <<view, seq>> pairs whose values are sets of nodes.  Not a     *)
(* protocol: it exists so that a trace of 10^5 appends can be validated by *)
(* both verdicts, and a wrong update caught.                               *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS
  Node,       \* the nodes
  Views,      \* the views of acks' keys
  Seqs        \* the sequence numbers of acks' keys

VARIABLES
  log,        \* a log of entries [term |-> t], held by one node
  ilog,       \* ilog[n]: node n's own log of terms
  acks        \* acks[<<v, s>>]: the nodes that acknowledged (v, s)

vars == <<log, ilog, acks>>

Init == /\ log = <<>>
        /\ ilog = [n \in Node |-> <<>>]
        /\ acks = [k \in Views \X Seqs |-> {}]

\* The log grows by one entry of term t.
AppendEntry(t) == /\ log' = Append(log, [term |-> t])
                  /\ UNCHANGED <<ilog, acks>>

\* The log loses its last k entries.
Truncate(k) == /\ k <= Len(log)
               /\ log' = SubSeq(log, 1, Len(log) - k)
               /\ UNCHANGED <<ilog, acks>>

\* Node p appends term t to its own log.
AppendAt(p, t) == /\ ilog' = [ilog EXCEPT ![p] = Append(@, t)]
                  /\ UNCHANGED <<log, acks>>

\* Node p acknowledges (v, s).
Ack(p, v, s) == /\ acks' = [acks EXCEPT ![<<v, s>>] = @ \cup {p}]
                /\ UNCHANGED <<log, ilog>>

Next == \/ \E t \in 0..3 : AppendEntry(t)
        \/ \E k \in 1..10 : Truncate(k)
        \/ \E p \in Node, t \in 0..3 : AppendAt(p, t)
        \/ \E p \in Node, v \in Views, s \in Seqs : Ack(p, v, s)

=============================================================================
