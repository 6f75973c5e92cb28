------------------------ MODULE MCTotalOrderBroadcast ------------------------
(* Models of TotalOrderBroadcast for TLC.  Everything that exists only for *)
(* TLC lives here; TotalOrderBroadcast.tla stays the protocol.             *)
EXTENDS TotalOrderBroadcast

\* Three processes (strings, as the Java implementation names them).
MCProc == {"p1", "p2", "p3"}

\* p2 and p3 may broadcast one message each, the sequencer p1 none: two
\* messages whose order the sequencer decides (every model).
MCMsgs == {[src |-> "p2", sn |-> 1], [src |-> "p3", sn |-> 1]}

\* Known bug: a process delivers numbered messages as they arrive, with no
\* regard for their numbers.
InTurnOnArrival(p, o) == TRUE
==============================================================================
