-------------------------- MODULE MCGossipBroadcast --------------------------
(* Models of GossipBroadcast for TLC.  Everything that exists only for TLC *)
(* lives here; GossipBroadcast.tla stays the protocol.                     *)
EXTENDS GossipBroadcast

\* Four processes (strings, as the Java implementation names them).
MCProc == {"p1", "p2", "p3", "p4"}

\* p1 may broadcast one message.
MCMsgs == {[src |-> "p1", sn |-> 1]}

\* p1 and p2 may broadcast one message each (the large model).
MCMsgs2 == {[src |-> "p1", sn |-> 1], [src |-> "p2", sn |-> 1]}

\* Known bug: a process delivers every copy it receives, not just the first.
IsNewEveryCopy(p, m) == TRUE
==============================================================================
