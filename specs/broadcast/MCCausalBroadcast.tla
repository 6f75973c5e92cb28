-------------------------- MODULE MCCausalBroadcast --------------------------
(* Models of CausalBroadcast for TLC.  Everything that exists only for TLC *)
(* lives here; CausalBroadcast.tla stays the protocol.                     *)
EXTENDS CausalBroadcast

\* Three processes (strings, as the Java implementation names them).
MCProc == {"p1", "p2", "p3"}

\* p1 may broadcast two messages, p2 one, p3 none: enough for chains of
\* causality through FIFO order and through delivery, small enough for CI.
MCMsgs == {[src |-> "p1", sn |-> 1], [src |-> "p1", sn |-> 2], [src |-> "p2", sn |-> 1]}

\* Liveness: p1 and p2 may broadcast one message each, p3 none.
MCMsgsLiveness == {[src |-> "p1", sn |-> 1], [src |-> "p2", sn |-> 1]}

\* Known bug: FIFO order only.  A message is ready when it is the next one
\* of its sender, whatever its sender had delivered from others.
ReadyFifoOnly(p, s) == s.vt[s.src] = vc[p][s.src] + 1
==============================================================================
