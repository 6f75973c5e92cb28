package spectrace.protocols.pbft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecLog;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.kv.AppliedEntry;
import spectrace.kv.Command;
import spectrace.kv.KvReply;
import spectrace.kv.KvRequest;
import spectrace.kv.KvStore;
import spectrace.kv.Result;
import spectrace.protocols.pbft.PbftMessage.Checkpoint;
import spectrace.protocols.pbft.PbftMessage.Commit;
import spectrace.protocols.pbft.PbftMessage.NewView;
import spectrace.protocols.pbft.PbftMessage.PrePrepare;
import spectrace.protocols.pbft.PbftMessage.Prepare;
import spectrace.protocols.pbft.PbftMessage.PreparedProof;
import spectrace.protocols.pbft.PbftMessage.ViewChange;

/**
 * A correct replica of PBFT.tla (Castro and Liskov, OSDI 1999, sec. 4; signatures as in TOCS
 * 2002, sec. 2.3): the normal case, checkpoints and the water marks, the view change, serving
 * the replicated key-value store.
 *
 * <p>Each {@link SpecVar} field is this replica's entry of the spec variable of the same name;
 * each {@link SpecAction} method is the spec action of its name, with {@code r} this replica,
 * and sends what the action adds to {@code msgs} (to every other replica: {@code msgs} is a
 * broadcast medium). Receiving a PREPARE, COMMIT, CHECKPOINT or VIEW-CHANGE is no spec action
 * (the spec evaluates certificates over {@code msgs}): it only files the message, which may
 * then enable an action. Every certificate a replica acts on is one it holds, signed: a subset
 * of what {@code msgs} holds, so that what it does is what the spec allows.
 *
 * <p>Every message is checked before it is filed: its signature, its sender against the link's
 * (authenticated links: a replica cannot speak for another), a PRE-PREPARE's digest against its
 * request, and a VIEW-CHANGE's or NEW-VIEW's proofs, message by message. One that fails is
 * rejected, counted in {@link #rejected()}, and never acted on.
 *
 * <p>Timing (partial synchrony, OSDI sec. 4.5.2): a replica that holds a client's request it
 * has not executed starts a timer of {@link #VIEW_CHANGE_TIMEOUT} ticks; if nothing was
 * executed when it fires, it starts a view change, and a view change that does not complete in
 * twice that time moves on to the next view. A replica that sees f+1 VIEW-CHANGEs for the view
 * after its own joins them (OSDI sec. 4.5.2), so that one slow timer cannot hold a view change
 * back.
 */
public class PbftReplica extends ProtocolNode<PbftMessage> {

  /** Ticks a replica waits, with a request pending, for something to execute. */
  public static final long VIEW_CHANGE_TIMEOUT = 600;
  /** K: a checkpoint every K executed requests (PBFT.tla's CheckpointPeriod). */
  public static final int CHECKPOINT_PERIOD = 8;
  /** L: the sequence numbers above the low water mark a replica accepts (PBFT.tla's LogSize). */
  public static final int LOG_SIZE = 2 * CHECKPOINT_PERIOD;

  static final String VIEW_TIMER = "view";

  /** The null request of OSDI sec. 4.4, as PBFT.tla's Null: it executes as nothing. */
  public static final Command NULL = Pbft.NULL_REQUEST;

  // ---- PBFT.tla's per-replica variables -----------------------------------------------------

  @SpecVar(value = "view", indexed = true)
  protected int view;

  @SpecVar(value = "status", indexed = true)
  protected PbftStatus status = PbftStatus.NORMAL;

  /** The pre-prepares this replica accepted (a primary: sent), above its low water mark. */
  @SpecVar(value = "pp", indexed = true)
  protected final Set<Entry> pp = new LinkedHashSet<>();

  @SpecVar(value = "executed", indexed = true)
  protected final SpecLog<Command> executed = new SpecLog<>();

  /** The last stable checkpoint: the low water mark h. */
  @SpecVar(value = "stable", indexed = true)
  protected long stable;

  // ---- Not in the spec: what a real replica keeps ---------------------------------------------

