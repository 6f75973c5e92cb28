------------------------- MODULE MCBestEffortBroadcast -------------------------
(* Models of BestEffortBroadcast for TLC.  Everything that exists only for *)
(* TLC lives here; the spec stays the protocol.                            *)
EXTENDS BestEffortBroadcast

\* Three processes (strings, as the Java implementation names them).
MCProc3 == {"p1", "p2", "p3"}

\* Two broadcasts, by p1 and p2: enough for every interleaving that matters.
MCMsgsTwo == {[src |-> "p1", sn |-> 1], [src |-> "p2", sn |-> 1]}

\* One broadcast, by p1.
MCMsgsOne == {[src |-> "p1", sn |-> 1]}
==============================================================================
