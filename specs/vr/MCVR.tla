--------------------------------- MODULE MCVR ---------------------------------
(* Models of VR for TLC.  What exists only for TLC lives here: the bounds,  *)
(* the known bugs (operators of VR.tla overridden in a model's .cfg), and   *)
(* the invariants that must fail (reachability).  VR.tla stays the         *)
(* protocol.                                                                *)
EXTENDS VR

CONSTANTS
  r1, r2, r3, r4, r5,  \* replicas, as model values
  MaxView,    \* no replica goes beyond this view
  MaxLogLen,  \* no log grows beyond this length
  MaxMsgs     \* no more packets than this are sent

\* Configurations of three and five replicas (a .cfg cannot write a sequence
\* of model values).
Replicas3 == <<r1, r2, r3>>
Replicas5 == <<r1, r2, r3, r4, r5>>

\* Requests are interchangeable (model values): symmetry.  Replicas are not:
\* the primary of a view is named by its place in Replicas.
ValueSymmetry == Permutations(Value)

\* The bounds, as an action constraint: no step goes beyond them.
BoundConstraint ==
  \A i \in Replica : /\ viewNumber'[i] <= MaxView
                     /\ Len(log'[i]) <= MaxLogLen

\* At most MaxMsgs packets are ever sent (the network's bound).
MsgConstraint == Cardinality(msgs') <= MaxMsgs

\* The same bounds as state constraints, for TLC's distributed mode, which
\* applies action constraints after it has marked a successor seen (see
\* MCRaft.tla): a state past a bound is reached, and its invariants
\* checked, but not explored further.
StateBoundConstraint ==
  \A i \in Replica : viewNumber[i] <= MaxView /\ Len(log[i]) <= MaxLogLen
StateMsgConstraint == Cardinality(msgs) <= MaxMsgs

\* A client sends a request once: no log holds one twice.
DistinctRequestsConstraint ==
  \A i \in Replica : \A a, b \in 1..Len(log[i]) : a # b => log[i][a] # log[i][b]

\* The liveness models' timeout: VR's StableTimeout within the view bound
\* (a guard, not a constraint, so that its fairness means what it says).
BoundedStableTimeout(i) ==
  /\ viewNumber[i] < MaxView
  /\ TimerMayFire(i)
  /\ Timeout(i)

\* The known-bug models' scenarios are far from the start and TLC cannot
\* exhaust the models that reach them; these constraints keep what the
\* scenarios need and cut the rest, as a reader of the counterexample would.

\* No packet is sent twice with other contents (a Prepare or Commit with a
\* newer commit-number, a second PrepareOK): each message once per view, op
\* and link.
Slot(p) == <<p.from, p.to, p.msg.type,
             IF "view" \in DOMAIN p.msg THEN p.msg.view ELSE "none",
             IF "op" \in DOMAIN p.msg THEN p.msg.op ELSE "none",
             IF "nonce" \in DOMAIN p.msg THEN p.msg.nonce ELSE "none">>
SendOnceConstraint == \A p \in msgs' \ msgs : \A q \in msgs : Slot(p) # Slot(q)

\* No Commit and no state transfer: commit-numbers travel in Prepares only.
NoCommitNoTransferConstraint ==
  \A p \in msgs' \ msgs : p.msg.type \notin {"Commit", "GetState", "NewState"}

\* The v' scenario: the primary of view 0 takes requests it prepares
\* nowhere, sits out view 1 (whose primary prepares at the last replica
\* only), and comes back for view 2 with its log.
SitOutConstraint ==
  /\ viewNumber'[Replicas[1]] # 1
  /\ \A p \in msgs' \ msgs : p.msg.type = "Prepare" => p.msg.view # 0 /\ p.to = Replicas[N]

\* No Commit and no NewState: a lagging replica's GetState goes unanswered.
NoCommitNoNewStateConstraint ==
  \A p \in msgs' \ msgs : p.msg.type \notin {"Commit", "NewState"}

\* The truncation scenario: the last replica acknowledges view 0's request
\* and sits out the change to view 1, which it learns of only from a
\* Prepare; the first replica, view 0's primary, never sees view 1 start.
\* Prepares, of either view, go to the last replica only.
SitOutTruncateConstraint ==
  LET last == Replicas[N]
  IN /\ ~(viewNumber'[last] = 1 /\ status'[last] = "view-change")
     /\ (viewNumber'[last] = 1 /\ status'[last] = "normal") => Len(log'[last]) <= commitNumber'[last]
     /\ ~(viewNumber'[Replicas[1]] = 1 /\ status'[Replicas[1]] = "normal")
     /\ \A p \in msgs' \ msgs : p.msg.type = "Prepare" => p.to = last

\* The nonce scenario: only the last replica restarts; view 0's primary
\* prepares its request there only and stays out of the view change; only
\* the first Recovery is answered.
RestartLastConstraint ==
  /\ \A k \in 1..N - 1 : nonce'[Replicas[k]] = NoNonce
  /\ viewNumber'[Replicas[1]] = 0
  /\ \A p \in msgs' \ msgs :
       /\ (p.msg.type = "Prepare" /\ p.msg.view = 0) => p.to = Replicas[N]
       /\ p.msg.type = "RecoveryResponse" => p.msg.nonce = 1

\* The recovery liveness models: only the replicas in Restarting restart
\* (the last one, or the last two to break the failure assumption).
RestartOnlyConstraint(Restarting) ==
  \A i \in Replica \ Restarting : nonce'[i] = NoNonce
RestartLastOnlyConstraint == RestartOnlyConstraint({Replicas[N]})
RestartLastTwoOnlyConstraint == RestartOnlyConstraint({Replicas[N - 1], Replicas[N]})

-----------------------------------------------------------------------------
(* Known bugs, each an override of one operator of VR.tla.                 *)

\* A new primary that takes the longest log, v' ignored (sec. 4.2, step 3):
\* a long log of an old view beats the shorter log of the view that
\* committed over it.
BestDoViewChangeLongest(D) ==
  CHOOSE d \in D : \A e \in D : Len(e.log) <= Len(d.log)

\* A recovery without a nonce: any response to any Recovery of i counts, an
\* answer to an earlier incarnation's included.
NonceIgnored(i, m) == TRUE

\* The failure assumption broken: F+1 replicas recovering at once.
FailureAssumptionBroken(i) == Cardinality(Recovering \cup {i}) <= F + 1

\* VRR sec. 5.2 as written: a replica that learns of a later view sets its
\* op-number to its commit-number (its log truncated there) and moves to
\* the view, as normal in it, before the state arrives.  Its commit-number
\* may be stale, and its v' now claims the later view for the short log.
LearnLaterViewTruncating(i, j, v) ==
  /\ log' = [log EXCEPT ![i] = SubSeq(@, 1, commitNumber[i])]
  /\ viewNumber' = [viewNumber EXCEPT ![i] = v]
  /\ status' = [status EXCEPT ![i] = "normal"]
  /\ lastNormalView' = [lastNormalView EXCEPT ![i] = v]
  /\ prepareOk' = [prepareOk EXCEPT ![i] = NoAcks]
  /\ startViewChanges' = [startViewChanges EXCEPT ![i] = {}]
  /\ doViewChanges' = [doViewChanges EXCEPT ![i] = {}]
  /\ Send(i, j, [type |-> "GetState", view |-> v, op |-> commitNumber[i]])
  /\ UNCHANGED <<commitNumber, recoveryVars, committed>>

-----------------------------------------------------------------------------
(* Reachability: invariants that must fail, so that a model that passes    *)
(* did get somewhere.                                                      *)

\* Every request committed is committed in view 0: one committed in a later
\* view needs a view change first.
NoCommitInLaterViewReach == \A k \in 1..Len(committed) : committed[k].view = 0

\* No replica that restarted holds a committed request: a recovery that
\* brings one back from the primary.
NoRecoveredCommitReach ==
  \A i \in Replica : (nonce[i] # NoNonce /\ status[i] = "normal") => commitNumber[i] = 0

\* No NewState is ever sent: state transfer never runs.
NoStateTransferReach == \A p \in msgs : p.msg.type # "NewState"

==============================================================================
