---------------------------- MODULE PingPong ----------------------------
(* Two processes pass one message back and forth for ever: a test of    *)
(* how a counterexample that is a cycle (a lasso ending "Back to state   *)
(* 1") is drawn.  NeverQuiet fails: the network is never empty.          *)
VARIABLE net

Ping == [from |-> "a", to |-> "b", msg |-> [type |-> "Ping"]]
Pong == [from |-> "b", to |-> "a", msg |-> [type |-> "Pong"]]

Init == net = {Ping}
RecvPing == Ping \in net /\ net' = (net \ {Ping}) \cup {Pong}
RecvPong == Pong \in net /\ net' = (net \ {Pong}) \cup {Ping}
Next == RecvPing \/ RecvPong
Spec == Init /\ [][Next]_net /\ WF_net(Next)

TypeOK == net \subseteq {Ping, Pong}
NeverQuiet == <>(net = {})
=============================================================================
