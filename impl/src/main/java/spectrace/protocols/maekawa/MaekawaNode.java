package spectrace.protocols.maekawa;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.protocols.maekawa.MaekawaMessage.Failed;
import spectrace.protocols.maekawa.MaekawaMessage.Grant;
import spectrace.protocols.maekawa.MaekawaMessage.Inquire;
import spectrace.protocols.maekawa.MaekawaMessage.Release;
import spectrace.protocols.maekawa.MaekawaMessage.Request;
import spectrace.protocols.maekawa.MaekawaMessage.Yield;

/**
 * A node of Maekawa.tla: a requester, which collects its quorum's votes to enter the critical
 * section, and an arbiter, which gives its one vote to one request at a time.
 *
 * <p>Each field below holds this node's entry of the spec variable of the same name. Each
 * {@link SpecAction} method is the spec action of its name, with {@code i} this node and
 * {@code j} the other end of the message; the handlers call one only where the spec enables
 * it. The workload's {@link Want}s arrive at any time: one that finds the node busy waits
 * until the node has left the critical section. Entering the critical section delivers the
 * want it serves to the application (the simulator counts deliveries).
 */
public class MaekawaNode extends ProtocolNode<MaekawaMessage> {

  /** The timer that ends a stay in the critical section. */
  static final String EXIT = "exit-cs";

  // ---- The requester's variables ---------------------------------------------------------

  @SpecVar(value = "state", indexed = true)
  protected CsState state = CsState.RELEASED;

  @SpecVar(value = "clock", indexed = true)
  protected int clock;

  @SpecVar(value = "grants", indexed = true)
  protected final Set<String> grants = new TreeSet<>();

  @SpecVar(value = "failed", indexed = true)
  protected final Set<String> failed = new TreeSet<>();

  @SpecVar(value = "inquirers", indexed = true)
  protected final Set<String> inquirers = new TreeSet<>();

  // ---- The arbiter's variables -----------------------------------------------------------

  @SpecVar(value = "voted", indexed = true)
  protected boolean voted;

  @SpecVar(value = "votedFor", indexed = true)
  protected Timestamp votedFor = Timestamp.NONE;

  /** The waiting requests, first to come first (in the order {@link #before} defines). */
  @SpecVar(value = "queue", indexed = true)
  protected final NavigableSet<Timestamp> queue = new TreeSet<>((a, b) -> before(a, b) ? -1 : before(b, a) ? 1 : 0);

  @SpecVar(value = "inquiring", indexed = true)
  protected boolean inquiring;

  // ---- Not in the spec -------------------------------------------------------------------

  /** Quorum[i]: the nodes whose votes this node needs, in node order. */
  protected final List<String> quorum;
  /** Wants that arrived while the node was busy, oldest first. */
  private final Deque<Want> pending = new ArrayDeque<>();
  /** The want being served: the request under way, then the stay in the critical section. */
  private Want serving;

  public MaekawaNode(String id, List<String> quorum) {
    super(id);
    if (!quorum.contains(id)) {
      throw new IllegalArgumentException(id + " is not in its own quorum " + quorum);
    }
    this.quorum = List.copyOf(quorum);
  }

  /** This node's state towards the critical section. */
  public CsState state() {
    return state;
  }

  /** The nodes whose vote this node holds. */
  public Set<String> grants() {
    return Set.copyOf(grants);
  }

  /** Before(a, b): request a comes first (a mutant overrides it). */
  protected boolean before(Timestamp a, Timestamp b) {
    return a.before(b);
  }

  // ---- Inputs ------------------------------------------------------------------------------

  @Override
  public void onRequest(Object request) {
    if (request instanceof Want w) {
      pending.addLast(w);
      if (state == CsState.RELEASED) {
        requestNext();
      }
    }
  }

  @Override
  public void onTimer(String name) {
    if (name.equals(EXIT) && state == CsState.HELD) {
      exitCS();
      if (!pending.isEmpty()) {
        requestNext();
      }
    }
  }

  @Override
  public void onMessage(String from, MaekawaMessage msg) {
    if (msg instanceof Request r) {
      rcvRequest(from, r.ts());
    } else if (msg instanceof Grant) {
      rcvGrant(from);
      if (state == CsState.WANTED && grants.size() == quorum.size()) {
        enterCS();
      }
    } else if (msg instanceof Failed) {
      rcvFailed(from);
      yieldToInquirers();
    } else if (msg instanceof Inquire) {
      rcvInquire(from);
      yieldToInquirers();
    } else if (msg instanceof Yield) {
      rcvYield(from);
    } else if (msg instanceof Release) {
      rcvRelease(from);
    }
  }