  protected final List<String> replicas;
  protected final List<String> peers;
  /** F, of 3F+1 replicas. */
  protected final int f;
  private final PbftKeys keys;

  /** The client requests this replica holds, by (client, seq), and those not yet pre-prepared (a primary's queue). */
  private final Set<Command> requested = new HashSet<>();
  private final ArrayDeque<Command> queue = new ArrayDeque<>();
  /** Pre-prepares waiting for the client's request they carry to reach this replica. */
  private final List<PrePrepare> waiting = new ArrayList<>();
  /**
   * Pre-prepares of the view this replica is changing to, or the one after, that came before
   * its NEW-VIEW (links reorder): taken once the replica enters their view. At most
   * {@link #LOG_SIZE} per view, so that a faulty primary of the next view cannot crowd out the
   * current one's.
   */
  private final List<PrePrepare> early = new ArrayList<>();
  /** The signed pre-prepare of each entry in pp. */
  private final Map<Entry, PrePrepare> prePrepares = new HashMap<>();
  /** The PREPAREs, COMMITs received (and sent), by entry and sender. */
  private final Map<Entry, Map<String, Prepare>> prepares = new HashMap<>();
  private final Map<Entry, Map<String, Commit>> commits = new HashMap<>();
  /** The entries this replica sent COMMITs for: what it prepared (PBFT.tla's PreparedSet). */
  private final Set<Entry> committedTo = new HashSet<>();
  /** The CHECKPOINTs received (and sent), by sequence number, digest and sender. */
  private final Map<Long, Map<List<Command>, Map<String, Checkpoint>>> checkpoints = new TreeMap<>();
  /** The proof of the stable checkpoint: 2f+1 CHECKPOINTs. */
  private List<Checkpoint> stableProof = List.of();
  /** The VIEW-CHANGEs received (and sent), by view and sender. */
  private final Map<Integer, Map<String, ViewChange>> viewChanges = new TreeMap<>();
  /** NEW-VIEWs that this replica cannot take yet (it has not executed up to their checkpoint). */
  private final List<NewView> laterNewViews = new ArrayList<>();

  /** The state machine, the requests it executed (at most once each), and the last reply per client. */
  private final KvStore store = new KvStore();
  private final Set<Command> done = new HashSet<>();
  private final Map<String, KvReply> lastReply = new HashMap<>();

  /** How many requests were executed when the view timer was set; whether it runs. */
  private int executedAtArm = -1;
  private long timeout = VIEW_CHANGE_TIMEOUT;
  private int rejected;
  /** Replica {@code id} of {@code replicas} (3F+1 of them, in order), signing with {@code keys}. */
  public PbftReplica(String id, List<String> replicas, PbftKeys keys) {
    super(id);
    if (!replicas.contains(id)) {
      throw new IllegalArgumentException(id + " is not one of the replicas " + replicas);
    }
    if (replicas.size() < 4 || replicas.size() % 3 != 1) {
      throw new IllegalArgumentException("PBFT needs 3F+1 replicas, F >= 1, not " + replicas.size());
    }
    this.replicas = List.copyOf(replicas);
    this.peers = this.replicas.stream().filter(r -> !r.equals(id)).toList();
    this.f = (replicas.size() - 1) / 3;
    this.keys = keys;
  }

  // ---- What tests and invariants look at ----------------------------------------------------

  public int view() {
    return view;
  }

  public PbftStatus status() {
    return status;
  }

  public long stable() {
    return stable;
  }

  /** The requests executed, in sequence-number order (a copy; NULL for the null request). */
  public List<Command> executed() {
    return List.copyOf(executed);
  }

  /** How many requests it executed. */
  public int executedCount() {
    return executed.size();
  }

  /** The request it executed at sequence number {@code n} (from 1). */
  public Command executedAt(int n) {
    return executed.get(n - 1);
  }

  /** The keys this replica signs and checks with. */
  PbftKeys keys() {
    return keys;
  }

  /** Messages this replica rejected: a bad signature, a sender not the link's, a wrong digest, a false proof. */
  public int rejected() {
    return rejected;
  }

