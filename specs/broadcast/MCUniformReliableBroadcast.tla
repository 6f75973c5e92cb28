----------------------- MODULE MCUniformReliableBroadcast -----------------------
(* Models of UniformReliableBroadcast for TLC.  Everything that exists     *)
(* only for TLC lives here; the spec stays the protocol.                   *)
EXTENDS UniformReliableBroadcast

\* Three processes (strings, as the Java implementation names them).
MCProc3 == {"p1", "p2", "p3"}

\* Five processes, for the large model.
MCProc5 == {"p1", "p2", "p3", "p4", "p5"}

\* Two broadcasts, by p1 and p2.
MCMsgsTwo == {[src |-> "p1", sn |-> 1], [src |-> "p2", sn |-> 1]}

\* One broadcast, by p1.
MCMsgsOne == {[src |-> "p1", sn |-> 1]}

\* Known bug: a process delivers as soon as it has received one copy, before a
\* majority has acknowledged.
CanDeliverOnFirstCopy(p, m) == ack[p][m] # {}
==============================================================================