  private void requestNext() {
    serving = pending.removeFirst();
    requestCS();
  }

  /** Yield(i, j) for every j it is enabled for: once some arbiter has failed this node. */
  private void yieldToInquirers() {
    if (state == CsState.WANTED && !failed.isEmpty()) {
      for (String j : new ArrayList<>(inquirers)) {
        yieldVote(j);
      }
    }
  }

  // ---- The requester's actions ---------------------------------------------------------------

  /** RequestCS(i): the clock ticks, and the quorum is asked for its votes. */
  @SpecAction(value = "RequestCS", self = "i")
  protected void requestCS() {
    state = CsState.WANTED;
    clock++;
    Timestamp ts = new Timestamp(clock, id);
    for (String j : quorum) {
      send(j, new Request(ts));
    }
  }

  /** RcvGrant(i, j): j's vote. */
  @SpecAction(value = "RcvGrant", self = "i")
  protected void rcvGrant(@SpecParam("j") String j) {
    grants.add(j);
    failed.remove(j);
  }

  /** EnterCS(i): every vote of the quorum is in; the application has the critical section. */
  @SpecAction(value = "EnterCS", self = "i")
  protected void enterCS() {
    state = CsState.HELD;
    inquirers.clear();
    deliver(serving);
    setTimer(EXIT, serving.holdFor());
  }

  /** ExitCS(i): every vote goes back. */
  @SpecAction(value = "ExitCS", self = "i")
  protected void exitCS() {
    state = CsState.RELEASED;
    grants.clear();
    for (String j : quorum) {
      send(j, new Release());
    }
  }

  /** RcvFailed(i, j): at j, another request comes first. */
  @SpecAction(value = "RcvFailed", self = "i")
  protected void rcvFailed(@SpecParam("j") String j) {
    failed.add(j);
  }

  /**
   * RcvInquire(i, j): j wants its vote back. Kept while this node waits with the vote;
   * dropped in the critical section (the RELEASE will answer) or when the vote is gone (a
   * RELEASE crossed the INQUIRE).
   */
  @SpecAction(value = "RcvInquire", self = "i")
  protected void rcvInquire(@SpecParam("j") String j) {
    if (state == CsState.WANTED && grants.contains(j)) {
      inquirers.add(j);
    }
  }

  /** Yield(i, j): j's vote goes back; j will give it to a request that comes first. */
  @SpecAction(value = "Yield", self = "i")
  protected void yieldVote(@SpecParam("j") String j) {
    grants.remove(j);
    failed.add(j);
    inquirers.remove(j);
    send(j, new Yield());
  }

  // ---- The arbiter's actions -----------------------------------------------------------------

  /**
   * RcvRequest(i, j): j asks for the vote with timestamp ts; the clock moves up to it. A free
   * vote goes to ts; otherwise ts waits ({@link #await}).
   */
  @SpecAction(value = "RcvRequest", self = "i")
  protected void rcvRequest(@SpecParam("j") String j, Timestamp ts) {
    clock = Math.max(clock, ts.clock());
    if (voted) {
      await(ts);
    } else {
      voted = true;
      votedFor = ts;
      send(j, new Grant());
    }
  }

  /**
   * The spec's Wait(i, t, c): request t waits in the queue. If it comes before the vote's
   * holder and every waiting request, the holder is asked for the vote back (once per vote),
   * and the waiting request it overtook, if that one came before the holder too, is told it
   * is now behind another; otherwise t's requester is told so.
   */
  protected void await(Timestamp t) {
    Timestamp first = queue.isEmpty() ? null : queue.first();
    if (before(t, votedFor) && (first == null || before(t, first))) {
      if (!inquiring) {
        send(votedFor.node(), new Inquire());
        inquiring = true;
      }
      if (first != null && before(first, votedFor)) {
        send(first.node(), new Failed());
      }
    } else {
      send(t.node(), new Failed());
    }
    queue.add(t);
  }

  /** RcvYield(i, j): the vote is back; it goes to the request that comes first. */
  @SpecAction(value = "RcvYield", self = "i")
  protected void rcvYield(@SpecParam("j") String j) {
    queue.add(votedFor);
    votedFor = queue.pollFirst();
    inquiring = false;
    send(votedFor.node(), new Grant());
  }

  /** RcvRelease(i, j): the vote is free; it goes to the first waiting request, if any. */
  @SpecAction(value = "RcvRelease", self = "i")
  protected void rcvRelease(@SpecParam("j") String j) {
    inquiring = false;
    if (queue.isEmpty()) {
      voted = false;
      votedFor = Timestamp.NONE;
    } else {
      votedFor = queue.pollFirst();
      send(votedFor.node(), new Grant());
    }
  }
}