  public String primary(int v) {
    return replicas.get(v % replicas.size());
  }

  public boolean isPrimary() {
    return primary(view).equals(id);
  }

  // ---- Inputs -------------------------------------------------------------------------------

  @Override
  public void start() {}

  @Override
  public void onRequest(Object request) {
    if (!(request instanceof KvRequest kr)) {
      return;
    }
    Command q = kr.command();
    if (done.contains(q)) {
      KvReply last = lastReply.get(q.client());
      if (last != null && last.seq() == q.seq()) {
        deliver(last); // the client asks again: its reply stands
      }
      return;
    }
    if (requested.add(q)) {
      clientRequest(q);
      if (isPrimary()) {
        queue.add(q);
      }
      for (PrePrepare m : List.copyOf(waiting)) {
        if (m.req().equals(q)) {
          waiting.remove(m);
          takePrePrepare(m);
        }
      }
    }
    armTimer();
    progress();
  }

  @Override
  public void onTimer(String name) {
    if (!VIEW_TIMER.equals(name)) {
      return;
    }
    boolean stuck = executed.size() == executedAtArm;
    executedAtArm = -1;
    if (status == PbftStatus.VIEW_CHANGE || stuck && pending()) {
      timeout = status == PbftStatus.VIEW_CHANGE ? timeout * 2 : VIEW_CHANGE_TIMEOUT;
      startViewChange(view + 1);
    }
    armTimer();
    progress();
  }

  @Override
  public void onMessage(String from, PbftMessage msg) {
    if (!peers.contains(from) || !msg.from().equals(from)) {
      rejectFor("sender");
      return;
    }
    if (!signed(msg)) {
      rejectFor("signature");
      return;
    }
    if (msg instanceof PrePrepare m) {
      if (!digestMatches(m)) {
        rejectFor("digest");
        return;
      }
      if (m.view() > view || m.view() == view && status == PbftStatus.VIEW_CHANGE) {
        keepEarly(m);
        return;
      }
      receivePrePrepare(m);
    } else if (msg instanceof Prepare m) {
      if (!m.from().equals(primary(m.view()))) {
        prepares.computeIfAbsent(m.entry(), k -> new TreeMap<>()).putIfAbsent(m.from(), m);
      }
    } else if (msg instanceof Commit m) {
      commits.computeIfAbsent(m.entry(), k -> new TreeMap<>()).putIfAbsent(m.from(), m);
    } else if (msg instanceof Checkpoint m) {
      if (m.seq() > stable) {
        fileCheckpoint(m);
      }
    } else if (msg instanceof ViewChange m) {
      if (!validViewChange(m)) {
        rejectFor("proof");
        return;
      }
      fileViewChange(m);
      if (m.view() == view + 1 && viewChanges.get(m.view()).size() >= f + 1) {
        startViewChange(view + 1); // f+1 replicas moved on: at least one correct one did
        restartTimer();
      }
    } else if (msg instanceof NewView m) {
      if (!validNewView(m)) {
        rejectFor("proof");
        return;
      }
      laterNewViews.add(m);
    }
    progress();
  }

  // ---- The client (OSDI sec. 4.1) -----------------------------------------------------------

  /** ClientRequest(r, q): the client's request reached this replica. */
  @SpecAction(value = "ClientRequest", self = "r")
  protected void clientRequest(@SpecParam("q") Command q) {}

  // ---- Normal case (OSDI sec. 4.2) ----------------------------------------------------------

  /** Whether n is within the water marks (PBFT.tla's InWindow). */
  protected boolean inWindow(long n) {
    return stable < n && n <= stable + LOG_SIZE;
  }

  /** The sequence number a primary assigns next: the one after those it assigned in its view. */
  protected long nextSeq() {
    long n = stable;
    for (Entry e : pp) {
      if (e.view() == view) {
        n = Math.max(n, e.seq());
      }
    }
    return n + 1;
  }

