--------------------------- MODULE MCFifoBroadcast ---------------------------
(* Models of FifoBroadcast for TLC.  Everything that exists only for TLC   *)
(* lives here; FifoBroadcast.tla stays the protocol.                       *)
EXTENDS FifoBroadcast

\* Three processes (strings, as the Java implementation names them).
MCProc == {"p1", "p2", "p3"}

\* p1 may broadcast two messages, the others none: FIFO order is per sender,
\* and two messages of one sender are what it orders (the CI and liveness
\* models).
MCMsgsFromP1 == {[src |-> "p1", sn |-> 1], [src |-> "p1", sn |-> 2]}

\* p1 may broadcast two messages, p2 one, p3 none: FIFO order with a second
\* sender's message interleaved (the large model, and the known bug).
MCMsgsThree == {[src |-> "p1", sn |-> 1], [src |-> "p1", sn |-> 2], [src |-> "p2", sn |-> 1]}

\* Known bug: a process delivers what reliable broadcast has given it in any
\* order, with no regard for sequence numbers.
InTurnAnyOrder(p, m) == TRUE
==============================================================================
