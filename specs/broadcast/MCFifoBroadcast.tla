--------------------------- MODULE MCFifoBroadcast ---------------------------
(* Models of FifoBroadcast for TLC.  Everything that exists only for TLC   *)
(* lives here; FifoBroadcast.tla stays the protocol.                      *)
EXTENDS FifoBroadcast

\* Three processes (strings, as the Java implementation names them).
MCProc == {"p1", "p2", "p3"}

\* p1 may broadcast two messages, p2 one, p3 none: enough for FIFO order to
\* matter, small enough for CI.
MCMsgs == {[src |-> "p1", sn |-> 1], [src |-> "p1", sn |-> 2], [src |-> "p2", sn |-> 1]}

\* Liveness: p1 may broadcast two messages, the others none.
MCMsgsLiveness == {[src |-> "p1", sn |-> 1], [src |-> "p1", sn |-> 2]}

\* Known bug: a process delivers what reliable broadcast has given it in any
\* order, with no regard for sequence numbers.
InTurnAnyOrder(p, m) == TRUE
==============================================================================
