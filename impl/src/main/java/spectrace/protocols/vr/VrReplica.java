package spectrace.protocols.vr;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecLog;
import spectrace.core.SpecMap;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.kv.AppliedEntry;
import spectrace.kv.Command;
import spectrace.kv.KvReply;
import spectrace.kv.KvRequest;
import spectrace.kv.KvStore;
import spectrace.kv.Result;
import spectrace.protocols.vr.VrMessage.Commit;
import spectrace.protocols.vr.VrMessage.DoViewChange;
import spectrace.protocols.vr.VrMessage.GetState;
import spectrace.protocols.vr.VrMessage.NewState;
import spectrace.protocols.vr.VrMessage.Prepare;
import spectrace.protocols.vr.VrMessage.PrepareOk;
import spectrace.protocols.vr.VrMessage.Recovery;
import spectrace.protocols.vr.VrMessage.RecoveryResponse;
import spectrace.protocols.vr.VrMessage.StartView;
import spectrace.protocols.vr.VrMessage.StartViewChange;

/**
 * A replica of VR.tla (Liskov and Cowling, "Viewstamped Replication Revisited", 2012): normal
 * operation (§4.1), view change (§4.2), recovery with a nonce (§4.3) and state transfer (§5.2),
 * serving the replicated key-value store.
 *
 * <p>Each {@link SpecVar} field holds this replica's entry of the spec variable of the same
 * name; each {@link SpecAction} method is the spec action of its name, with {@code i} this
 * replica, {@code j} the peer and {@code m} the message received, and does what the action
 * does, its sends included. The input handlers call an action only where the spec enables it;
 * a message the spec's replica would not act on (of an older view, or to a recovering replica)
 * is dropped with no action at all. One input may take several actions in one step (the
 * PrepareOK that completes a quorum is {@code HandlePrepareOk}, then {@code PrimaryCommit}).
 *
 * <p>Nothing is durable: the replica writes nothing to its storage. A crash loses everything;
 * the runtime builds a new replica, and {@link #onRecover} is {@code Restart(i, x)}: it asks
 * the others for the state with a fresh nonce, and is normal again only once F+1 of them have
 * answered, the primary of the latest view among them included.
 *
 * <p>Timing: a backup that hears nothing from its primary for {@link #VIEW_CHANGE_TIMEOUT}
 * ticks starts a view change, and so does a replica whose view change has not completed in that
 * time (to the next view); a primary sends every backup, every {@link #HEARTBEAT} ticks, the
 * Prepares it has not acknowledged (at most {@link #MAX_PREPARES}) or else a Commit; a
 * recovering replica sends its Recovery again every {@link #RECOVERY_RETRY} ticks.
 */
public class VrReplica extends ProtocolNode<VrMessage> {

  /** Ticks without word from the primary before a backup starts a view change; also a view change's patience. */
  public static final long VIEW_CHANGE_TIMEOUT = 300;
  /** A primary's heartbeat period, in ticks. */
  public static final long HEARTBEAT = 50;
  /** A recovering replica's period between Recoveries, in ticks. */
  public static final long RECOVERY_RETRY = 100;
  /** The most Prepares a heartbeat sends one backup. */
  public static final int MAX_PREPARES = 16;

  static final String VIEW_TIMER = "view";
  static final String HEARTBEAT_TIMER = "heartbeat";
  static final String RECOVERY_TIMER = "recovery";

  // ---- VR.tla's per-replica variables -------------------------------------------------------

  @SpecVar(value = "viewNumber", indexed = true)
  protected int viewNumber;

  @SpecVar(value = "status", indexed = true)
  protected VrStatus status = VrStatus.NORMAL;

  /** The log, 1-based in the spec: {@code log.get(n - 1)} is the request at op-number n. */
  @SpecVar(value = "log", indexed = true)
  protected final SpecLog<Command> log = new SpecLog<>();

  @SpecVar(value = "commitNumber", indexed = true)
  protected int commitNumber;

  /** v': the last view in which this replica's status was normal. */
  @SpecVar(value = "lastNormalView", indexed = true)
  protected int lastNormalView;

