------------------------ MODULE MCLazyReliableBroadcast ------------------------
(* Models of LazyReliableBroadcast for TLC.  Everything that exists only   *)
(* for TLC lives here; the spec stays the protocol.                        *)
EXTENDS LazyReliableBroadcast

\* Three processes (strings, as the Java implementation names them).
MCProc3 == {"p1", "p2", "p3"}

\* Two broadcasts, by p1 and p2.
MCMsgsTwo == {[src |-> "p1", sn |-> 1], [src |-> "p2", sn |-> 1]}

\* One broadcast, by p1.
MCMsgsOne == {[src |-> "p1", sn |-> 1]}

\* Known bug: a process that learns of a crash relays nothing.
NoRelayOnCrash(p, q) == {}
==============================================================================
