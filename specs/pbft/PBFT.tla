-------------------------------- MODULE PBFT --------------------------------
(***************************************************************************)
(* Practical Byzantine Fault Tolerance: a replicated log that stays        *)
(* consistent while up to f of its 3f+1 replicas lie.  The primary of a    *)
(* view orders the clients' requests (PRE-PREPARE); the replicas agree on  *)
(* the order in two rounds of all-to-all messages (PREPARE, COMMIT), each  *)
(* a quorum of 2f+1, and execute a request once it is committed; a client  *)
(* takes a result once f+1 replicas report the same.  When the primary     *)
(* fails, or lies, the replicas move to the next view (VIEW-CHANGE with    *)
(* the requests each has prepared, NEW-VIEW with the pre-prepares the new  *)
(* primary re-issues), and nothing committed is lost.                      *)
(*                                                                         *)
(* After Miguel Castro and Barbara Liskov, "Practical Byzantine Fault      *)
(* Tolerance", OSDI 1999, cited as OSDI, and "Practical Byzantine Fault    *)
(* Tolerance and Proactive Recovery", ACM TOCS 20(4), 2002, cited as TOCS: *)
(*   OSDI sec. 4.1   the client: REQUEST, REPLY, f+1 matching replies      *)
(*   OSDI sec. 4.2   normal case: PRE-PREPARE, PREPARE, prepared, COMMIT,  *)
(*                   committed-local, execution in sequence-number order   *)
(*   OSDI sec. 4.3   garbage collection: CHECKPOINT, stable checkpoints,   *)
(*                   the low and high water marks h and h + L              *)
(*   OSDI sec. 4.4   view change: VIEW-CHANGE with the prepared            *)
(*                   certificates P, NEW-VIEW with V and O                 *)
(*   TOCS sec. 2.3   the same protocol with signatures (PBFT-PK), which    *)
(*                   this spec follows: a certificate is a set of signed   *)
(*                   messages, which anyone can check                      *)
(*                                                                         *)
(* System model                                                            *)
(*   Replicas  N = 3F+1 (the assumption NAssumption), of which those in    *)
(*             Byzantine are faulty: they send whatever they like, when    *)
(*             they like, under their own name (ByzantineSend), as an     *)
(*             adversary that knows every message sent.  The others are   *)
(*             correct and follow the actions below.  FaultAssumption:    *)
(*             at most F are faulty; MCPBFTTwoByzantine breaks it.  A     *)
(*             replica that crashes for good is one that takes no more    *)
(*             steps, which any interleaving allows: safety needs no      *)
(*             bound on crashes, and liveness counts them among the F.    *)
(*   Links     authenticated: every message names its sender, a correct   *)
(*             replica's messages come only from its actions, and no one  *)
(*             can forge another's (Sendable(b) is b alone; MCPBFTForged  *)
(*             lets a faulty replica sign as anyone).  msgs is every      *)
(*             message ever sent, to all; a receipt does not remove one,  *)
(*             so a message may be received late, never, or many times,   *)
(*             and the network may reorder at will.  A replica acts on    *)
(*             messages in msgs: that they were sent is what it can check *)
(*             (a signature), and when it acts is the interleaving's.     *)
(*   Clients   correct; a request is authenticated by its client, so a    *)
(*             replica accepts only requests in requested.  A REPLY goes  *)
(*             to the client, outside msgs: replies holds them.           *)
(*   Timing    asynchronous for safety (Spec): a replica may start a view *)
(*             change at any time.  Liveness needs partial synchrony      *)
(*             (OSDI sec. 4.5): LiveSpec is a stable period with a        *)
(*             correct primary, in which no timer expires and the normal  *)
(*             case is fair; RequestsExecuted and RequestsAccepted hold   *)
(*             in it.                                                     *)
(*                                                                         *)
(* Where the paper leaves a choice open, or this spec abstracts:           *)
(*   - A message carries the request itself where the paper has its       *)
(*     digest: a digest names one request, and a faulty replica can no    *)
(*     more forge a request than a digest.  Null is the null request of   *)
(*     OSDI sec. 4.4, which executes as nothing.                          *)
(*   - The primary of view v is Replicas[(v % N) + 1].                    *)
(*   - A certificate (prepared, committed, a stable checkpoint, a view    *)
(*     change's P) is evaluated over msgs: a replica has it when the      *)
(*     signed messages exist, since it can check them whoever relays      *)
(*     them.  What a replica did accept is its state: the pre-prepares it *)
(*     took (pp), the requests it executed (executed).                    *)
(*   - A replica executes each request at most once (OSDI sec. 4.1: the   *)
(*     last reply to each client): a request committed again at a later  *)
(*     sequence number, by a faulty primary's doing, executes as Null.    *)
(*   - A replica that is behind a stable checkpoint would fetch the state *)
(*     (OSDI sec. 4.3, state transfer); this spec leaves state transfer   *)
(*     out: a replica takes a checkpoint stable only at a sequence number *)
(*     it has executed, and with its own digest.                          *)
(*   - A new primary takes the checkpoint and the prepared requests of    *)
(*     the 2f+1 VIEW-CHANGE messages it uses (min-s, max-s, O); a backup  *)
(*     checks a NEW-VIEW by computing O itself from V, so a NEW-VIEW is   *)
(*     the view and V alone (NewViewPrePrepares).                         *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences, TLC

CONSTANTS
  Replicas,     \* the replicas, a sequence: the primary of view v is Replicas[(v % N) + 1]
  Byzantine,    \* the faulty replicas (for Next only)
  Request,      \* the clients' requests (for Next only)
  Null,         \* the null request (not a request)
  View,         \* the views (0 .. MaxView) replicas and the adversary may use (for Next only)
  SeqNum,       \* the sequence numbers (1 .. MaxSeq) they may use (for Next only)
  CheckpointPeriod, \* K: a replica checkpoints after executing a multiple of K
  LogSize       \* L: a replica accepts sequence numbers in h+1 .. h+L

VARIABLES
  view,       \* view[r]: the view replica r is in (or is moving to)
  status,     \* status[r]: "normal", or "view-change" once it has sent a VIEW-CHANGE
  pp,         \* pp[r]: the pre-prepares r accepted, [view, seq, req] (a primary: sent)
  executed,   \* executed[r]: the requests r executed, in sequence-number order
  stable,     \* stable[r]: r's last stable checkpoint, its low water mark h
  msgs,       \* every message the replicas sent one another
  replies,    \* every REPLY the replicas sent the clients
  requested,  \* the requests the clients sent
  accepted    \* the results the clients accepted: [req, seq]

vars == <<view, status, pp, executed, stable, msgs, replies, requested, accepted>>

N == Len(Replicas)
F == (N - 1) \div 3
Replica == {Replicas[k] : k \in 1..N}
Correct == Replica \ Byzantine
Primary(v) == Replicas[(v % N) + 1]

NAssumption == N = 3 * F + 1
ASSUME NAssumption

\* At most F replicas are faulty: the bound PBFT is for (OSDI sec. 2).
FaultAssumption == Cardinality(Byzantine) <= F

\* How many matching messages from distinct replicas make a certificate.
QuorumSize == 2 * F + 1
\* The replies a client needs: f+1 say the same, so one is correct.
ReplySize == F + 1

\* Whom replica b can send as: itself, on authenticated links.
Sendable(b) == {b}

----------------------------------------------------------------------------
(* Messages *)

PrePrepareMsg(v, n, q, r) == [type |-> "PrePrepare", view |-> v, seq |-> n, req |-> q, from |-> r]
PrepareMsg(v, n, q, r)    == [type |-> "Prepare", view |-> v, seq |-> n, req |-> q, from |-> r]
CommitMsg(v, n, q, r)     == [type |-> "Commit", view |-> v, seq |-> n, req |-> q, from |-> r]
ReplyMsg(n, q, r)         == [type |-> "Reply", seq |-> n, req |-> q, from |-> r]
CheckpointMsg(n, d, r)    == [type |-> "Checkpoint", seq |-> n, digest |-> d, from |-> r]
\* A VIEW-CHANGE to view v: the sender's stable checkpoint (its sequence
\* number and digest) and P, the requests it prepared above it, each as
\* [seq, view, req] in the latest view in which it prepared one there.
ViewChangeMsg(v, h, d, P, r) ==
  [type |-> "ViewChange", view |-> v, ckpt |-> h, digest |-> d, prepared |-> P, from |-> r]
\* A NEW-VIEW for view v: the VIEW-CHANGE messages it is built on.
NewViewMsg(v, V, r) == [type |-> "NewView", view |-> v, vcs |-> V, from |-> r]

Entry == [view : View, seq : SeqNum, req : Request \cup {Null}]

\* The distinct senders of the messages of msgs that match.
Senders(S) == {m.from : m \in S}

Max(S) == CHOOSE x \in S : \A y \in S : y <= x

Range(s) == {s[k] : k \in DOMAIN s}

----------------------------------------------------------------------------
(* Certificates: what the signed messages in msgs prove *)

\* A prepared certificate for request q at (v, n): the primary's
\* PRE-PREPARE and 2f PREPAREs from distinct backups (OSDI sec. 4.2).
PreparedCert(v, n, q) ==
  /\ PrePrepareMsg(v, n, q, Primary(v)) \in msgs
  /\ Cardinality(Senders({m \in msgs : /\ m.type = "Prepare" /\ m.view = v /\ m.seq = n
                                      /\ m.req = q /\ m.from # Primary(v)})) >= QuorumSize - 1

\* prepared(m, v, n, i): r accepted the pre-prepare and holds the certificate.
Prepared(r, v, n, q) == [view |-> v, seq |-> n, req |-> q] \in pp[r] /\ PreparedCert(v, n, q)

\* committed-local(m, v, n, i): prepared, and 2f+1 COMMITs from distinct replicas.
CommittedLocal(r, v, n, q) ==
  /\ Prepared(r, v, n, q)
  /\ Cardinality(Senders({m \in msgs : m.type = "Commit" /\ m.view = v /\ m.seq = n /\ m.req = q}))
       >= QuorumSize

\* The entries correct replica r has committed locally, in any view.
CommittedAt(r) == {e \in pp[r] : CommittedLocal(r, e.view, e.seq, e.req)}

\* A stable checkpoint at n with digest d: 2f+1 CHECKPOINTs (OSDI sec. 4.3).
StableCert(n, d) ==
  Cardinality(Senders({m \in msgs : m.type = "Checkpoint" /\ m.seq = n /\ m.digest = d})) >= QuorumSize

\* The digest of the state after the first n requests of execution order
\* e, n a checkpoint: the requests executed since the checkpoint before.
\* It stands for the paper's digest of the whole state, and decides the
\* same: a replica compares a checkpoint's digest with its own state only
\* at a sequence number it has executed (no state transfer), and correct
\* replicas that agree up to the checkpoint before agree on the state
\* exactly when they agree on these requests.  A digest of the whole prefix
\* would make a trace's checkpoints grow with the run.
Digest(e, n) == IF n = 0 THEN <<>> ELSE SubSeq(e, n - CheckpointPeriod + 1, n)

\* Whether r accepts sequence number n: within its water marks.
InWindow(r, n) == stable[r] < n /\ n <= stable[r] + LogSize

\* What r has prepared above its checkpoint: for each sequence number, the
\* entry of the latest view in which it prepared one (OSDI sec. 4.4, P).
\* Prepared at r is r's own knowledge (prepared(m, v, n, i) holds of i's
\* log), which msgs alone does not tell: a replica that prepares sends its
\* COMMIT, so what r prepared is what it sent COMMITs for.  That is what
\* the proof needs: a request committed-local somewhere has 2f+1 COMMITs,
\* f+1 of them from correct replicas, which report it.
PreparedSet(r) ==
  LET prep == {e \in pp[r] : e.seq > stable[r] /\ CommitMsg(e.view, e.seq, e.req, r) \in msgs}
  IN {e \in prep : \A o \in prep : o.seq = e.seq => o.view <= e.view}

\* O of OSDI sec. 4.4, from the VIEW-CHANGE messages V of a NEW-VIEW for v:
\* min-s is the latest stable checkpoint in V, max-s the largest sequence
\* number prepared in V; each sequence number between them gets the request
\* prepared there in the latest view, or the null request.
NewViewPrePrepares(v, V) ==
  LET minS == Max({m.ckpt : m \in V})
      entries == UNION {m.prepared : m \in V}
      maxS == Max({minS} \cup {e.seq : e \in entries})
      best(n) == {e \in entries : e.seq = n /\ \A o \in entries : o.seq = n => o.view <= e.view}
  IN {[view |-> v, seq |-> n,
       req |-> IF best(n) = {} THEN Null ELSE (CHOOSE e \in best(n) : TRUE).req] : n \in minS + 1 .. maxS}

\* The PRE-PREPAREs that a NEW-VIEW for v on V carries, signed by v's primary.
ReIssued(v, V) == {PrePrepareMsg(v, e.seq, e.req, Primary(v)) : e \in NewViewPrePrepares(v, V)}

\* The checkpoint a NEW-VIEW's V starts from.
NewViewCheckpoint(V) == CHOOSE m \in V : \A o \in V : o.ckpt <= m.ckpt

\* A NEW-VIEW's V is checkable: 2f+1 VIEW-CHANGEs for v from distinct
\* replicas, all signed (in msgs), each claim backed by a certificate.
ValidViewChange(m) ==
  /\ m.type = "ViewChange"
  /\ m.ckpt = 0 \/ StableCert(m.ckpt, m.digest)
  /\ \A e \in m.prepared : e.seq > m.ckpt /\ PreparedCert(e.view, e.seq, e.req) /\ e.view < m.view

ValidNewView(v, V) ==
  /\ V \subseteq {m \in msgs : m.type = "ViewChange" /\ m.view = v}
  /\ \A m \in V : ValidViewChange(m)
  /\ Cardinality(Senders(V)) >= QuorumSize
  /\ Cardinality(V) = Cardinality(Senders(V))

----------------------------------------------------------------------------
(* The client (OSDI sec. 4.1) *)

\* Client request q, signed by its client, reaches replica r: from then on
\* it is a request the clients sent.  A client sends each request to every
\* replica (OSDI sec. 4.1 has it multicast when the primary does not
\* answer); that a second replica receives it changes nothing.
ClientRequest(r, q) ==
  /\ requested' = requested \cup {q}
  /\ UNCHANGED <<view, status, pp, executed, stable, msgs, accepted, replies>>

\* A client takes the result of q at n once F+1 replicas reply the same.
ClientAccept(q, n) ==
  /\ q \in requested
  /\ [req |-> q, seq |-> n] \notin accepted
  /\ Cardinality(Senders({m \in replies : m.req = q /\ m.seq = n})) >= ReplySize
  /\ accepted' = accepted \cup {[req |-> q, seq |-> n]}
  /\ UNCHANGED <<view, status, pp, executed, stable, msgs, requested, replies>>

----------------------------------------------------------------------------
(* Normal case (OSDI sec. 4.2) *)

\* The primary r assigns sequence number n to request q in its view.
SendPrePrepare(r, n, q) ==
  /\ status[r] = "normal"
  /\ r = Primary(view[r])
  /\ q \in requested
  /\ q \notin Range(executed[r])
  /\ InWindow(r, n)
  /\ \A e \in pp[r] : e.view = view[r] => e.seq # n /\ e.req # q
  \* the next sequence number: every one below it is taken in this view
  /\ \A k \in stable[r] + 1 .. n - 1 : \E e \in pp[r] : e.view = view[r] /\ e.seq = k
  /\ pp' = [pp EXCEPT ![r] = @ \cup {[view |-> view[r], seq |-> n, req |-> q]}]
  /\ msgs' = msgs \cup {PrePrepareMsg(view[r], n, q, r)}
  /\ UNCHANGED <<view, status, executed, stable, requested, accepted, replies>>

\* Backup r accepts the primary's PRE-PREPARE m and sends its PREPARE: in
\* its view, within its water marks, a request a client sent (the null
\* request comes only with a NEW-VIEW), and no other request accepted at
\* that view and sequence number.
HandlePrePrepare(r, m) ==
  /\ m \in msgs
  /\ m.type = "PrePrepare"
  /\ status[r] = "normal"
  /\ m.view = view[r]
  /\ m.from = Primary(m.view)
  /\ r # m.from
  /\ m.req \in requested
  /\ InWindow(r, m.seq)
  /\ \A e \in pp[r] : e.view = m.view /\ e.seq = m.seq => e.req = m.req
  /\ [view |-> m.view, seq |-> m.seq, req |-> m.req] \notin pp[r]
  /\ pp' = [pp EXCEPT ![r] = @ \cup {[view |-> m.view, seq |-> m.seq, req |-> m.req]}]
  /\ msgs' = msgs \cup {PrepareMsg(m.view, m.seq, m.req, r)}
  /\ UNCHANGED <<view, status, executed, stable, requested, accepted, replies>>

\* Replica r has prepared q at (v, n) and sends its COMMIT.
SendCommit(r, v, n, q) ==
  /\ status[r] = "normal"
  /\ v = view[r]
  /\ Prepared(r, v, n, q)
  /\ CommitMsg(v, n, q, r) \notin msgs
  /\ msgs' = msgs \cup {CommitMsg(v, n, q, r)}
  /\ UNCHANGED <<view, status, pp, executed, stable, requested, accepted, replies>>

\* Replica r executes the request committed-local at its next sequence
\* number, replies to the client, and checkpoints every K requests. A
\* request it executed before executes as Null (its last reply stands).
Execute(r, v, q) ==
  LET n == Len(executed[r]) + 1
      done == IF q \in Range(executed[r]) THEN Null ELSE q
      e == Append(executed[r], done)
  IN /\ CommittedLocal(r, v, n, q)
     /\ executed' = [executed EXCEPT ![r] = e]
     /\ replies' = replies \cup (IF done = Null THEN {} ELSE {ReplyMsg(n, q, r)})
     /\ msgs' = msgs \cup (IF n % CheckpointPeriod = 0 THEN {CheckpointMsg(n, Digest(e, n), r)} ELSE {})
     /\ UNCHANGED <<view, status, pp, stable, requested, accepted>>

\* Replica r takes the checkpoint at n stable: 2f+1 agree on its own state
\* there. It moves its low water mark and discards what lies below.
StableCheckpoint(r, n) ==
  /\ n > stable[r]
  /\ n <= Len(executed[r])
  /\ StableCert(n, Digest(executed[r], n))
  /\ stable' = [stable EXCEPT ![r] = n]
  /\ pp' = [pp EXCEPT ![r] = {e \in @ : e.seq > n}]
  /\ UNCHANGED <<view, status, executed, msgs, requested, accepted, replies>>

----------------------------------------------------------------------------
(* View change (OSDI sec. 4.4) *)

\* Replica r's timer expires (or it hears of a later view): it moves to
\* the next view and sends VIEW-CHANGE with its checkpoint and P.
StartViewChange(r, v) ==
  /\ v = view[r] + 1
  /\ view' = [view EXCEPT ![r] = v]
  /\ status' = [status EXCEPT ![r] = "view-change"]
  /\ msgs' = msgs \cup {ViewChangeMsg(v, stable[r], Digest(executed[r], stable[r]), PreparedSet(r), r)}
  /\ UNCHANGED <<pp, executed, stable, requested, accepted, replies>>

\* The primary r of view v, holding 2f+1 valid VIEW-CHANGEs V for v, sends
\* NEW-VIEW, enters v and takes O's pre-prepares as its own.
SendNewView(r, V) ==
  LET v == view[r] IN
  /\ status[r] = "view-change"
  /\ r = Primary(v)
  /\ ValidNewView(v, V)
  /\ \E m \in V : m.from = r
  /\ NewViewCheckpoint(V).ckpt <= Len(executed[r])
  /\ msgs' = msgs \cup {NewViewMsg(v, V, r)} \cup ReIssued(v, V)
  /\ status' = [status EXCEPT ![r] = "normal"]
  /\ pp' = [pp EXCEPT ![r] = @ \cup NewViewPrePrepares(v, V)]
  /\ UNCHANGED <<view, executed, stable, requested, accepted, replies>>

\* Backup r checks NEW-VIEW m (its V valid, O as it computes it), enters
\* the view, takes O's pre-prepares and sends a PREPARE for each.
HandleNewView(r, m) ==
  LET O == NewViewPrePrepares(m.view, m.vcs) IN
  /\ m \in msgs
  /\ m.type = "NewView"
  /\ m.from = Primary(m.view)
  /\ r # m.from
  /\ \/ m.view > view[r]
     \/ m.view = view[r] /\ status[r] = "view-change"
  /\ ValidNewView(m.view, m.vcs)
  /\ NewViewCheckpoint(m.vcs).ckpt <= Len(executed[r])
  /\ view' = [view EXCEPT ![r] = m.view]
  /\ status' = [status EXCEPT ![r] = "normal"]
  /\ pp' = [pp EXCEPT ![r] = @ \cup {e \in O : InWindow(r, e.seq)}]
  /\ msgs' = msgs \cup {PrepareMsg(e.view, e.seq, e.req, r) : e \in {o \in O : InWindow(r, o.seq)}}
  /\ UNCHANGED <<executed, stable, requested, accepted, replies>>

----------------------------------------------------------------------------
(* The adversary *)

\* Whether m is a message faulty replica b can send: any well-formed
\* message, signed as whom b can sign as.  It may name any request, one no
\* client sent included: a correct replica takes only requests in
\* requested.  Its VIEW-CHANGEs and NEW-VIEWs may claim anything: they must
\* still pass a correct replica's checks to count (certificates cannot be
\* forged), so a lie in them is one no correct replica acts on.
ByzantineMsg(b, m) ==
  LET fields(t) == CASE t = "PrePrepare" -> {"type", "view", "seq", "req", "from"}
                     [] t = "Prepare"    -> {"type", "view", "seq", "req", "from"}
                     [] t = "Commit"     -> {"type", "view", "seq", "req", "from"}
                     [] t = "Reply"      -> {"type", "seq", "req", "from"}
                     [] t = "Checkpoint" -> {"type", "seq", "digest", "from"}
                     [] t = "ViewChange" -> {"type", "view", "ckpt", "digest", "prepared", "from"}
                     [] t = "NewView"    -> {"type", "view", "vcs", "from"}
                     [] OTHER            -> {}
  IN /\ "type" \in DOMAIN m
     /\ DOMAIN m = fields(m.type)
     /\ m.from \in Sendable(b)
     /\ "view" \in DOMAIN m => m.view \in Nat
     /\ "seq" \in DOMAIN m => m.seq \in Nat /\ m.seq > 0
     /\ CASE m.type = "PrePrepare" -> m.from = Primary(m.view)
         [] m.type = "Checkpoint" -> m.seq % CheckpointPeriod = 0 /\ DOMAIN m.digest = 1 .. CheckpointPeriod
         [] m.type = "ViewChange" -> m.ckpt \in Nat /\ IsFiniteSet(m.prepared)
         [] m.type = "NewView" -> m.from = Primary(m.view) /\ IsFiniteSet(m.vcs)
         [] OTHER -> TRUE

\* The messages of ByzantineMsg(b) over the model's views, sequence numbers
\* and requests, but for VIEW-CHANGE and NEW-VIEW (ByzantineViewChange and
\* ByzantineNewView send those that pass a correct replica's checks): what
\* Next lets the adversary send.
ByzantineMsgs(b) ==
  LET s == Sendable(b)
      q == Request \cup {Null}
  IN  {PrePrepareMsg(v, n, x, Primary(v)) : v \in {w \in View : Primary(w) \in s}, n \in SeqNum, x \in Request}
   \cup {PrepareMsg(v, n, x, r) : v \in View, n \in SeqNum, x \in q, r \in s}
   \cup {CommitMsg(v, n, x, r) : v \in View, n \in SeqNum, x \in q, r \in s}
   \cup {ReplyMsg(n, x, r) : n \in SeqNum, x \in Request, r \in s}
   \cup {CheckpointMsg(n, d, r) : n \in {k \in SeqNum : k % CheckpointPeriod = 0},
                                 d \in [1..CheckpointPeriod -> q], r \in s}

\* What a model lets the adversary still send: everything, in the protocol;
\* a model bounds it (MCPBFT's AdversaryBudget) so that TLC can exhaust it.
AdversaryMay(m) == TRUE

\* Faulty replica b sends m (a trace's byzantine event).  A message sent
\* before, by anyone, it may send again (a replay), which changes nothing:
\* msgs is every message ever sent.
ByzantineSend(b, m) ==
  /\ AdversaryMay(m)
  /\ m \in msgs \/ ByzantineMsg(b, m)
  /\ IF m.type = "Reply" THEN replies' = replies \cup {m} /\ UNCHANGED msgs
                          ELSE msgs' = msgs \cup {m} /\ UNCHANGED replies
  /\ UNCHANGED <<view, status, pp, executed, stable, requested, accepted>>

\* A faulty replica's VIEW-CHANGE, with any part of what it could claim.
ByzantineViewChange(b, r, v, P) ==
  /\ r \in Sendable(b)
  /\ ViewChangeMsg(v, 0, <<>>, P, r) \notin msgs
  /\ AdversaryMay(ViewChangeMsg(v, 0, <<>>, P, r))
  /\ \A e \in P : PreparedCert(e.view, e.seq, e.req) /\ e.view < v
  /\ \A e, o \in P : e.seq = o.seq => e = o
  /\ msgs' = msgs \cup {ViewChangeMsg(v, 0, <<>>, P, r)}
  /\ UNCHANGED <<view, status, pp, executed, stable, requested, accepted, replies>>

\* A faulty primary's NEW-VIEW, on any 2f+1 VIEW-CHANGEs it holds (one that
\* fails a correct replica's checks is one no correct replica acts on).
ByzantineNewView(b, r, v, V) ==
  /\ r \in Sendable(b)
  /\ r = Primary(v)
  /\ ValidNewView(v, V)
  /\ NewViewMsg(v, V, r) \notin msgs
  /\ AdversaryMay(NewViewMsg(v, V, r))
  /\ msgs' = msgs \cup {NewViewMsg(v, V, r)} \cup ReIssued(v, V)
  /\ UNCHANGED <<view, status, pp, executed, stable, requested, accepted, replies>>

\* The entries a faulty replica could claim prepared in a VIEW-CHANGE.
Certified == {e \in Entry : PreparedCert(e.view, e.seq, e.req)}

----------------------------------------------------------------------------

Init ==
  /\ view = [r \in Replica |-> 0]
  /\ status = [r \in Replica |-> "normal"]
  /\ pp = [r \in Replica |-> {}]
  /\ executed = [r \in Replica |-> <<>>]
  /\ stable = [r \in Replica |-> 0]
  /\ msgs = {}
  /\ replies = {}
  /\ requested = {}
  /\ accepted = {}

\* Replica r acts on a message it received.
Receive(r) == \E m \in msgs : HandlePrePrepare(r, m) \/ HandleNewView(r, m)

\* Replica r, the primary of its view, starts it on VIEW-CHANGEs it holds.
NewViewOn(r) == \E V \in SUBSET {m \in msgs : m.type = "ViewChange" /\ m.view = view[r]} : SendNewView(r, V)

\* Faulty replica b sends a VIEW-CHANGE for view v, or a NEW-VIEW, that claims
\* what it can.
ByzantineViewChanges(b, v) == \E r \in Sendable(b), P \in SUBSET Certified : ByzantineViewChange(b, r, v, P)
ByzantineNewViews(b, v) ==
  \E r \in Sendable(b) : \E V \in SUBSET {m \in msgs : m.type = "ViewChange" /\ m.view = v} : ByzantineNewView(b, r, v, V)

Next ==
  \/ \E r \in Replica, q \in Request : ClientRequest(r, q)
  \/ \E q \in Request, n \in SeqNum : ClientAccept(q, n)
  \/ \E r \in Correct :
       \/ \E n \in SeqNum, q \in Request : SendPrePrepare(r, n, q)
       \/ Receive(r)
       \/ \E e \in Entry : SendCommit(r, e.view, e.seq, e.req)
       \/ \E v \in View, q \in Request \cup {Null} : Execute(r, v, q)
       \/ \E n \in SeqNum : StableCheckpoint(r, n)
       \/ \E v \in View : StartViewChange(r, v)
       \/ NewViewOn(r)
  \/ \E b \in Byzantine :
       \/ \E m \in ByzantineMsgs(b) : ByzantineSend(b, m)
       \/ \E v \in View \ {0} : ByzantineViewChanges(b, v)
       \/ \E v \in View : ByzantineNewViews(b, v)

\* The actions of Next are the protocol's: which replicas take them (Correct,
\* Byzantine), and over which views, sequence numbers and requests (View,
\* SeqNum, Request), is Next's to say, so that a trace, whose faulty
\* replicas and values are its own, checks each event against the action
\* itself.

Spec == Init /\ [][Next]_vars

----------------------------------------------------------------------------
(* Liveness (OSDI sec. 4.5.2) *)

\* PBFT cannot be live in an asynchronous system (no consensus protocol
\* is), and is not: a replica may start a view change at any time, and
\* views may follow one another for ever.  It is live once the system is
\* synchronous enough: messages arrive within a bound and a correct
\* primary's view lasts long enough for its requests to commit.  Such a
\* stable period, with a correct primary, is StableNext: Next in which no
\* correct replica's timer expires (no StartViewChange).  A faulty replica
\* still sends what it likes.
StableNext ==
  \/ \E r \in Replica, q \in Request : ClientRequest(r, q)
  \/ \E q \in Request, n \in SeqNum : ClientAccept(q, n)
  \/ \E r \in Correct :
       \/ \E n \in SeqNum, q \in Request : SendPrePrepare(r, n, q)
       \/ Receive(r)
       \/ \E e \in Entry : SendCommit(r, e.view, e.seq, e.req)
       \/ \E v \in View, q \in Request \cup {Null} : Execute(r, v, q)
       \/ \E n \in SeqNum : StableCheckpoint(r, n)
       \/ NewViewOn(r)
  \/ \E b \in Byzantine :
       \/ \E m \in ByzantineMsgs(b) : ByzantineSend(b, m)
       \/ \E v \in View \ {0} : ByzantineViewChanges(b, v)
       \/ \E v \in View : ByzantineNewViews(b, v)

\* Fairness: a correct replica that can take a step of the normal case
\* takes it in the end (the messages it needs arrive), and a client that
\* holds F+1 matching replies accepts the result.  No client need send a
\* request, and a faulty replica need do nothing.
Fairness ==
  /\ \A r \in Correct :
       /\ WF_vars(\E n \in SeqNum, q \in Request : SendPrePrepare(r, n, q))
       /\ WF_vars(Receive(r))
       /\ WF_vars(\E e \in Entry : SendCommit(r, e.view, e.seq, e.req))
       /\ WF_vars(\E v \in View, q \in Request \cup {Null} : Execute(r, v, q))
       /\ WF_vars(\E n \in SeqNum : StableCheckpoint(r, n))
  /\ \A q \in Request, n \in SeqNum : WF_vars(ClientAccept(q, n))

LiveSpec == Init /\ [][StableNext]_vars /\ Fairness

----------------------------------------------------------------------------
(* Properties *)

TypeOK ==
  /\ view \in [Replica -> View]
  /\ status \in [Replica -> {"normal", "view-change"}]
  /\ pp \in [Replica -> SUBSET Entry]
  /\ \A r \in Replica : executed[r] \in Seq(Request \cup {Null}) /\ Len(executed[r]) <= Cardinality(SeqNum)
  /\ stable \in [Replica -> 0 .. Cardinality(SeqNum)]
  /\ \A m \in replies : m.type = "Reply" /\ m.seq \in SeqNum /\ m.req \in Request
  /\ requested \subseteq Request
  /\ accepted \subseteq [req : Request, seq : SeqNum]

\* Safety (OSDI sec. 4.5.1, "the algorithm provides safety if all non-faulty
\* replicas agree on the sequence numbers of requests that commit locally"):
\* correct replicas that commit a request at a sequence number, in any
\* views, commit the same request.
AgreementInv ==
  LET C == UNION {CommittedAt(r) : r \in Correct}
  IN  \A e1, e2 \in C : e1.seq = e2.seq => e1.req = e2.req

\* Correct replicas execute the same requests in the same order: of two
\* correct replicas' logs, the shorter is a prefix of the longer. (As a
\* comparison of prefixes, TLC checks it in time linear in the logs, which
\* matters to trace validation: it checks this after every Execute of a run.)
ExecutionAgreementInv ==
  \A r1, r2 \in Correct :
    LET k == IF Len(executed[r1]) <= Len(executed[r2]) THEN Len(executed[r1]) ELSE Len(executed[r2])
    IN  SubSeq(executed[r1], 1, k) = SubSeq(executed[r2], 1, k)

\* Validity: a request that commits was sent by a client.
ValidityInv ==
  \A r \in Correct : \A e \in CommittedAt(r) : e.req \in requested \cup {Null}

\* A correct replica executes each request at most once: no two places of
\* its log that hold a request (not Null) hold the same one. (Stated as a
\* count, which TLC checks in n log n of the log's length n, not n * n.)
ExecuteOnceInv ==
  \A r \in Correct :
    LET places == {i \in 1..Len(executed[r]) : executed[r][i] # Null}
    IN  Cardinality({executed[r][i] : i \in places}) = Cardinality(places)

\* A client accepts only the result correct replicas computed: the request
\* at that place in the execution order.
ClientResultInv ==
  \A x \in accepted : \E r \in Correct : x.seq <= Len(executed[r]) /\ executed[r][x.seq] = x.req

\* Liveness, under LiveSpec (a stable period whose primary is correct):
\* every request a client sends is executed by every correct replica, and
\* its client accepts a result for it (OSDI sec. 4.5.2: "clients
\* eventually receive replies to their requests").
RequestsExecuted ==
  \A r \in Correct, q \in Request : q \in requested ~> q \in Range(executed[r])
RequestsAccepted ==
  \A q \in Request : q \in requested ~> \E n \in SeqNum : [req |-> q, seq |-> n] \in accepted

\* The primary of a view, if correct, pre-prepares one request at a
\* sequence number (a faulty one may equivocate).
PrimaryOnceInv ==
  \A v \in View : Primary(v) \in Correct =>
    \A m1, m2 \in msgs : /\ m1.type = "PrePrepare" /\ m2.type = "PrePrepare"
                         /\ m1.from = Primary(v) /\ m2.from = Primary(v)
                         /\ m1.view = v /\ m2.view = v /\ m1.seq = m2.seq
                         => m1.req = m2.req

=============================================================================