  /** A primary's count: the highest op-number each backup acknowledged in its view. */
  @SpecVar(value = "prepareOk", indexed = true)
  protected final SpecMap<String, Integer> prepareOk = new SpecMap<>();

  @SpecVar(value = "startViewChanges", indexed = true)
  protected final Set<String> startViewChanges = new TreeSet<>();

  @SpecVar(value = "doViewChanges", indexed = true)
  protected final Set<ViewChangeRecord> doViewChanges = new LinkedHashSet<>();

  @SpecVar(value = "nonce", indexed = true)
  protected int nonce;

  @SpecVar(value = "recoveryResponses", indexed = true)
  protected final Set<ResponseRecord> recoveryResponses = new LinkedHashSet<>();

  // ---- Not in the spec ----------------------------------------------------------------------

  /** The configuration, in order: the primary of view v is {@code replicas.get(v % n)}. */
  protected final List<String> replicas;
  protected final List<String> peers;
  /** F, of 2F+1 replicas. */
  protected final int f;
  /** The state machine: the replicated key-value store. */
  private KvStore store = new KvStore();
  /** How many requests of the log the store has executed (at most commitNumber). */
  private int executed;

  /** Replica {@code id} of the configuration {@code replicas} (2F+1 of them, in order). */
  public VrReplica(String id, List<String> replicas) {
    super(id);
    if (!replicas.contains(id)) {
      throw new IllegalArgumentException(id + " is not one of the replicas " + replicas);
    }
    if (replicas.size() % 2 == 0) {
      throw new IllegalArgumentException("VR needs 2F+1 replicas, not " + replicas.size());
    }
    this.replicas = List.copyOf(replicas);
    this.peers = this.replicas.stream().filter(r -> !r.equals(id)).toList();
    this.f = (replicas.size() - 1) / 2;
    resetAcks();
  }

  // ---- What tests and invariants look at ----------------------------------------------------

  public int viewNumber() {
    return viewNumber;
  }

  public VrStatus status() {
    return status;
  }

  public int commitNumber() {
    return commitNumber;
  }

  public int lastNormalView() {
    return lastNormalView;
  }

  /** The log, in op-number order (a copy). */
  public List<Command> log() {
    return List.copyOf(log);
  }

  /** The op-number: how many requests the log holds. */
  public int opNumber() {
    return log.size();
  }

  /** The request at op-number {@code n} (1-based). */
  public Command entry(int n) {
    return log.get(n - 1);
  }

  /** The primary of view {@code v}. */
  public String primary(int v) {
    return replicas.get(v % replicas.size());
  }

  public boolean isPrimary() {
    return primary(viewNumber).equals(id);
  }

  // ---- Inputs -------------------------------------------------------------------------------

  @Override
  public void start() {
    armTimers();
  }

  /** A crash wiped the replica (the runtime built it anew): {@code Restart(i, x)} with a fresh nonce. */
  @Override
  public void onRecover() {
    restart(1 + random().nextInt(Integer.MAX_VALUE - 1));
  }

  @Override
  public void onTimer(String name) {
    switch (name) {
      case VIEW_TIMER -> {
        if (status == VrStatus.VIEW_CHANGE || (status == VrStatus.NORMAL && !isPrimary())) {
          timeout();
          afterViewChangeStep();
          // The view change itself has a time limit: past it, the next view.
          armTimers();
        }
      }
      case HEARTBEAT_TIMER -> {
        if (status == VrStatus.NORMAL && isPrimary()) {
          for (String j : peers) {
            int acked = prepareOk.get(j);
            if (acked < log.size()) {
              for (int n = acked + 1; n <= Math.min(log.size(), acked + MAX_PREPARES); n++) {
                sendPrepare(j, n);
              }
            } else {
              sendCommit(j);
            }
          }
          setTimer(HEARTBEAT_TIMER, HEARTBEAT);
        }
      }
      case RECOVERY_TIMER -> {
        if (status == VrStatus.RECOVERING) {
          resendRecovery();
          setTimer(RECOVERY_TIMER, RECOVERY_RETRY);
        }
      }
      default -> {
        // not one of this replica's timers
      }
    }
  }