  /** Whether the primary may assign its next sequence number to q (SendPrePrepare's guard). */
  protected boolean mayPrePrepare(long n, Command q) {
    if (status != PbftStatus.NORMAL || !isPrimary() || done.contains(q) || !inWindow(n)) {
      return false;
    }
    for (long k = stable + 1; k < n; k++) {
      if (!assigned(k)) {
        return false;
      }
    }
    for (Entry e : pp) {
      if (e.view() == view && (e.seq() == n || e.req().equals(q))) {
        return false;
      }
    }
    return true;
  }

  private boolean assigned(long k) {
    for (Entry e : pp) {
      if (e.view() == view && e.seq() == k) {
        return true;
      }
    }
    return false;
  }

  /** SendPrePrepare(r, n, q): the primary assigns n to q and tells the backups. */
  @SpecAction(value = "SendPrePrepare", self = "r")
  protected void sendPrePrepare(@SpecParam("n") long n, @SpecParam("q") Command q) {
    PrePrepare m = sign(new PrePrepare(view, n, q, PbftKeys.digest(q), id, null));
    pp.add(m.entry());
    prePrepares.put(m.entry(), m);
    broadcast(m);
  }

  /** Whether a PRE-PREPARE's digest is its request's (OSDI sec. 4.2): one whose is not is rejected. */
  protected boolean digestMatches(PrePrepare m) {
    return PbftKeys.digest(m.req()).equals(m.digest());
  }

  /** HandlePrePrepare's guard, but for the request, which the replica must hold. */
  protected boolean acceptable(PrePrepare m) {
    if (status != PbftStatus.NORMAL || m.view() != view || !m.from().equals(primary(m.view())) || id.equals(m.from())
        || !inWindow(m.seq()) || pp.contains(m.entry())) {
      return false;
    }
    for (Entry e : pp) {
      if (e.view() == m.view() && e.seq() == m.seq() && !e.req().equals(m.req())) {
        return false; // a second pre-prepare for the sequence number: the primary equivocates
      }
    }
    return true;
  }

  private void receivePrePrepare(PrePrepare m) {
    if (!requested.contains(m.req()) && acceptable(m)) {
      waiting.add(m); // the client's request has not reached this replica yet
      return;
    }
    takePrePrepare(m);
  }

  private void keepEarly(PrePrepare m) {
    if (m.view() <= view + 1 && m.from().equals(primary(m.view()))
        && early.stream().filter(e -> e.view() == m.view()).count() < LOG_SIZE) {
      early.add(m);
    }
  }

  /** The early pre-prepares of the view just entered, received now; those of views left behind, dropped. */
  private void takeEarly() {
    List<PrePrepare> now = new ArrayList<>();
    early.removeIf(m -> {
      if (m.view() < view || m.view() == view && status == PbftStatus.NORMAL) {
        if (m.view() == view) {
          now.add(m);
        }
        return true;
      }
      return false;
    });
    for (PrePrepare m : now) {
      receivePrePrepare(m);
    }
  }

  private void takePrePrepare(PrePrepare m) {
    if (requested.contains(m.req()) && acceptable(m)) {
      handlePrePrepare(m);
    }
  }

  /** HandlePrePrepare(r, m): a backup accepts the primary's PRE-PREPARE and sends its PREPARE. */
  @SpecAction(value = "HandlePrePrepare", self = "r")
  protected void handlePrePrepare(@SpecParam("m") PrePrepare m) {
    pp.add(m.entry());
    prePrepares.put(m.entry(), m);
    sendPrepare(m.entry());
  }

  private void sendPrepare(Entry e) {
    Prepare p = sign(new Prepare(e.view(), e.seq(), e.req(), id, null));
    prepares.computeIfAbsent(e, k -> new TreeMap<>()).putIfAbsent(id, p);
    broadcast(p);
  }

  /** prepared(m, v, n, i): the entry's pre-prepare and 2f PREPAREs from distinct backups, held. */
  protected boolean prepared(Entry e) {
    return pp.contains(e) && prePrepares.containsKey(e) && prepares.getOrDefault(e, Map.of()).size() >= preparesNeeded();
  }

  /** The PREPAREs a certificate needs besides the pre-prepare: 2f. */
  protected int preparesNeeded() {
    return 2 * f;
  }

