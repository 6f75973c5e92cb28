------------------------ MODULE MCEagerReliableBroadcast ------------------------
(* Models of EagerReliableBroadcast for TLC.  Everything that exists only  *)
(* for TLC lives here; the spec stays the protocol.                        *)
EXTENDS EagerReliableBroadcast

\* Three processes (strings, as the Java implementation names them).
MCProc3 == {"p1", "p2", "p3"}

\* Four processes, for the large model.
MCProc4 == {"p1", "p2", "p3", "p4"}

\* Two broadcasts, by p1 and p2.
MCMsgsTwo == {[src |-> "p1", sn |-> 1], [src |-> "p2", sn |-> 1]}

\* One broadcast, by p1.
MCMsgsOne == {[src |-> "p1", sn |-> 1]}

\* Uniform agreement (Broadcast.tla), which eager reliable broadcast does not
\* guarantee: checked only by the known-failure model.
UniformAgreementInv == UniformAgreementAt(Quiescent)
==============================================================================