  /**
   * A client's request: the primary, normal, appends it and prepares it at every backup, and
   * answers once it is committed and executed; any other replica answers that it is not the
   * primary, naming the one it knows.
   */
  @Override
  public void onRequest(Object request) {
    if (!(request instanceof KvRequest r)) {
      return;
    }
    if (status == VrStatus.NORMAL && isPrimary()) {
      clientRequest(r.command());
      for (String j : peers) {
        sendPrepare(j, log.size());
      }
    } else {
      deliver(KvReply.notLeader(r.command(), status == VrStatus.NORMAL ? primary(viewNumber) : null));
    }
  }

  @Override
  public void onMessage(String from, VrMessage msg) {
    if (!peers.contains(from)) {
      return;
    }
    if (status == VrStatus.RECOVERING) {
      if (msg instanceof RecoveryResponse m && answersThisRecovery(m) && noOlderResponse(from, m)) {
        handleRecoveryResponse(from, m);
        if (recoverFrom() != null) {
          completeRecovery();
          executeCommitted();
          armTimers();
        }
      }
      return;
    }
    int view = viewNumber;
    VrStatus before = status;
    if (msg instanceof Prepare m) {
      if (m.view() > viewNumber || (m.view() == viewNumber && status == VrStatus.NORMAL)) {
        handlePrepare(from, m);
      }
    } else if (msg instanceof PrepareOk m) {
      if (status == VrStatus.NORMAL && m.view() == viewNumber) {
        handlePrepareOk(from, m);
        if (isPrimary() && committable() > commitNumber) {
          primaryCommit();
        }
      }
    } else if (msg instanceof Commit m) {
      if (m.view() > viewNumber || (m.view() == viewNumber && status == VrStatus.NORMAL)) {
        handleCommit(from, m);
      }
    } else if (msg instanceof GetState m) {
      if (status == VrStatus.NORMAL && m.view() == viewNumber && m.op() <= log.size()) {
        handleGetState(from, m);
      }
    } else if (msg instanceof NewState m) {
      if (takesNewState(m)) {
        handleNewState(from, m);
      }
    } else if (msg instanceof StartViewChange m) {
      if (m.view() > viewNumber || (m.view() == viewNumber && status == VrStatus.VIEW_CHANGE)) {
        handleStartViewChange(from, m);
      }
    } else if (msg instanceof DoViewChange m) {
      if (primary(m.view()).equals(id)
          && (m.view() > viewNumber || (m.view() == viewNumber && status == VrStatus.VIEW_CHANGE))) {
        handleDoViewChange(from, m);
      }
    } else if (msg instanceof StartView m) {
      if (m.view() > viewNumber || (m.view() == viewNumber && status == VrStatus.VIEW_CHANGE)) {
        handleStartView(from, m);
      }
    } else if (msg instanceof Recovery m) {
      if (status == VrStatus.NORMAL) {
        handleRecovery(from, m);
      }
    }
    afterViewChangeStep();
    executeCommitted();
    // A Prepare or Commit from the primary of the view this replica is normal in keeps its
    // view-change timer off (a Recovery from it, restarted, must not).
    boolean fromPrimary = status == VrStatus.NORMAL && from.equals(primary(viewNumber))
        && (msg instanceof Prepare p && p.view() == viewNumber || msg instanceof Commit c && c.view() == viewNumber);
    if (view != viewNumber || before != status || fromPrimary) {
      armTimers();
    }
  }

  /** What a view change does next, once its messages are counted: DoViewChange, then StartView. */
  private void afterViewChangeStep() {
    if (status != VrStatus.VIEW_CHANGE) {
      return;
    }
    if (startViewChanges.size() >= f && !sentDoViewChange()) {
      sendDoViewChange();
    }
    if (isPrimary() && mayStartView()) {
      startView();
      executeCommitted();
      armTimers();
    }
  }