  /** The COMMITs committed-local needs: 2f+1. */
  protected int commitsNeeded() {
    return 2 * f + 1;
  }

  /** SendCommit(r, v, n, q): prepared in its view, the replica sends its COMMIT. */
  @SpecAction(value = "SendCommit", self = "r")
  protected void sendCommit(@SpecParam("v") int v, @SpecParam("n") long n, @SpecParam("q") Command q) {
    Entry e = new Entry(v, n, q);
    committedTo.add(e);
    Commit c = sign(new Commit(v, n, q, id, null));
    commits.computeIfAbsent(e, k -> new TreeMap<>()).putIfAbsent(id, c);
    broadcast(c);
  }

  /** committed-local(m, v, n, i): prepared, and 2f+1 COMMITs. */
  protected boolean committedLocal(Entry e) {
    return prepared(e) && commits.getOrDefault(e, Map.of()).size() >= commitsNeeded();
  }

  /** Execute(r, v, q): the request committed-local at the next sequence number, at most once, then a checkpoint. */
  @SpecAction(value = "Execute", self = "r")
  protected void execute(@SpecParam("v") int v, @SpecParam("q") Command q) {
    long n = executed.size() + 1;
    boolean first = !q.equals(NULL) && done.add(q);
    executed.append(first ? q : NULL);
    deliver(new AppliedEntry((int) n, first ? q : NULL));
    if (first) {
      Result result = store.apply(q);
      KvReply reply = KvReply.applied(q, result);
      lastReply.put(q.client(), reply);
      deliver(reply);
    }
    if (n % CHECKPOINT_PERIOD == 0) {
      Checkpoint c = sign(new Checkpoint(n, digest(n), id, null));
      fileCheckpoint(c);
      broadcast(c);
    }
  }

  /** PBFT.tla's Digest(executed, n): the K requests executed up to checkpoint n. */
  protected List<Command> digest(long n) {
    return n == 0 ? List.of() : List.copyOf(executed.subList((int) (n - CHECKPOINT_PERIOD), (int) n));
  }

  // ---- Checkpoints (OSDI sec. 4.3) ----------------------------------------------------------

  private void fileCheckpoint(Checkpoint c) {
    checkpoints.computeIfAbsent(c.seq(), k -> new HashMap<>())
        .computeIfAbsent(c.digest(), k -> new TreeMap<>()).putIfAbsent(c.from(), c);
  }

  /** The matching CHECKPOINTs that make a checkpoint stable: 2f+1. */
  protected int checkpointsNeeded() {
    return 2 * f + 1;
  }

  /** The checkpoint above h with 2f+1 CHECKPOINTs that agree with this replica's own state, or 0. */
  private long stableCandidate() {
    long best = 0;
    for (Map.Entry<Long, Map<List<Command>, Map<String, Checkpoint>>> e : checkpoints.entrySet()) {
      long n = e.getKey();
      if (n > stable && n <= executed.size()) {
        Map<String, Checkpoint> agreeing = e.getValue().get(digest(n));
        if (agreeing != null && agreeing.size() >= checkpointsNeeded()) {
          best = n;
        }
      }
    }
    return best;
  }

  /** StableCheckpoint(r, n): the low water mark moves to n; what lies below is discarded. */
  @SpecAction(value = "StableCheckpoint", self = "r")
  protected void stableCheckpoint(@SpecParam("n") long n) {
    stableProof = List.copyOf(checkpoints.get(n).get(digest(n)).values()).subList(0, checkpointsNeeded());
    stable = n;
    pp.removeIf(e -> e.seq() <= n);
    prePrepares.keySet().removeIf(e -> e.seq() <= n);
    prepares.keySet().removeIf(e -> e.seq() <= n);
    commits.keySet().removeIf(e -> e.seq() <= n);
    committedTo.removeIf(e -> e.seq() <= n);
    checkpoints.keySet().removeIf(k -> k < n);
    waiting.removeIf(m -> m.seq() <= n);
  }

  // ---- View change (OSDI sec. 4.4) ----------------------------------------------------------

