--------------------------------- MODULE VR ---------------------------------
(***************************************************************************)
(* Viewstamped Replication: a replicated log whose replicas keep nothing   *)
(* on disk.  The primary of a view orders the clients' requests and        *)
(* prepares them at the backups; a request is committed once f backups     *)
(* acknowledge it, and a committed request is never lost, although any     *)
(* replica may crash and come back with an empty memory.                   *)
(*                                                                         *)
(* After Barbara Liskov and James Cowling, "Viewstamped Replication        *)
(* Revisited", MIT-CSAIL-TR-2012-021 (2012), cited as VRR:                 *)
(*   sec. 4.1   normal operation: Request, Prepare, PrepareOK, Commit,     *)
(*              Reply                                                      *)
(*   sec. 4.2   view change: StartViewChange, DoViewChange (with v', the   *)
(*              last view in which the replica's status was normal),       *)
(*              StartView                                                  *)
(*   sec. 4.3   recovery: Recovery and RecoveryResponse, with a nonce      *)
(*   sec. 5.2   state transfer: GetState, NewState                         *)
(*                                                                         *)
(* System model                                                            *)
(*   Links     fair-loss: a message may be lost, duplicated, delayed and   *)
(*             reordered.  msgs is the set of every packet ever sent,      *)
(*             [from, to, msg]; a receipt does not remove it, so a packet  *)
(*             may be received never, many times, late and out of order.   *)
(*             Links do not forge or corrupt messages.                     *)
(*   Replicas  crash-recovery with no durable state (VRR sec. 4.3):        *)
(*             Restart(i, x) is a crash and a restart in one step, which   *)
(*             wipes everything the replica knew and leaves it recovering  *)
(*             with the fresh nonce x.  A replica that crashes for good    *)
(*             takes no more steps.                                        *)
(*   Failures  the assumption of VRR sec. 4.3, named FailureAssumption:    *)
(*             at most F of the 2F+1 replicas are recovering at once (a    *)
(*             replica crashed and not yet restarted takes no steps and is *)
(*             indistinguishable from a slow one; the bound is on those    *)
(*             the spec can see).  Restart is guarded by it.  The models   *)
(*             show what it is for: broken (MCVRMoreThanFDown), the        *)
(*             safety properties still hold, but the recovering replicas   *)
(*             wait forever, since only replicas in status normal answer   *)
(*             a Recovery and every quorum of VR needs F+1 of them.        *)
(*   Timing    asynchronous for safety (Spec): a timer may fire at any     *)
(*             time.  Partial synchrony for liveness only (LiveSpec):      *)
(*             messages are received, and a timer fires only while no view *)
(*             change is in progress or when the view's primary is         *)
(*             recovering (TimerMayFire).                                  *)
(*                                                                         *)
(* Where VRR leaves a choice open, this spec makes one:                    *)
(*   - The primary of view v is Replicas[(v % N) + 1]: the configuration   *)
(*     is a sequence, in the order VRR's "sorted IP addresses" give.       *)
(*   - A log entry is the client's request (an element of Value, or in a   *)
(*     trace the command with its client session).  The client table      *)
(*     (sec. 4.1) is left to the state machine: the Java replicas' key-   *)
(*     value store applies a retried request at most once.  op-number is  *)
(*     Len(log[i]).                                                        *)
(*   - The new primary counts its own DoViewChange among the F+1 it needs, *)
(*     and picks the log of the one with the largest v', then the largest  *)
(*     op-number (sec. 4.2, step 3): two with the same v' and op-number    *)
(*     hold the same log, so the choice is a function.  Its commit-number  *)
(*     is the largest of theirs.                                           *)
(*   - A recovering replica adopts the largest view among the F+1          *)
(*     responses it counts, and the log and commit-number of the response  *)
(*     from that view's primary, which it must have (sec. 4.3, step 3).    *)
(*     A replica keeps one response from each peer, the newest: of the     *)
(*     latest view, and in it the longest log.                             *)
(*   - State transfer (sec. 5.2): a replica that learns of a later view    *)
(*     (a Prepare or Commit of it) asks the sender for the log after its   *)
(*     commit-number and truncates nothing until the answer comes; it      *)
(*     keeps its view, v' and log meanwhile, and they stay true: it may    *)
(*     still take part in a view change as a replica of its old view.     *)
(*     The NewState it takes replaces what follows that commit-number.     *)
(*     VRR says to set op-number to commit-number at once; a replica that  *)
(*     does so, in the later view, claims v' = that view with a log        *)
(*     shorter than the view's, and may win the next view change with it: *)
(*     the defect Jack Vanlightly found ("Viewstamped Replication          *)
(*     Revisited: an analysis with TLA+", 2022), MCVRTruncateOnLaterView.  *)
(*     A lagging replica of the same view asks for the log after its       *)
(*     op-number, and takes only a NewState that makes its log longer: a   *)
(*     late answer must not undo what it acknowledged since.               *)
(*   - GetState goes to the replica whose message showed the lag (VRR:     *)
(*     "another replica"; that one is known to be ahead).                  *)
(*   - After StartView a backup sends PrepareOK for its whole log when     *)
(*     some of it is not committed (sec. 4.2, step 5), and a backup that   *)
(*     receives a Prepare it already holds answers PrepareOK again, so    *)
(*     that a lost PrepareOK costs a resend, not the view.                 *)
(*                                                                         *)
(* History variable: committed, the requests some primary committed (and   *)
(* answered its client for), in op-number order, each with the view it     *)
(* was first committed in.  No replica holds it and a crash does not       *)
(* touch it, so that a lost request is seen; traces do not log it.         *)
(*                                                                         *)
(* Properties (safety, on Spec): CommittedSurvivesInv (no acknowledged     *)
(* write is lost: the primary of any later view holds it), AgreementInv    *)
(* (replicas agree on the request at every op-number they know             *)
(* committed), CommitWithinLogInv (commit-number <= op-number),            *)
(* OneStartPerViewInv (one primary, one log per view), and more; on        *)
(* LiveSpec, ViewChangeCompletes and RecoveryCompletes.  The models are in *)
(* MCVR.tla and manifest.json.                                             *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
  Replicas,  \* the configuration: a sequence of 2F+1 distinct replicas
  Value,     \* the requests a primary may take from clients (for Next only)
  Nonce      \* the nonces a restarted replica may draw (for Next only)

Replica == {Replicas[k] : k \in 1..Len(Replicas)}
N == Len(Replicas)
F == (N - 1) \div 2

ASSUME ConfigAssumption ==
  /\ N % 2 = 1
  /\ \A a, b \in 1..N : a # b => Replicas[a] # Replicas[b]

\* No nonce: a replica that never recovered.  Nonces are positive integers.
NoNonce == 0

VARIABLES
  viewNumber,         \* viewNumber[i]: the view i is in
  status,             \* status[i]: "normal", "view-change" or "recovering"
  log,                \* log[i]: i's requests in op-number order
  commitNumber,       \* commitNumber[i]: the op-number of the last request i knows committed
  lastNormalView,     \* lastNormalView[i]: v', the last view in which i's status was normal
  prepareOk,          \* prepareOk[i][j]: the highest op-number j acknowledged to primary i in its view
  startViewChanges,   \* startViewChanges[i]: who sent i a StartViewChange for viewNumber[i]
  doViewChanges,      \* doViewChanges[i]: the DoViewChanges new primary i holds for its view
  nonce,              \* nonce[i]: the nonce of i's last Recovery
  recoveryResponses,  \* recoveryResponses[i]: the latest response of each peer to it
  msgs,               \* every packet ever sent
  committed           \* history: what some primary committed, [entry, view] in order

replicaVars == <<viewNumber, status, log, commitNumber, lastNormalView, prepareOk,
                 startViewChanges, doViewChanges, nonce, recoveryResponses>>
viewChangeVars == <<startViewChanges, doViewChanges>>
recoveryVars == <<nonce, recoveryResponses>>
vars == <<replicaVars, msgs, committed>>

-----------------------------------------------------------------------------
(* Helpers.                                                                *)

Min(a, b) == IF a < b THEN a ELSE b
Max(a, b) == IF a > b THEN a ELSE b
SetMax(S) == CHOOSE x \in S : \A y \in S : y <= x

\* The primary of view v: round robin over the configuration (VRR sec. 4).
Primary(v) == Replicas[(v % N) + 1]

IsPrimary(i) == Primary(viewNumber[i]) = i

\* i's op-number.
OpNumber(i) == Len(log[i])

\* The packet from i to j carrying m.
Packet(i, j, m) == [from |-> i, to |-> j, msg |-> m]

\* i sends m to j.
Send(i, j, m) == msgs' = msgs \cup {Packet(i, j, m)}

\* i sends m to every other replica.
Broadcast(i, m) == msgs' = msgs \cup {Packet(i, j, m) : j \in Replica \ {i}}

\* No acknowledgements: a primary's count at the start of its view.
NoAcks == [j \in Replica |-> 0]

-----------------------------------------------------------------------------
(* Initial state: view 0, every replica normal with an empty log.          *)

Init ==
  /\ viewNumber = [i \in Replica |-> 0]
  /\ status = [i \in Replica |-> "normal"]
  /\ log = [i \in Replica |-> <<>>]
  /\ commitNumber = [i \in Replica |-> 0]
  /\ lastNormalView = [i \in Replica |-> 0]
  /\ prepareOk = [i \in Replica |-> NoAcks]
  /\ startViewChanges = [i \in Replica |-> {}]
  /\ doViewChanges = [i \in Replica |-> {}]
  /\ nonce = [i \in Replica |-> NoNonce]
  /\ recoveryResponses = [i \in Replica |-> {}]
  /\ msgs = {}
  /\ committed = <<>>

-----------------------------------------------------------------------------
(* Normal operation (VRR sec. 4.1).                                        *)

\* Primary i takes a client's request v: op-number up by one, v appended.
\* (Next draws v from Value; a trace may carry any request.)
ClientRequest(i, v) ==
  /\ status[i] = "normal"
  /\ IsPrimary(i)
  /\ log' = [log EXCEPT ![i] = Append(@, v)]
  /\ UNCHANGED <<viewNumber, status, commitNumber, lastNormalView, prepareOk,
                 viewChangeVars, recoveryVars, msgs, committed>>

\* Primary i sends backup j <Prepare v, m, n, k> for the request at
\* op-number n, with its commit-number k (and again, for a backup that
\* missed it).
SendPrepare(i, j, n) ==
  /\ status[i] = "normal"
  /\ IsPrimary(i)
  /\ j \in Replica \ {i}
  /\ n \in 1..OpNumber(i)
  /\ Send(i, j, [type |-> "Prepare", view |-> viewNumber[i], op |-> n,
                 entry |-> log[i][n], commit |-> commitNumber[i]])
  /\ UNCHANGED <<replicaVars, committed>>

\* i learns that a later view v exists, from j that is in it: it asks j for
\* the log after its commit-number, and changes nothing until the answer
\* comes (sec. 5.2; see the header for why nothing is truncated).  (A
\* known-bug model overrides it with VRR's text: truncate at once.)
LearnLaterView(i, j, v) ==
  /\ Send(i, j, [type |-> "GetState", view |-> v, op |-> commitNumber[i]])
  /\ UNCHANGED <<replicaVars, committed>>

\* Backup i receives primary j's Prepare.  In its view and status normal: a
\* request next in order is appended, one it holds already is acknowledged
\* again, and either way commit-number moves up to the primary's, no
\* further than i's log (a Prepare sent again carries the primary's commit-
\* number of the moment, which may be past the request it carries); a
\* request past a gap makes i ask j for the log after its op-number (state
\* transfer within a view).  A Prepare of a later view: LearnLaterView.
HandlePrepare(i, j, m) ==
  /\ m.type = "Prepare"
  /\ Packet(j, i, m) \in msgs
  /\ \/ /\ m.view = viewNumber[i]
        /\ status[i] = "normal"
        /\ m.op <= OpNumber(i) + 1
        /\ log' = [log EXCEPT ![i] = IF m.op = OpNumber(i) + 1 THEN Append(@, m.entry) ELSE @]
        /\ commitNumber' = [commitNumber EXCEPT ![i] = Max(@, Min(m.commit, Len(log'[i])))]
        /\ Send(i, j, [type |-> "PrepareOk", view |-> m.view, op |-> m.op])
        /\ UNCHANGED <<viewNumber, status, lastNormalView, prepareOk, viewChangeVars,
                       recoveryVars, committed>>
     \/ /\ m.view = viewNumber[i]
        /\ status[i] = "normal"
        /\ m.op > OpNumber(i) + 1
        /\ Send(i, j, [type |-> "GetState", view |-> m.view, op |-> OpNumber(i)])
        /\ UNCHANGED <<replicaVars, committed>>
     \/ /\ m.view > viewNumber[i]
        /\ status[i] # "recovering"
        /\ LearnLaterView(i, j, m.view)

\* Primary i counts backup j's PrepareOK of its view: j holds i's log up to
\* op-number m.op.
HandlePrepareOk(i, j, m) ==
  /\ m.type = "PrepareOk"
  /\ Packet(j, i, m) \in msgs
  /\ status[i] = "normal"
  /\ m.view = viewNumber[i]
  /\ prepareOk' = [prepareOk EXCEPT ![i][j] = Max(@, m.op)]
  /\ UNCHANGED <<viewNumber, status, log, commitNumber, lastNormalView,
                 viewChangeVars, recoveryVars, msgs, committed>>

\* The op-numbers primary i may commit: past its commit-number, held by it
\* and acknowledged by at least F backups.  (A known-bug model overrides it.)
Committable(i) ==
  {n \in commitNumber[i] + 1..OpNumber(i) :
     Cardinality({j \in Replica \ {i} : prepareOk[i][j] >= n}) >= F}

\* Primary i commits up to the largest op-number it may, executes the
\* requests in order and replies to their clients (sec. 4.1, step 5): what
\* was not committed before enters the history.
PrimaryCommit(i) ==
  /\ status[i] = "normal"
  /\ IsPrimary(i)
  /\ Committable(i) # {}
  /\ LET n == SetMax(Committable(i))
         c == Len(committed)
     IN /\ commitNumber' = [commitNumber EXCEPT ![i] = n]
        /\ committed' = IF n <= c THEN committed
                        ELSE committed \o [k \in 1..n - c |->
                               [entry |-> log[i][c + k], view |-> viewNumber[i]]]
  /\ UNCHANGED <<viewNumber, status, log, lastNormalView, prepareOk,
                 viewChangeVars, recoveryVars, msgs>>

\* Primary i tells backup j its commit-number, <Commit v, k> (sec. 4.1,
\* step 6: when it has no new request to prepare).
SendCommit(i, j) ==
  /\ status[i] = "normal"
  /\ IsPrimary(i)
  /\ j \in Replica \ {i}
  /\ Send(i, j, [type |-> "Commit", view |-> viewNumber[i], commit |-> commitNumber[i]])
  /\ UNCHANGED <<replicaVars, committed>>

\* Backup i receives j's Commit.  In its view: commit-number moves up to the
\* primary's, no further than its own log; if the primary committed past
\* it, i asks j for the log after its op-number.  Of a later view:
\* LearnLaterView.
HandleCommit(i, j, m) ==
  /\ m.type = "Commit"
  /\ Packet(j, i, m) \in msgs
  /\ \/ /\ m.view = viewNumber[i]
        /\ status[i] = "normal"
        /\ commitNumber' = [commitNumber EXCEPT ![i] = Max(@, Min(m.commit, OpNumber(i)))]
        /\ IF m.commit > OpNumber(i)
             THEN Send(i, j, [type |-> "GetState", view |-> m.view, op |-> OpNumber(i)])
             ELSE UNCHANGED msgs
        /\ UNCHANGED <<viewNumber, status, log, lastNormalView, prepareOk, viewChangeVars,
                       recoveryVars, committed>>
     \/ /\ m.view > viewNumber[i]
        /\ status[i] # "recovering"
        /\ LearnLaterView(i, j, m.view)

-----------------------------------------------------------------------------
(* State transfer (VRR sec. 5.2).                                          *)

\* i, normal in the view asked about, answers j's GetState with the log
\* after op-number m.op, its op-number and its commit-number.
HandleGetState(i, j, m) ==
  /\ m.type = "GetState"
  /\ Packet(j, i, m) \in msgs
  /\ status[i] = "normal"
  /\ m.view = viewNumber[i]
  /\ m.op <= OpNumber(i)
  /\ Send(i, j, [type |-> "NewState", view |-> viewNumber[i], op |-> m.op,
                 entries |-> SubSeq(log[i], m.op + 1, OpNumber(i)),
                 commit |-> commitNumber[i]])
  /\ UNCHANGED <<replicaVars, committed>>

\* i takes j's NewState: its log up to m.op is kept and the rest replaced by
\* the entries, and it is normal in the NewState's view.  Of its own view,
\* only a NewState that makes the log longer is taken (a late answer must
\* not undo what i acknowledged since); of a later view, m.op must be no
\* more than what i knows committed, so that what it keeps is the view's.
HandleNewState(i, j, m) ==
  /\ m.type = "NewState"
  /\ Packet(j, i, m) \in msgs
  /\ status[i] # "recovering"
  /\ m.op <= OpNumber(i)
  /\ \/ /\ m.view = viewNumber[i]
        /\ status[i] = "normal"
        /\ m.op + Len(m.entries) > OpNumber(i)
     \/ /\ m.view > viewNumber[i]
        /\ m.op <= commitNumber[i]
  /\ log' = [log EXCEPT ![i] = SubSeq(@, 1, m.op) \o m.entries]
  /\ viewNumber' = [viewNumber EXCEPT ![i] = m.view]
  /\ status' = [status EXCEPT ![i] = "normal"]
  /\ lastNormalView' = [lastNormalView EXCEPT ![i] = m.view]
  /\ commitNumber' = [commitNumber EXCEPT ![i] = Max(@, m.commit)]
  /\ prepareOk' = [prepareOk EXCEPT ![i] = NoAcks]
  /\ startViewChanges' = [startViewChanges EXCEPT ![i] = {}]
  /\ doViewChanges' = [doViewChanges EXCEPT ![i] = {}]
  /\ UNCHANGED <<recoveryVars, msgs, committed>>

-----------------------------------------------------------------------------
(* View change (VRR sec. 4.2).                                             *)

\* i moves to view v in status view-change and tells every other replica,
\* <StartViewChange v, i>.
BeginViewChange(i, v) ==
  /\ viewNumber' = [viewNumber EXCEPT ![i] = v]
  /\ status' = [status EXCEPT ![i] = "view-change"]
  /\ Broadcast(i, [type |-> "StartViewChange", view |-> v])

\* i's timer fires: a backup that has not heard from its primary, or a
\* replica whose view change has not completed, starts a view change to
\* the next view.
Timeout(i) ==
  /\ \/ status[i] = "normal" /\ ~IsPrimary(i)
     \/ status[i] = "view-change"
  /\ BeginViewChange(i, viewNumber[i] + 1)
  /\ startViewChanges' = [startViewChanges EXCEPT ![i] = {}]
  /\ doViewChanges' = [doViewChanges EXCEPT ![i] = {}]
  /\ UNCHANGED <<log, commitNumber, lastNormalView, prepareOk, recoveryVars, committed>>

\* i receives j's StartViewChange: one of a later view moves i to that view
\* change; one of its view, while in view change, is counted.
HandleStartViewChange(i, j, m) ==
  /\ m.type = "StartViewChange"
  /\ Packet(j, i, m) \in msgs
  /\ status[i] # "recovering"
  /\ \/ /\ m.view > viewNumber[i]
        /\ BeginViewChange(i, m.view)
        /\ startViewChanges' = [startViewChanges EXCEPT ![i] = {j}]
        /\ doViewChanges' = [doViewChanges EXCEPT ![i] = {}]
     \/ /\ m.view = viewNumber[i]
        /\ status[i] = "view-change"
        /\ startViewChanges' = [startViewChanges EXCEPT ![i] = @ \cup {j}]
        /\ UNCHANGED <<viewNumber, status, doViewChanges, msgs>>
  /\ UNCHANGED <<log, commitNumber, lastNormalView, prepareOk, recoveryVars, committed>>

\* What a DoViewChange from j says: its log, v' and commit-number.
ViewChangeRecord(j, m) ==
  [from |-> j, log |-> m.log, lastNormalView |-> m.lastNormalView, commit |-> m.commit]

\* i's own DoViewChange for its view.
OwnDoViewChange(i) ==
  [type |-> "DoViewChange", view |-> viewNumber[i], log |-> log[i],
   lastNormalView |-> lastNormalView[i], commit |-> commitNumber[i]]

\* i has StartViewChanges of its view from F others: it sends the new
\* primary <DoViewChange v, l, v', n, k, i> (n is Len(l)); the new primary
\* keeps its own.  (Sent again, it is the same message: msgs is a set.)
SendDoViewChange(i) ==
  /\ status[i] = "view-change"
  /\ Cardinality(startViewChanges[i]) >= F
  /\ IF IsPrimary(i)
       THEN /\ doViewChanges' = [doViewChanges EXCEPT
                                   ![i] = @ \cup {ViewChangeRecord(i, OwnDoViewChange(i))}]
            /\ UNCHANGED msgs
       ELSE /\ Send(i, Primary(viewNumber[i]), OwnDoViewChange(i))
            /\ UNCHANGED doViewChanges
  /\ UNCHANGED <<viewNumber, status, log, commitNumber, lastNormalView, prepareOk,
                 startViewChanges, recoveryVars, committed>>

\* New primary i receives j's DoViewChange: one of a later view moves i to
\* that view change first; one of its view, in view change, is kept.
HandleDoViewChange(i, j, m) ==
  /\ m.type = "DoViewChange"
  /\ Packet(j, i, m) \in msgs
  /\ status[i] # "recovering"
  /\ \/ /\ m.view > viewNumber[i]
        /\ BeginViewChange(i, m.view)
        /\ startViewChanges' = [startViewChanges EXCEPT ![i] = {}]
        /\ doViewChanges' = [doViewChanges EXCEPT ![i] = {ViewChangeRecord(j, m)}]
     \/ /\ m.view = viewNumber[i]
        /\ status[i] = "view-change"
        /\ doViewChanges' = [doViewChanges EXCEPT ![i] = @ \cup {ViewChangeRecord(j, m)}]
        /\ UNCHANGED <<viewNumber, status, startViewChanges, msgs>>
  /\ UNCHANGED <<log, commitNumber, lastNormalView, prepareOk, recoveryVars, committed>>

\* The DoViewChange whose log the new primary takes: the largest v', then
\* the largest op-number (sec. 4.2, step 3).  (A known-bug model overrides
\* it: the largest op-number, v' ignored.)
BestDoViewChange(D) ==
  CHOOSE d \in D :
    \A e \in D : \/ e.lastNormalView < d.lastNormalView
                 \/ /\ e.lastNormalView = d.lastNormalView
                    /\ Len(e.log) <= Len(d.log)

\* New primary i holds DoViewChanges from F+1 replicas, itself among them:
\* it takes the best log and the largest commit-number, is normal in the
\* view, and sends every other replica <StartView v, l, n, k>.
StartView(i) ==
  /\ status[i] = "view-change"
  /\ IsPrimary(i)
  /\ LET D == doViewChanges[i]
         senders == {d.from : d \in D}
         newLog == BestDoViewChange(D).log
         newCommit == SetMax({d.commit : d \in D})
     IN /\ i \in senders
        /\ Cardinality(senders) >= F + 1
        /\ log' = [log EXCEPT ![i] = newLog]
        /\ commitNumber' = [commitNumber EXCEPT ![i] = newCommit]
        /\ Broadcast(i, [type |-> "StartView", view |-> viewNumber[i], log |-> newLog,
                         commit |-> newCommit])
  /\ status' = [status EXCEPT ![i] = "normal"]
  /\ lastNormalView' = [lastNormalView EXCEPT ![i] = viewNumber[i]]
  /\ prepareOk' = [prepareOk EXCEPT ![i] = NoAcks]
  /\ startViewChanges' = [startViewChanges EXCEPT ![i] = {}]
  /\ doViewChanges' = [doViewChanges EXCEPT ![i] = {}]
  /\ UNCHANGED <<viewNumber, recoveryVars, committed>>

\* i receives the new primary j's StartView, of a later view or of the view
\* it is changing to: it takes the log, is normal in the view, and sends j a
\* PrepareOK for its whole log if some of it is not committed.
HandleStartView(i, j, m) ==
  /\ m.type = "StartView"
  /\ Packet(j, i, m) \in msgs
  /\ status[i] # "recovering"
  /\ \/ m.view > viewNumber[i]
     \/ m.view = viewNumber[i] /\ status[i] = "view-change"
  /\ LET commit == Max(commitNumber[i], m.commit)
     IN /\ log' = [log EXCEPT ![i] = m.log]
        /\ commitNumber' = [commitNumber EXCEPT ![i] = commit]
        /\ IF commit < Len(m.log)
             THEN Send(i, j, [type |-> "PrepareOk", view |-> m.view, op |-> Len(m.log)])
             ELSE UNCHANGED msgs
  /\ viewNumber' = [viewNumber EXCEPT ![i] = m.view]
  /\ status' = [status EXCEPT ![i] = "normal"]
  /\ lastNormalView' = [lastNormalView EXCEPT ![i] = m.view]
  /\ prepareOk' = [prepareOk EXCEPT ![i] = NoAcks]
  /\ startViewChanges' = [startViewChanges EXCEPT ![i] = {}]
  /\ doViewChanges' = [doViewChanges EXCEPT ![i] = {}]
  /\ UNCHANGED <<recoveryVars, committed>>

-----------------------------------------------------------------------------
(* Recovery (VRR sec. 4.3).                                                *)

\* The replicas recovering.
Recovering == {j \in Replica : status[j] = "recovering"}

\* The failure assumption: i may crash and restart only if no more than F
\* replicas are then recovering, i included.  (A known-bug model overrides
\* it.)
FailureAssumption(i) == Cardinality(Recovering \cup {i}) <= F

\* The nonces of the Recoveries i sent.
NoncesUsed(i) == {p.msg.nonce : p \in {q \in msgs : q.from = i /\ q.msg.type = "Recovery"}}

\* x was never the nonce of a Recovery that i sent: a fresh one.  (A set
\* expression rather than a quantifier over msgs: in an action, TLC takes a
\* quantifier's instances one by one, a stack frame each, and a long trace
\* has thousands of packets.)
FreshNonce(i, x) == x # NoNonce /\ x \notin NoncesUsed(i)

\* i crashes and restarts with nonce x: everything it knew is gone, and it
\* asks every other replica, <Recovery i, x>.
Restart(i, x) ==
  /\ FailureAssumption(i)
  /\ FreshNonce(i, x)
  /\ viewNumber' = [viewNumber EXCEPT ![i] = 0]
  /\ status' = [status EXCEPT ![i] = "recovering"]
  /\ log' = [log EXCEPT ![i] = <<>>]
  /\ commitNumber' = [commitNumber EXCEPT ![i] = 0]
  /\ lastNormalView' = [lastNormalView EXCEPT ![i] = 0]
  /\ prepareOk' = [prepareOk EXCEPT ![i] = NoAcks]
  /\ startViewChanges' = [startViewChanges EXCEPT ![i] = {}]
  /\ doViewChanges' = [doViewChanges EXCEPT ![i] = {}]
  /\ nonce' = [nonce EXCEPT ![i] = x]
  /\ recoveryResponses' = [recoveryResponses EXCEPT ![i] = {}]
  /\ Broadcast(i, [type |-> "Recovery", nonce |-> x])
  /\ UNCHANGED committed

\* Recovering i sends its Recovery again: a lost one, or lost answers, would
\* leave it waiting forever.  (The same packets: msgs is a set.)
ResendRecovery(i) ==
  /\ status[i] = "recovering"
  /\ Broadcast(i, [type |-> "Recovery", nonce |-> nonce[i]])
  /\ UNCHANGED <<replicaVars, committed>>

\* i, normal, answers j's Recovery: <RecoveryResponse v, x, l, n, k, i>, with
\* its log and commit-number only if it is the primary (the others send an
\* empty log and 0, VRR's nil).
HandleRecovery(i, j, m) ==
  /\ m.type = "Recovery"
  /\ Packet(j, i, m) \in msgs
  /\ status[i] = "normal"
  /\ Send(i, j, [type |-> "RecoveryResponse", view |-> viewNumber[i], nonce |-> m.nonce,
                 primary |-> IsPrimary(i),
                 log |-> IF IsPrimary(i) THEN log[i] ELSE <<>>,
                 commit |-> IF IsPrimary(i) THEN commitNumber[i] ELSE 0])
  /\ UNCHANGED <<replicaVars, committed>>

\* A response answers i's present recovery: it carries i's nonce.  (A
\* known-bug model overrides it: any response will do.)
NonceMatches(i, m) == m.nonce = nonce[i]

\* A response from j is no older than the one i holds from j: of a later
\* view, or of the same view with a log as long (a primary's log only grows
\* in its view).  An older one, arriving late, is ignored.
NoOlderResponse(i, j, m) ==
  \A r \in recoveryResponses[i] :
    r.from = j => \/ r.view < m.view
                  \/ r.view = m.view /\ Len(r.log) <= Len(m.log)

\* Recovering i keeps j's response to its Recovery, in place of the one it
\* held from j.
HandleRecoveryResponse(i, j, m) ==
  /\ m.type = "RecoveryResponse"
  /\ Packet(j, i, m) \in msgs
  /\ status[i] = "recovering"
  /\ NonceMatches(i, m)
  /\ NoOlderResponse(i, j, m)
  /\ recoveryResponses' = [recoveryResponses EXCEPT ![i] =
       {r \in @ : r.from # j} \cup
       {[from |-> j, view |-> m.view, primary |-> m.primary, log |-> m.log,
         commit |-> m.commit]}]
  /\ UNCHANGED <<viewNumber, status, log, commitNumber, lastNormalView, prepareOk,
                 viewChangeVars, nonce, msgs, committed>>

\* i holds responses from F+1 replicas, one of them from the primary of the
\* largest view among them: it takes that view, and that primary's log and
\* commit-number, and is normal again.
CompleteRecovery(i) ==
  /\ status[i] = "recovering"
  /\ LET R == recoveryResponses[i]
         v == SetMax({r.view : r \in R})
         P == {r \in R : r.view = v /\ r.primary}
     IN /\ Cardinality(R) >= F + 1
        /\ P # {}
        /\ LET p == CHOOSE r \in P : TRUE
           IN /\ viewNumber' = [viewNumber EXCEPT ![i] = v]
              /\ log' = [log EXCEPT ![i] = p.log]
              /\ commitNumber' = [commitNumber EXCEPT ![i] = p.commit]
              /\ lastNormalView' = [lastNormalView EXCEPT ![i] = v]
  /\ status' = [status EXCEPT ![i] = "normal"]
  /\ recoveryResponses' = [recoveryResponses EXCEPT ![i] = {}]
  /\ UNCHANGED <<prepareOk, viewChangeVars, nonce, msgs, committed>>

-----------------------------------------------------------------------------
(* The specification.                                                      *)

\* The messages j sent i.
MsgsFrom(j, i) == {p.msg : p \in {q \in msgs : q.from = j /\ q.to = i}}

\* i receives a message that j sent it, whatever its type (and whether or
\* not it was received before).
Receive(i, j) ==
  \E m \in MsgsFrom(j, i) :
    \/ HandlePrepare(i, j, m) \/ HandlePrepareOk(i, j, m) \/ HandleCommit(i, j, m)
    \/ HandleGetState(i, j, m) \/ HandleNewState(i, j, m)
    \/ HandleStartViewChange(i, j, m) \/ HandleDoViewChange(i, j, m)
    \/ HandleStartView(i, j, m)
    \/ HandleRecovery(i, j, m) \/ HandleRecoveryResponse(i, j, m)

\* Primary i sends j the Prepare of some request it holds.
Prepare(i, j) == \E n \in 1..OpNumber(i) : SendPrepare(i, j, n)

\* One step of one replica.
Next ==
  \E i \in Replica :
    \/ \E x \in Nonce : Restart(i, x)
    \/ \E v \in Value : ClientRequest(i, v)
    \/ \E j \in Replica : Prepare(i, j) \/ SendCommit(i, j) \/ Receive(i, j)
    \/ PrimaryCommit(i)
    \/ Timeout(i) \/ SendDoViewChange(i) \/ StartView(i)
    \/ ResendRecovery(i) \/ CompleteRecovery(i)

\* Safety only.
Spec == Init /\ [][Next]_vars

\* Liveness assumes partial synchrony: a timer fires only while no view
\* change is in progress, so that one view change runs at a time and has
\* time to complete, or when the primary of i's view is recovering (it will
\* not answer, and a view change waiting for it would wait forever).
TimerMayFire(i) ==
  \/ \A j \in Replica : status[j] # "view-change"
  \/ status[Primary(viewNumber[i])] = "recovering"

StableTimeout(i) == TimerMayFire(i) /\ Timeout(i)

\* Next in a stable period: StableTimeout for Timeout.  (Restarts are left
\* in: a model bounds them, and recovery is one of the things that must
\* complete.)
StableNext ==
  \E i \in Replica :
    \/ \E x \in Nonce : Restart(i, x)
    \/ \E v \in Value : ClientRequest(i, v)
    \/ \E j \in Replica : Prepare(i, j) \/ SendCommit(i, j) \/ Receive(i, j)
    \/ PrimaryCommit(i)
    \/ StableTimeout(i) \/ SendDoViewChange(i) \/ StartView(i)
    \/ ResendRecovery(i) \/ CompleteRecovery(i)

\* Fairness: every message whose receipt changes something is received in
\* the end, and a replica that can send its DoViewChange, start its view,
\* complete its recovery or (stably) time out does.  No client need send a
\* request and no primary need commit.
Fairness ==
  \A i \in Replica :
    /\ WF_vars(StableTimeout(i))
    /\ WF_vars(SendDoViewChange(i))
    /\ WF_vars(StartView(i))
    /\ WF_vars(CompleteRecovery(i))
    /\ \A j \in Replica : WF_vars(Receive(i, j))

LiveSpec == Init /\ [][StableNext]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Properties.                                                             *)

Status == {"normal", "view-change", "recovering"}

Message ==
       [type : {"Prepare"}, view : Nat, op : Nat \ {0}, entry : Value, commit : Nat]
  \cup [type : {"PrepareOk"}, view : Nat, op : Nat]
  \cup [type : {"Commit"}, view : Nat, commit : Nat]
  \cup [type : {"StartViewChange"}, view : Nat]
  \cup [type : {"DoViewChange"}, view : Nat, log : Seq(Value), lastNormalView : Nat,
        commit : Nat]
  \cup [type : {"StartView"}, view : Nat, log : Seq(Value), commit : Nat]
  \cup [type : {"Recovery"}, nonce : Nat \ {0}]
  \cup [type : {"RecoveryResponse"}, view : Nat, nonce : Nat, primary : BOOLEAN,
        log : Seq(Value), commit : Nat]
  \cup [type : {"GetState"}, view : Nat, op : Nat]
  \cup [type : {"NewState"}, view : Nat, op : Nat, entries : Seq(Value), commit : Nat]

\* Type correctness (for models: requests are in Value).
TypeOK ==
  /\ viewNumber \in [Replica -> Nat]
  /\ status \in [Replica -> Status]
  /\ log \in [Replica -> Seq(Value)]
  /\ commitNumber \in [Replica -> Nat]
  /\ lastNormalView \in [Replica -> Nat]
  /\ prepareOk \in [Replica -> [Replica -> Nat]]
  /\ startViewChanges \in [Replica -> SUBSET Replica]
  /\ \A i \in Replica : \A d \in doViewChanges[i] :
       d \in [from : Replica, log : Seq(Value), lastNormalView : Nat, commit : Nat]
  /\ nonce \in [Replica -> Nat]
  /\ \A i \in Replica : \A r \in recoveryResponses[i] :
       r \in [from : Replica, view : Nat, primary : BOOLEAN, log : Seq(Value), commit : Nat]
  /\ \A p \in msgs : p.from \in Replica /\ p.to \in Replica /\ p.msg \in Message
  /\ committed \in Seq([entry : Value, view : Nat])

\* The commit-number never exceeds the op-number.
CommitWithinLogInv == \A i \in Replica : commitNumber[i] <= OpNumber(i)

\* Agreement: what a replica knows committed is what was committed, request
\* for request; so no two replicas know different requests committed at an
\* op-number.
AgreementInv ==
  \A i \in Replica :
    /\ commitNumber[i] <= Len(committed)
    /\ \A k \in 1..Min(commitNumber[i], OpNumber(i)) : log[i][k] = committed[k].entry

\* No acknowledged write is lost: a request committed in view v is in the
\* log of the primary of v and of every later view, at its op-number, once
\* that primary is normal.  (Its replicas may all have crashed since: only
\* the history remembers it.)
CommittedSurvivesInv ==
  \A i \in Replica :
    (status[i] = "normal" /\ IsPrimary(i)) =>
      \A k \in 1..Len(committed) :
        committed[k].view <= viewNumber[i] =>
          k <= OpNumber(i) /\ log[i][k] = committed[k].entry

\* One primary per view, and one start: every StartView of a view carries
\* the same log and commit-number.
OneStartPerViewInv ==
  \A p, q \in msgs :
    (p.msg.type = "StartView" /\ q.msg.type = "StartView" /\ p.msg.view = q.msg.view)
      => /\ p.from = q.from
         /\ p.from = Primary(p.msg.view)
         /\ p.msg.log = q.msg.log
         /\ p.msg.commit = q.msg.commit

\* A replica normal in a view holds a prefix of the log its primary holds,
\* if that primary is normal in it too: the backups follow the primary.
BackupPrefixInv ==
  \A i, j \in Replica :
    (/\ status[i] = "normal" /\ status[j] = "normal"
     /\ viewNumber[i] = viewNumber[j] /\ IsPrimary(j))
      => /\ OpNumber(i) <= OpNumber(j)
         /\ log[i] = SubSeq(log[j], 1, OpNumber(i))

\* A primary counts only what its backups hold: no acknowledgement beyond
\* its op-number.
PrepareOkInv ==
  \A i \in Replica :
    (status[i] = "normal" /\ IsPrimary(i)) =>
      \A j \in Replica : prepareOk[i][j] <= OpNumber(i)

\* v' is never past the view.
LastNormalViewInv ==
  \A i \in Replica :
    /\ lastNormalView[i] <= viewNumber[i]
    /\ status[i] = "normal" => lastNormalView[i] = viewNumber[i]

\* Liveness: once the network is stable, every view change completes, and
\* so does every recovery.
ViewChangeCompletes == \A i \in Replica : status[i] = "view-change" ~> status[i] = "normal"
RecoveryCompletes == \A i \in Replica : status[i] = "recovering" ~> status[i] = "normal"
=============================================================================