  // ---- Normal operation (§4.1) --------------------------------------------------------------

  /** ClientRequest(i, v): the primary appends the request; op-number is up by one. */
  @SpecAction(value = "ClientRequest", self = "i")
  protected void clientRequest(@SpecParam("v") Command v) {
    log.append(v);
  }

  /** SendPrepare(i, j, n): the primary sends backup j the request at op-number n, with its commit-number. */
  @SpecAction(value = "SendPrepare", self = "i")
  protected void sendPrepare(@SpecParam("j") String j, @SpecParam("n") int n) {
    send(j, new Prepare(viewNumber, n, log.get(n - 1), commitNumber));
  }

  /**
   * HandlePrepare(i, j, m): in this replica's view, a request next in order is appended, one it
   * holds is acknowledged again, and the commit-number moves up to the primary's, no further than
   * the log; a request past
   * a gap asks j for the log after this op-number; a Prepare of a later view is LearnLaterView.
   */
  @SpecAction(value = "HandlePrepare", self = "i")
  protected void handlePrepare(@SpecParam("j") String j, @SpecParam("m") Prepare m) {
    if (m.view() > viewNumber) {
      learnLaterView(j, m.view());
    } else if (inOrder(m)) {
      if (m.op() == log.size() + 1) {
        log.append(m.entry());
      }
      commitNumber = backupCommit(m);
      send(j, new PrepareOk(viewNumber, m.op()));
    } else {
      send(j, new GetState(viewNumber, log.size()));
    }
  }

  /**
   * A backup's commit-number after it took Prepare m: up to the primary's, no further than its
   * log (a Prepare sent again carries the primary's commit-number of the moment, which may be
   * past it), and never back.
   */
  protected int backupCommit(Prepare m) {
    return Math.max(commitNumber, Math.min(m.commit(), log.size()));
  }

  /**
   * LearnLaterView(i, j, v): this replica learned that view v exists from j, which is in it: it
   * asks j for the log after its commit-number and changes nothing until the answer comes.
   */
  protected void learnLaterView(String j, int v) {
    send(j, new GetState(v, commitNumber));
  }

  /** A Prepare of this view that needs no state transfer: next in order, or one this replica holds. */
  protected boolean inOrder(Prepare m) {
    return m.op() <= log.size() + 1;
  }

  /** HandlePrepareOk(i, j, m): the primary counts j's acknowledgement of its view. */
  @SpecAction(value = "HandlePrepareOk", self = "i")
  protected void handlePrepareOk(@SpecParam("j") String j, @SpecParam("m") PrepareOk m) {
    prepareOk.put(j, Math.max(prepareOk.get(j), m.op()));
  }

  /** PrimaryCommit(i): the primary commits up to the largest op-number F backups hold. */
  @SpecAction(value = "PrimaryCommit", self = "i")
  protected void primaryCommit() {
    commitNumber = committable();
  }

  /** The largest op-number past the commit-number held by the primary and F backups; else commitNumber. */
  protected int committable() {
    for (int n = log.size(); n > commitNumber; n--) {
      int holders = 0;
      for (String j : peers) {
        if (prepareOk.get(j) >= n) {
          holders++;
        }
      }
      if (holders >= acknowledgementsToCommit()) {
        return n;
      }
    }
    return commitNumber;
  }

  /** §4.1, step 5: the PrepareOKs a primary waits for, F (with itself, F+1 replicas hold the request). */
  protected int acknowledgementsToCommit() {
    return f;
  }

  /** SendCommit(i, j): the primary tells j its commit-number. */
  @SpecAction(value = "SendCommit", self = "i")
  protected void sendCommit(@SpecParam("j") String j) {
    send(j, new Commit(viewNumber, commitNumber));
  }