  /** PBFT.tla's PreparedSet: per sequence number above h, the latest entry this replica sent a COMMIT for. */
  protected List<Entry> preparedSet() {
    Map<Long, Entry> latest = new TreeMap<>();
    for (Entry e : pp) {
      if (e.seq() > stable && committedTo.contains(e)) {
        Entry o = latest.get(e.seq());
        if (o == null || o.view() < e.view()) {
          latest.put(e.seq(), e);
        }
      }
    }
    return new ArrayList<>(latest.values());
  }

  /** StartViewChange(r, v): to view v = view + 1, with the checkpoint and P, each with its proof. */
  @SpecAction(value = "StartViewChange", self = "r")
  protected void startViewChange(@SpecParam("v") int v) {
    view = v;
    status = PbftStatus.VIEW_CHANGE;
    List<Entry> p = preparedSet();
    List<PreparedProof> proofs = new ArrayList<>();
    for (Entry e : p) {
      List<Prepare> ps = new ArrayList<>(prepares.get(e).values());
      proofs.add(new PreparedProof(e, prePrepares.get(e), ps.subList(0, preparesNeeded())));
    }
    ViewChange m = sign(new ViewChange(v, stable, digest(stable), p, stable == 0 ? List.of() : stableProof, proofs,
        id, null));
    fileViewChange(m);
    broadcast(m);
  }

  private void fileViewChange(ViewChange m) {
    viewChanges.computeIfAbsent(m.view(), k -> new TreeMap<>()).putIfAbsent(m.from(), m);
  }

  /** The VIEW-CHANGEs of distinct replicas a NEW-VIEW needs: 2f+1. */
  protected int viewChangesNeeded() {
    return 2 * f + 1;
  }

  /** The VIEW-CHANGEs a NEW-VIEW for this replica's view uses: its own and the first 2f others. */
  private List<ViewChange> newViewSet() {
    Map<String, ViewChange> held = viewChanges.getOrDefault(view, Map.of());
    if (!held.containsKey(id) || held.size() < viewChangesNeeded()) {
      return null;
    }
    List<ViewChange> v = new ArrayList<>();
    v.add(held.get(id));
    for (ViewChange m : held.values()) {
      if (v.size() < viewChangesNeeded() && !m.from().equals(id)) {
        v.add(m);
      }
    }
    return v;
  }

  /** SendNewView(r, V): the new primary starts its view on V, re-issuing O. */
  @SpecAction(value = "SendNewView", self = "r")
  protected void sendNewView(@SpecParam("V") List<ViewChange> vcs) {
    List<PrePrepare> o = new ArrayList<>();
    for (Entry e : newViewPrePrepares(view, vcs)) {
      o.add(sign(new PrePrepare(e.view(), e.seq(), e.req(), PbftKeys.digest(e.req()), id, null)));
    }
    NewView nv = sign(new NewView(view, vcs, o, id, null));
    status = PbftStatus.NORMAL;
    broadcast(nv);
    for (PrePrepare m : o) {
      pp.add(m.entry());
      prePrepares.put(m.entry(), m);
      broadcast(m);
    }
    fileProofs(vcs);
  }

  /** HandleNewView(r, m): a backup enters the NEW-VIEW's view and prepares O within its water marks. */
  @SpecAction(value = "HandleNewView", self = "r")
  protected void handleNewView(@SpecParam("m") NewView m) {
    view = m.view();
    status = PbftStatus.NORMAL;
    for (PrePrepare p : m.prePrepares()) {
      if (inWindow(p.seq())) {
        pp.add(p.entry());
        prePrepares.put(p.entry(), p);
        sendPrepare(p.entry());
      }
    }
    fileProofs(m.vcs());
  }

  /** Files the checkpoints a NEW-VIEW's V proves, so that this replica's low water mark can follow. */
  private void fileProofs(List<ViewChange> vcs) {
    for (ViewChange c : vcs) {
      for (Checkpoint k : c.ckptProof()) {
        if (k.seq() > stable) {
          fileCheckpoint(k);
        }
      }
    }
  }