  /**
   * HandleCommit(i, j, m): in this replica's view, the commit-number moves up to the primary's,
   * no further than its log, and if the primary committed past it, it asks for the log after its
   * op-number; a Commit of a later view is LearnLaterView.
   */
  @SpecAction(value = "HandleCommit", self = "i")
  protected void handleCommit(@SpecParam("j") String j, @SpecParam("m") Commit m) {
    if (m.view() > viewNumber) {
      learnLaterView(j, m.view());
      return;
    }
    commitNumber = Math.max(commitNumber, Math.min(m.commit(), log.size()));
    if (m.commit() > log.size()) {
      send(j, new GetState(viewNumber, log.size()));
    }
  }

  // ---- State transfer (§5.2) ----------------------------------------------------------------

  /** HandleGetState(i, j, m): the log after op-number m.op, with this replica's commit-number. */
  @SpecAction(value = "HandleGetState", self = "i")
  protected void handleGetState(@SpecParam("j") String j, @SpecParam("m") GetState m) {
    send(j, new NewState(viewNumber, m.op(), List.copyOf(log.subList(m.op(), log.size())), commitNumber));
  }

  /**
   * The NewStates this replica takes: one of its own view that makes its log longer, or one of a
   * later view whose kept prefix it knows committed.
   */
  protected boolean takesNewState(NewState m) {
    if (m.op() > log.size()) {
      return false;
    }
    if (m.view() == viewNumber) {
      return status == VrStatus.NORMAL && m.op() + m.entries().size() > log.size();
    }
    return m.view() > viewNumber && m.op() <= commitNumber;
  }

  /** HandleNewState(i, j, m): the log after m.op replaced by the entries; normal in the NewState's view. */
  @SpecAction(value = "HandleNewState", self = "i")
  protected void handleNewState(@SpecParam("j") String j, @SpecParam("m") NewState m) {
    log.truncate(m.op());
    for (Command c : m.entries()) {
      log.append(c);
    }
    viewNumber = m.view();
    status = VrStatus.NORMAL;
    lastNormalView = m.view();
    commitNumber = Math.max(commitNumber, m.commit());
    resetAcks();
    startViewChanges.clear();
    doViewChanges.clear();
  }

  // ---- View change (§4.2) -------------------------------------------------------------------

  /** Moves to view v in status view-change and tells every other replica. */
  private void beginViewChange(int v) {
    viewNumber = v;
    status = VrStatus.VIEW_CHANGE;
    sentDoViewChange = false;
    for (String j : peers) {
      send(j, new StartViewChange(v));
    }
  }

  /** Timeout(i): a view change to the next view. */
  @SpecAction(value = "Timeout", self = "i")
  protected void timeout() {
    beginViewChange(viewNumber + 1);
    startViewChanges.clear();
    doViewChanges.clear();
  }

  /** HandleStartViewChange(i, j, m): one of a later view starts that view change; one of this view is counted. */
  @SpecAction(value = "HandleStartViewChange", self = "i")
  protected void handleStartViewChange(@SpecParam("j") String j, @SpecParam("m") StartViewChange m) {
    if (m.view() > viewNumber) {
      beginViewChange(m.view());
      startViewChanges.clear();
      doViewChanges.clear();
    }
    startViewChanges.add(j);
  }

  /** This replica's own DoViewChange for its view. */
  private DoViewChange ownDoViewChange() {
    return new DoViewChange(viewNumber, List.copyOf(log), lastNormalView, commitNumber);
  }

  private static ViewChangeRecord record(String from, DoViewChange m) {
    return new ViewChangeRecord(from, m.log(), m.lastNormalView(), m.commit());
  }

  /** Whether this view's DoViewChange was sent (or, by the new primary, kept). Not in the spec: msgs is a set there. */
  private boolean sentDoViewChange;

  private boolean sentDoViewChange() {
    return sentDoViewChange;
  }

  /** SendDoViewChange(i): F StartViewChanges of the view: DoViewChange to the new primary, or kept by it. */
  @SpecAction(value = "SendDoViewChange", self = "i")
  protected void sendDoViewChange() {
    sentDoViewChange = true;
    if (isPrimary()) {
      doViewChanges.add(record(id, ownDoViewChange()));
    } else {
      send(primary(viewNumber), ownDoViewChange());
    }
  }

  /** HandleDoViewChange(i, j, m): one of a later view starts that view change first; one of this view is kept. */
  @SpecAction(value = "HandleDoViewChange", self = "i")
  protected void handleDoViewChange(@SpecParam("j") String j, @SpecParam("m") DoViewChange m) {
    if (m.view() > viewNumber) {
      beginViewChange(m.view());
      startViewChanges.clear();
      doViewChanges.clear();
    }
    doViewChanges.add(record(j, m));
  }

  /** The new primary holds DoViewChanges from F+1 replicas, its own among them. */
  protected boolean mayStartView() {
    Set<String> senders = new TreeSet<>();
    for (ViewChangeRecord d : doViewChanges) {
      senders.add(d.from());
    }
    return senders.contains(id) && senders.size() >= doViewChangesToStart();
  }

  /** §4.2, step 3: the DoViewChanges a new primary waits for, F+1, its own among them. */
  protected int doViewChangesToStart() {
    return f + 1;
  }

  /** The DoViewChange whose log the new primary takes: the largest v', then the largest op-number. */
  protected ViewChangeRecord best(Set<ViewChangeRecord> d) {
    ViewChangeRecord best = null;
    for (ViewChangeRecord r : d) {
      if (best == null || r.lastNormalView() > best.lastNormalView()
          || (r.lastNormalView() == best.lastNormalView() && r.log().size() > best.log().size())) {
        best = r;
      }
    }
    return best;
  }

  /** StartView(i): the new primary takes the best log and the largest commit-number and starts its view. */
  @SpecAction(value = "StartView", self = "i")
  protected void startView() {
    List<Command> newLog = best(doViewChanges).log();
    int newCommit = 0;
    for (ViewChangeRecord d : doViewChanges) {
      newCommit = Math.max(newCommit, d.commit());
    }
    replaceLog(newLog);
    commitNumber = newCommit;
    for (String j : peers) {
      send(j, new StartView(viewNumber, newLog, newCommit));
    }
    status = VrStatus.NORMAL;
    lastNormalView = viewNumber;
    resetAcks();
    startViewChanges.clear();
    doViewChanges.clear();
  }

  /** HandleStartView(i, j, m): the new primary's log; normal in the view; PrepareOK for what is not committed. */
  @SpecAction(value = "HandleStartView", self = "i")
  protected void handleStartView(@SpecParam("j") String j, @SpecParam("m") StartView m) {
    int commit = Math.max(commitNumber, m.commit());
    replaceLog(m.log());
    commitNumber = commit;
    if (commit < m.log().size()) {
      send(j, new PrepareOk(m.view(), m.log().size()));
    }
    viewNumber = m.view();
    status = VrStatus.NORMAL;
    lastNormalView = m.view();
    resetAcks();
    startViewChanges.clear();
    doViewChanges.clear();
  }

  // ---- Recovery (§4.3) ----------------------------------------------------------------------

  /**
   * Restart(i, x): everything is gone (this replica was built anew after the crash); it is
   * recovering with nonce x and asks every other replica.
   */
  @SpecAction(value = "Restart", self = "i")
  protected void restart(@SpecParam("x") int x) {
    viewNumber = 0;
    status = VrStatus.RECOVERING;
    log.truncate(0);
    commitNumber = 0;
    lastNormalView = 0;
    resetAcks();
    startViewChanges.clear();
    doViewChanges.clear();
    nonce = x;
    recoveryResponses.clear();
    store = new KvStore();
    executed = 0;
    for (String j : peers) {
      send(j, new Recovery(x));
    }
    setTimer(RECOVERY_TIMER, RECOVERY_RETRY);
  }

  /** ResendRecovery(i): the same Recovery again. */
  @SpecAction(value = "ResendRecovery", self = "i")
  protected void resendRecovery() {
    for (String j : peers) {
      send(j, new Recovery(nonce));
    }
  }