  /** PBFT.tla's NewViewPrePrepares: O, from min-s, max-s and the latest prepared entry of each sequence number. */
  protected List<Entry> newViewPrePrepares(int v, List<ViewChange> vcs) {
    long minS = 0;
    List<Entry> entries = new ArrayList<>();
    for (ViewChange c : vcs) {
      minS = Math.max(minS, c.ckpt());
      entries.addAll(c.prepared());
    }
    long maxS = minS;
    for (Entry e : entries) {
      maxS = Math.max(maxS, e.seq());
    }
    List<Entry> o = new ArrayList<>();
    for (long n = minS + 1; n <= maxS; n++) {
      Entry best = null;
      for (Entry e : entries) {
        if (e.seq() == n && (best == null || e.view() > best.view())) {
          best = e;
        }
      }
      o.add(new Entry(v, n, best == null ? NULL : best.req()));
    }
    return o;
  }

  private static long newViewCheckpoint(List<ViewChange> vcs) {
    long minS = 0;
    for (ViewChange c : vcs) {
      minS = Math.max(minS, c.ckpt());
    }
    return minS;
  }

  // ---- Checks of what is received --------------------------------------------------------------

  /** Whether {@code m} carries its sender's signature of its body (PbftKeys remembers the checks it made). */
  private boolean signed(PbftMessage m) {
    return keys.verify(m.from(), m.body(), m.sig());
  }

  /** ValidViewChange: signed, its checkpoint proved (or 0), each entry of P proved, above it, of an earlier view. */
  protected boolean validViewChange(ViewChange m) {
    if (!signed(m)) {
      return false;
    }
    if (m.ckpt() > 0) {
      Set<String> senders = new HashSet<>();
      for (Checkpoint c : m.ckptProof()) {
        if (c.seq() == m.ckpt() && c.digest().equals(m.digest()) && signed(c)) {
          senders.add(c.from());
        }
      }
      if (senders.size() < checkpointsNeeded()) {
        return false;
      }
    }
    Map<Entry, PreparedProof> proofs = new HashMap<>();
    for (PreparedProof p : m.proofs()) {
      proofs.put(p.entry(), p);
    }
    for (Entry e : m.prepared()) {
      PreparedProof p = proofs.get(e);
      if (e.seq() <= m.ckpt() || e.view() >= m.view() || p == null || !validPrepared(p)) {
        return false;
      }
    }
    return true;
  }

  private boolean validPrepared(PreparedProof p) {
    Entry e = p.entry();
    PrePrepare pre = p.prePrepare();
    if (pre == null || !pre.entry().equals(e) || !pre.from().equals(primary(e.view())) || !digestMatches(pre)
        || !signed(pre)) {
      return false;
    }
    Set<String> senders = new HashSet<>();
    for (Prepare q : p.prepares()) {
      if (q.entry().equals(e) && !q.from().equals(primary(e.view())) && signed(q)) {
        senders.add(q.from());
      }
    }
    return senders.size() >= preparesNeeded();
  }

  /** ValidNewView, and O as this replica computes it from V, signed by the primary. */
  protected boolean validNewView(NewView m) {
    if (!m.from().equals(primary(m.view())) || !signed(m)) {
      return false;
    }
    Set<String> senders = new HashSet<>();
    for (ViewChange c : m.vcs()) {
      if (c.view() != m.view() || !senders.add(c.from()) || !validViewChange(c)) {
        return false;
      }
    }
    if (senders.size() < viewChangesNeeded()) {
      return false;
    }
    List<Entry> o = newViewPrePrepares(m.view(), m.vcs());
    if (o.size() != m.prePrepares().size()) {
      return false;
    }
    for (int k = 0; k < o.size(); k++) {
      PrePrepare p = m.prePrepares().get(k);
      if (!p.entry().equals(o.get(k)) || !p.from().equals(m.from()) || !digestMatches(p) || !signed(p)) {
        return false;
      }
    }
    return true;
  }

  /** Rejects the message received, for {@code reason}: counted here, logged by the runtime. */
  private void rejectFor(String reason) {
    rejected++;
    reject(reason);
  }