  /** HandleRecovery(i, j, m): this replica's view; its log and commit-number only if it is the primary. */
  @SpecAction(value = "HandleRecovery", self = "i")
  protected void handleRecovery(@SpecParam("j") String j, @SpecParam("m") Recovery m) {
    boolean primary = isPrimary();
    send(j, new RecoveryResponse(viewNumber, m.nonce(), primary, primary ? List.copyOf(log) : List.of(),
        primary ? commitNumber : 0));
  }

  /** §4.3: a response answers this recovery when it carries its nonce. */
  protected boolean answersThisRecovery(RecoveryResponse m) {
    return m.nonce() == nonce;
  }

  /** A response no older than the one held from its sender: of a later view, or of the same with as long a log. */
  protected boolean noOlderResponse(String j, RecoveryResponse m) {
    for (ResponseRecord r : recoveryResponses) {
      if (r.from().equals(j) && (r.view() > m.view() || (r.view() == m.view() && r.log().size() > m.log().size()))) {
        return false;
      }
    }
    return true;
  }

  /** HandleRecoveryResponse(i, j, m): j's response kept, in place of the one held from j. */
  @SpecAction(value = "HandleRecoveryResponse", self = "i")
  protected void handleRecoveryResponse(@SpecParam("j") String j, @SpecParam("m") RecoveryResponse m) {
    recoveryResponses.removeIf(r -> r.from().equals(j));
    recoveryResponses.add(new ResponseRecord(j, m.view(), m.primary(), m.log(), m.commit()));
  }

  /** The response of the primary of the latest view among those held, if F+1 are held; else null. */
  protected ResponseRecord recoverFrom() {
    if (recoveryResponses.size() < f + 1) {
      return null;
    }
    int latest = 0;
    for (ResponseRecord r : recoveryResponses) {
      latest = Math.max(latest, r.view());
    }
    for (ResponseRecord r : recoveryResponses) {
      if (r.view() == latest && r.primary()) {
        return r;
      }
    }
    return null;
  }

  /** CompleteRecovery(i): the latest view, and its primary's log and commit-number; normal again. */
  @SpecAction(value = "CompleteRecovery", self = "i")
  protected void completeRecovery() {
    ResponseRecord p = recoverFrom();
    viewNumber = p.view();
    replaceLog(p.log());
    commitNumber = p.commit();
    lastNormalView = p.view();
    status = VrStatus.NORMAL;
    recoveryResponses.clear();
    cancelTimer(RECOVERY_TIMER);
  }

  // ---- The state machine --------------------------------------------------------------------

  /**
   * Executes the requests committed since the last call, in op-number order, and reports each;
   * the primary also answers their clients (a request executed again under its session gets the
   * answer it got the first time).
   */
  private void executeCommitted() {
    while (executed < Math.min(commitNumber, log.size())) {
      executed++;
      Command c = log.get(executed - 1);
      Result result = store.apply(c);
      deliver(new AppliedEntry(executed, c));
      if (status == VrStatus.NORMAL && isPrimary()) {
        deliver(KvReply.applied(c, result));
      }
    }
  }

  // ---- Helpers ------------------------------------------------------------------------------

  /** Arms the timers this replica's status and role call for. */
  private void armTimers() {
    if (status == VrStatus.NORMAL && isPrimary()) {
      cancelTimer(VIEW_TIMER);
      setTimer(HEARTBEAT_TIMER, HEARTBEAT);
    } else if (status != VrStatus.RECOVERING) {
      cancelTimer(HEARTBEAT_TIMER);
      setTimer(VIEW_TIMER, VIEW_CHANGE_TIMEOUT + random().nextLong(VIEW_CHANGE_TIMEOUT));
    }
  }

  private void replaceLog(List<Command> entries) {
    int keep = 0;
    while (keep < Math.min(log.size(), entries.size()) && log.get(keep).equals(entries.get(keep))) {
      keep++;
    }
    log.truncate(keep);
    for (int k = keep; k < entries.size(); k++) {
      log.append(entries.get(k));
    }
  }

  protected void resetAcks() {
    prepareOk.clear();
    for (String r : replicas) {
      prepareOk.put(r, 0);
    }
  }
}