  // ---- What is enabled next -------------------------------------------------------------------

  /** Takes every action the replica's state now enables, until none is. */
  private void progress() {
    boolean more = true;
    while (more) {
      more = false;
      if (status == PbftStatus.NORMAL) {
        for (Entry e : List.copyOf(pp)) {
          if (e.view() == view && !committedTo.contains(e) && prepared(e)) {
            sendCommit(e.view(), e.seq(), e.req());
            more = true;
          }
        }
      }
      Entry next = executable();
      if (next != null) {
        execute(next.view(), next.req());
        more = true;
        armTimer();
      }
      long n = stableCandidate();
      if (n > 0) {
        stableCheckpoint(n);
        more = true;
      }
      if (status == PbftStatus.NORMAL && isPrimary()) {
        while (!queue.isEmpty() && (done.contains(queue.peek()) || assignedInView(queue.peek()))) {
          queue.poll();
        }
        if (!queue.isEmpty() && mayPrePrepare(nextSeq(), queue.peek())) {
          sendPrePrepare(nextSeq(), queue.poll());
          more = true;
        }
      }
      if (status == PbftStatus.VIEW_CHANGE && isPrimary()) {
        List<ViewChange> vcs = newViewSet();
        if (vcs != null && newViewCheckpoint(vcs) <= executed.size()) {
          sendNewView(vcs);
          requeue();
          more = true;
          restartTimer();
        }
      }
      for (NewView m : List.copyOf(laterNewViews)) {
        if (m.view() < view || m.view() == view && status == PbftStatus.NORMAL) {
          laterNewViews.remove(m);
        } else if (!m.from().equals(id) && newViewCheckpoint(m.vcs()) <= executed.size()) {
          laterNewViews.remove(m);
          handleNewView(m);
          takeEarly();
          more = true;
          restartTimer();
        }
      }
    }
  }

  private boolean assignedInView(Command q) {
    for (Entry e : pp) {
      if (e.view() == view && e.req().equals(q)) {
        return true;
      }
    }
    return false;
  }

  /** A new primary queues the requests it holds that are neither executed nor in its view's log. */
  private void requeue() {
    queue.clear();
    for (Command q : requested) {
      if (!done.contains(q) && !assignedInView(q)) {
        queue.add(q);
      }
    }
    List<Command> sorted = new ArrayList<>(queue);
    sorted.sort(java.util.Comparator.comparing(Command::client).thenComparingLong(Command::seq));
    queue.clear();
    queue.addAll(sorted);
  }

  /** The entry committed-local at the next sequence number, if any: what Execute takes next. */
  protected Entry executable() {
    long n = executed.size() + 1;
    for (Entry e : pp) {
      if (e.seq() == n && committedLocal(e)) {
        return e;
      }
    }
    return null;
  }

  /** Whether a client's request this replica holds is not executed yet. */
  private boolean pending() {
    for (Command q : requested) {
      if (!done.contains(q)) {
        return true;
      }
    }
    return false;
  }

  /** A view began or a view change did: the timer starts afresh, at the normal timeout once in a view. */
  private void restartTimer() {
    if (status == PbftStatus.NORMAL) {
      timeout = VIEW_CHANGE_TIMEOUT;
    }
    executedAtArm = -1;
    armTimer();
  }

  /** Sets the view timer, unless it runs: while a request is pending, or a view change is on. */
  private void armTimer() {
    if (executedAtArm >= 0 && executedAtArm == executed.size()) {
      return;
    }
    if (status == PbftStatus.VIEW_CHANGE || pending()) {
      executedAtArm = executed.size();
      setTimer(VIEW_TIMER, timeout + random().nextLong(timeout / 4 + 1));
    } else {
      executedAtArm = -1;
      cancelTimer(VIEW_TIMER);
    }
  }

  @SuppressWarnings("unchecked")
  private <T extends PbftMessage> T sign(T m) {
    return (T) m.withSig(keys.sign(m.body()));
  }

  private void broadcast(PbftMessage m) {
    for (String j : peers) {
      send(j, m);
    }
  }
}
