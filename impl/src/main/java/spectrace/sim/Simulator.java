package spectrace.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import spectrace.core.Adversary;
import spectrace.core.Clients;
import spectrace.core.Fault;
import spectrace.core.Message;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.StepRunner;
import spectrace.storage.MemoryStorage;
import spectrace.trace.SpecVars;
import spectrace.trace.TraceWriter;

/**
 * A deterministic simulator: the nodes of one protocol, a network and a fault injector, all
 * driven from one seed.
 *
 * <p>Events wait in a queue ordered by (virtual time, sequence number); the simulator takes
 * them one at a time, so each node handles one input at a time and a run is a sequence. The
 * network, the fault injector, the workload and each node's random choices draw from their own
 * stream forked from the seed, so that a change in one does not shift the others. Nothing reads a clock, and no
 * iteration order depends on hashing: one seed reproduces one run, trace byte for byte.
 *
 * <p>A replicated service's {@link Clients} (when its protocol has them) run beside the nodes
 * with a stream of their own: their requests reach a node after the network's usual latency,
 * the replies the nodes deliver come back to them likewise, and neither is lost, duplicated or
 * cut off by a partition (the clients stand outside the nodes' network; a request to a crashed
 * node is dropped). Such a run ends when the clients are done, since the service's own timers
 * never go quiet.
 *
 * <p>Faults are injected only where the protocol's {@link spectrace.core.SystemModel} allows
 * them; asking for another is an {@link IllegalArgumentException}. The model also says how:
 * a partition loses what crosses it on fair-loss links and holds it on the others; a
 * crash-recovery keeps the node's flushed storage, or in a model whose processes recover
 * without state ({@code CRASH_AMNESIA}) loses it all; with {@code byzantine}, between one and
 * {@code maxFaulty} nodes are Byzantine from the start, each sending what an adversary of the
 * protocol's (chosen from the seed) makes of its steps, and on authenticated links a message
 * under another node's name is rejected ({@code forgery-rejected}).
 *
 * <p>Each node's steps go through its {@link StepRunner}, which the TCP runtime uses too: this
 * class is the runtime that says what arming a timer, sending and crashing mean in virtual time.
 */
public final class Simulator {

  // Event kinds. The first group is the protocol's own work; the run is quiet when none is left.
  private static final int START = 0;
  private static final int DELIVER = 1;
  private static final int TIMER = 2;
  private static final int REQUEST = 3;
  private static final int RECOVER = 4;
  private static final int NOTIFY = 5;
  private static final int HEAL = 6;
  private static final int FAULT_TICK = 7;
  private static final int CLIENT_REPLY = 8;
  private static final int CLIENT_TIMER = 9;

  private static final class Event {
    long time;
    long seq;
    int kind;
    int node;
    int from;
    Message msg;
    long[] vc;
    String name;
    long gen;
    int incarnation;
    Object request;
  }

  private final Protocol<Message> protocol;
  private final SimConfig cfg;
  private final SimConfig.Rates rates;
  private final TraceWriter trace;
  private final List<String> ids;
  /** Each node's place in {@link #ids}: a send finds its destination in one lookup. */
  private final Map<String, Integer> indexes = new HashMap<>();
  private final Slot[] slots;
  private final PriorityQueue<Event> queue = new PriorityQueue<>(
      (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private final SplittableRandom network;
  private final SplittableRandom chaos;
  private final SplittableRandom workload;
  private final long[][] lastArrival;
  private final boolean reorder;
  private final boolean crashes;

  private long now;
  private long seq;
  private long traceSeq;
  private long steps;
  private long ticks;
  private long actions;
  private long pending;
  private int down;
  private int byzantine;
  private boolean[] sideA;
  private final List<Event> held = new ArrayList<>();
  private final TreeMap<String, Long> faults = new TreeMap<>();
  private final List<Protocol.Invariant> invariants;
  private final Map<String, ProtocolNode<?>> view = new java.util.LinkedHashMap<>();
  private final TreeMap<String, List<Object>> decisions = new TreeMap<>();
  private final TreeMap<String, Long> deliveries = new TreeMap<>();
  /** The protocol's clients (made when the run starts), or null when its workload is scheduled ahead. */
  private Clients clients;
  private final Clients.Out clientOut;
  private final SplittableRandom clientRandom;
  private long operations = Clients.DEFAULT_OPERATIONS;

  /**
   * A simulator of {@code protocol} with settings {@code cfg}, writing its trace to
   * {@code trace} (null: tracing off, and no event is built).
   *
   * @throws IllegalArgumentException for a fault the system model does not allow, or a node
   *     count the protocol does not accept
   */
  @SuppressWarnings("unchecked")
  public Simulator(Protocol<? extends Message> protocol, SimConfig cfg, TraceWriter trace) {
    this.protocol = (Protocol<Message>) protocol;
    this.cfg = cfg;
    this.rates = cfg.rates();
    this.trace = trace;
    for (Fault f : cfg.faults()) {
      if (!protocol.model().allows(f)) {
        throw new IllegalArgumentException(protocol.name() + "'s system model (" + protocol.model().description()
            + ") does not allow the fault '" + f.word() + "'");
      }
    }
    this.ids = List.copyOf(protocol.nodeIds(cfg.nodes()));
    for (int i = 0; i < ids.size(); i++) {
      indexes.put(ids.get(i), i);
    }
    this.slots = new Slot[ids.size()];
    SplittableRandom root = new SplittableRandom(cfg.seed());
    this.network = root.split();
    this.chaos = root.split();
    this.workload = root.split();
    // Split after the others, so that the network, fault and workload streams stay as they were.
    SplittableRandom choices = root.split();
    this.lastArrival = new long[ids.size()][ids.size()];
    this.reorder = cfg.faults().contains(Fault.REORDER);
    this.crashes = cfg.faults().contains(Fault.CRASH_STOP) || cfg.faults().contains(Fault.CRASH_RECOVERY)
        || cfg.faults().contains(Fault.FAIL_STOP);
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot(i, ids.get(i), choices.split());
    }
    // Last of all, so that no other stream changes for a protocol that has clients.
    this.clientRandom = root.split();
    this.clientOut = new Clients.Out() {
      @Override
      public void request(String node, Object request) {
        Event e = push(now + rates.latency(), REQUEST, index(node));
        e.request = request;
      }

      @Override
      public void timer(long delay, long token) {
        Event e = push(now + Math.max(1, delay), CLIENT_TIMER, -1);
        e.gen = token;
      }
    };
    this.invariants = protocol.invariants();
  }

  /** The node ids of this run. */
  public List<String> nodes() {
    return ids;
  }

  /**
   * The run's clients, when its protocol has them ({@link Protocol#clients}): after
   * {@link #run()}, their history. Null otherwise.
   */
  public Clients clients() {
    return clients;
  }

  /** Writes the trace header: protocol, spec module, constants, nodes, seed, variables. */
  private void header() throws IOException {
    trace.header(protocol.name(), protocol.specModule(), protocol.constants(ids), ids, cfg.seed(),
        SpecVars.of(protocol, ids));
  }

  /**
   * Runs to the end: {@code maxSteps} events, or nothing left to happen.
   *
   * @throws SimulationFailure when a safety property fails (with the seed and the replay command)
   */
  public RunResult run() {
    try {
      if (trace != null) {
        header();
      }
      if (cfg.faults().contains(Fault.BYZANTINE)) {
        chooseByzantine();
      }
      for (int i = 0; i < slots.length; i++) {
        push(0, START, i);
      }
      protocol.workload(ids, workload, (time, node, request) -> {
        Event e = push(Math.max(1, time), REQUEST, index(node));
        e.request = request;
      });
      clients = protocol.clients(ids, operations, clientRandom);
      if (clients != null) {
        clients.start(now, clientOut);
      }
      boolean chaotic = crashes || cfg.faults().contains(Fault.PARTITION);
      if (chaotic) {
        push(rates.faultTick(), FAULT_TICK, -1);
      }
      boolean quiescent = false;
      // Fault ticks are the injector's own work, not events of the run: they do not count
      // as steps (the crashes and partitions they inject do), but are bounded too, for a run
      // in which only the injector is left and it never strikes.
      long maxTicks = cfg.keepGoing() ? Math.max(cfg.maxSteps(), 1_000L) * 1_000L : cfg.maxSteps();
      while (steps < cfg.maxSteps() && ticks < maxTicks) {
        if (queue.isEmpty() || (pending == 0 && !cfg.keepGoing())
            || (clients != null && clients.done() && !cfg.keepGoing())) {
          // With clients, a run is over once they are: a replicated service has timers that
          // never stop (heartbeats, elections), so it is never quiet by itself.
          quiescent = true;
          break;
        }
        Event e = queue.poll();
        now = e.time;
        if (e.kind == FAULT_TICK) {
          ticks++;
        } else {
          pending--;
          steps++;
        }
        handle(e);
        if (cfg.checkInvariants()) {
          checkInvariants(e);
        }
        if (trace != null && trace.bytes() > maxTraceBytes) {
          throw new RunTooLarge(RunTooLarge.Bound.TRACE, String.format("stopped at event %,d: the trace passed its limit of %s (%,d lines"
              + " written, each whole); give fewer nodes or steps, or a larger limit", steps, RunTooLarge.size(maxTraceBytes),
              trace.lines()));
        }
        if ((steps & 1023) == 0 && e.kind != FAULT_TICK) {
          checkHeap();
        }
      }
      if (clients != null) {
        clients.end(now);
      }
      if (trace != null) {
        trace.flush();
      }
      TreeMap<String, Long> delivered = new TreeMap<>(deliveries);
      return new RunResult(steps, actions, now, new TreeMap<>(faults), new TreeMap<>(decisions), delivered, quiescent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the trace", e);
    } catch (OutOfMemoryError e) {
      // The heap filled between two checks: the events in flight are what grew, and letting
      // them go leaves room to say so.
      long inFlight = pending;
      queue.clear();
      held.clear();
      throw new RunTooLarge(RunTooLarge.Bound.HEAP, String.format("stopped at event %,d: the heap (%s) filled, with"
          + " %,d events in flight; give fewer nodes or steps, or the JVM more heap (JAVA_TOOL_OPTIONS=-Xmx8g)",
          steps, RunTooLarge.size(Runtime.getRuntime().maxMemory()), inFlight));
    }
  }

  /**
   * The most bytes the trace may take: the run stops with {@link RunTooLarge} at the first
   * event whose line takes it past them (default: no limit).
   */
  public Simulator maxTraceBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("a trace limit of " + bytes + " bytes");
    }
    maxTraceBytes = bytes;
    return this;
  }

  private long maxTraceBytes = Long.MAX_VALUE;

  /**
   * The operations the clients of a replicated service invoke in the run (default
   * {@value Clients#DEFAULT_OPERATIONS}); a protocol without clients ignores it.
   */
  public Simulator operations(long count) {
    if (count < 0 || count == Clients.UNBOUNDED) {
      throw new IllegalArgumentException("operations must be at least 0 and bounded, not " + count);
    }
    operations = count;
    return this;
  }

  /**
   * With the fault {@code byzantine}, the number of Byzantine nodes; 0 (the default) draws it
   * from the seed, between one and the model's bound. Which nodes, and their adversaries, are
   * drawn from the seed either way.
   *
   * @throws IllegalArgumentException for a negative count, a count without the fault
   *     {@code byzantine}, or more than the model lets fail at once
   */
  public Simulator byzantine(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("the number of Byzantine nodes must be at least 0, not " + count);
    }
    if (count > 0 && !cfg.faults().contains(Fault.BYZANTINE)) {
      throw new IllegalArgumentException("Byzantine nodes need the fault 'byzantine' (faults: " + cfg.faultList() + ")");
    }
    int bound = (int) Math.min(faultBound(), ids.stream().filter(protocol.model().mayFail()).count());
    if (count > bound) {
      throw new IllegalArgumentException(protocol.name() + " on " + ids.size() + " nodes has at most " + bound
          + " Byzantine " + (bound == 1 ? "node" : "nodes") + ", not " + count);
    }
    byzantineNodes = count;
    return this;
  }

  private int byzantineNodes;

  /**
   * The share of the heap's old generation that may stay in use after a collection before the
   * run stops: past it, the JVM spends its time collecting and then fails with an
   * OutOfMemoryError, whose stack trace and exit say nothing of what to change.
   */
  static final double HEAP_SHARE = 0.85;

  /** Stops the run with {@link RunTooLarge} when its live objects are about to fill the heap. */
  private void checkHeap() {
    for (java.lang.management.MemoryPoolMXBean pool : HEAP_POOLS) {
      java.lang.management.MemoryUsage after = pool.getCollectionUsage();
      long max = pool.getUsage().getMax();
      if (after != null && max > 0 && after.getUsed() > HEAP_SHARE * max) {
        throw new RunTooLarge(RunTooLarge.Bound.HEAP, String.format("stopped at event %,d: %s of the heap's %s stayed in use after a"
            + " collection (%,d events in flight); give fewer nodes or steps, or the JVM more heap"
            + " (JAVA_TOOL_OPTIONS=-Xmx8g)", steps, RunTooLarge.size(after.getUsed()), RunTooLarge.size(max), pending));
      }
    }
  }

  /** The heap's pools that keep what survives collections: where a run that outgrows the heap grows. */
  private static final List<java.lang.management.MemoryPoolMXBean> HEAP_POOLS =
      java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP && p.isCollectionUsageThresholdSupported()
              && p.getUsage().getMax() > 0 && !p.getName().contains("Eden") && !p.getName().contains("Survivor"))
          .toList();

  private int index(String node) {
    Integer i = indexes.get(node);
    if (i == null) {
      throw new IllegalArgumentException("no node " + node + " in this run (" + ids + ")");
    }
    return i;
  }

  private Event push(long time, int kind, int node) {
    Event e = new Event();
    e.time = time;
    e.seq = seq++;
    e.kind = kind;
    e.node = node;
    if (kind != FAULT_TICK) {
      pending++;
    }
    queue.add(e);
    return e;
  }

  private void handle(Event e) throws IOException {
    switch (e.kind) {
      case START -> {
        Slot s = slots[e.node];
        s.boot(protocol.newNode(s.id, ids));
        s.step(null, null, () -> s.node.start());
      }
      case DELIVER -> deliver(e);
      case TIMER -> {
        Slot s = slots[e.node];
        Long gen = s.timers.get(e.name);
        if (s.up && e.incarnation == s.incarnation && gen != null && gen == e.gen) {
          s.timers.remove(e.name);
          s.step(null, null, () -> s.node.onTimer(e.name));
        }
      }
      case REQUEST -> {
        Slot s = slots[e.node];
        if (s.up) {
          s.step(null, null, () -> s.node.onRequest(e.request));
        } else {
          fault("request-to-crashed", s.id, null, null, null);
        }
      }
      case RECOVER -> {
        Slot s = slots[e.node];
        s.boot(protocol.newNode(s.id, ids));
        down--;
        s.step(null, null, () -> s.node.onRecover());
      }
      case NOTIFY -> {
        Slot s = slots[e.node];
        if (s.up) {
          String crashed = ids.get(e.from);
          s.step(null, null, () -> s.node.onCrashNotification(crashed));
        }
      }
      case HEAL -> heal();
      case FAULT_TICK -> faultTick();
      case CLIENT_REPLY -> clients.onReply(now, ids.get(e.node), e.request, clientOut);
      case CLIENT_TIMER -> clients.onTimer(now, e.gen, clientOut);
      default -> throw new IllegalStateException("unknown event kind " + e.kind);
    }
  }

  private void deliver(Event e) throws IOException {
    Slot to = slots[e.node];
    if (sideA != null && sideA[e.from] != sideA[e.node]) {
      if (protocol.model().lossyLinks()) {
        fault("partition-loss", null, ids.get(e.from), to.id, e.msg);
      } else {
        held.add(e);
        pending++;
      }
      return;
    }
    if (!to.up) {
      fault("lost-at-crashed", null, ids.get(e.from), to.id, e.msg);
      return;
    }
    if (trace != null && e.vc != null) {
      long[] vc = to.vc;
      for (int i = 0; i < vc.length; i++) {
        vc[i] = Math.max(vc[i], e.vc[i]);
      }
      to.sentVc = null;
    }
    String from = ids.get(e.from);
    to.step(from, e.msg, () -> to.node.onMessage(from, e.msg));
  }

  /** Puts a message on the network, with the faults the configuration allows. */
  private void transmit(int from, int to, Message msg, long[] vc) throws IOException {
    if (cfg.faults().contains(Fault.LOSS) && network.nextDouble() < rates.loss()) {
      fault("loss", null, ids.get(from), ids.get(to), msg);
      return;
    }
    long t = now + rates.latency();
    if (reorder) {
      t += network.nextLong(rates.jitter() + 1);
    }
    if (cfg.faults().contains(Fault.DELAY) && network.nextDouble() < rates.delay()) {
      t += rates.longDelay() + network.nextLong(rates.longDelay() + 1);
      fault("delay", null, ids.get(from), ids.get(to), msg);
    }
    if (!reorder) {
      t = Math.max(t, lastArrival[from][to]);
      lastArrival[from][to] = t;
    }
    Event e = push(t, DELIVER, to);
    e.from = from;
    e.msg = msg;
    e.vc = vc;
    if (cfg.faults().contains(Fault.DUPLICATE) && network.nextDouble() < rates.duplicate()) {
      Event d = push(t + 1 + network.nextLong(rates.jitter() + 1), DELIVER, to);
      d.from = from;
      d.msg = msg;
      d.vc = vc;
      fault("duplicate", null, ids.get(from), ids.get(to), msg);
    }
  }

  /**
   * Makes {@link #byzantine(int) the set number}, or else between one and the model's bound, of
   * the nodes that may fail Byzantine, each with an adversary of the protocol's, all drawn from
   * the fault stream.
   */
  private void chooseByzantine() {
    List<Slot> candidates = new ArrayList<>();
    for (Slot s : slots) {
      if (protocol.model().mayFail().test(s.id)) {
        candidates.add(s);
      }
    }
    List<Adversary> adversaries = protocol.adversaries();
    if (candidates.isEmpty() || adversaries.isEmpty()) {
      throw new IllegalArgumentException(protocol.name() + ": the fault 'byzantine' needs a node that may fail"
          + " and an adversary");
    }
    int n = byzantineNodes > 0 ? byzantineNodes
        : 1 + chaos.nextInt(Math.min(faultBound(), candidates.size()));
    for (int k = 0; k < n; k++) {
      Slot s = candidates.remove(chaos.nextInt(candidates.size()));
      Adversary a = adversaries.get(chaos.nextInt(adversaries.size()));
      s.byzantine(a, chaos.split());
      byzantine++;
      count("byzantine-node");
      count("byzantine-node-" + a.name());
    }
  }

  private void faultTick() throws IOException {
    if (cfg.faults().contains(Fault.PARTITION) && sideA == null && slots.length > 1
        && chaos.nextDouble() < rates.partition()) {
      sideA = new boolean[slots.length];
      int a = 1 + chaos.nextInt(slots.length - 1);
      for (int k = 0; k < a; k++) {
        sideA[k] = true;
      }
      for (int k = slots.length - 1; k > 0; k--) {
        int j = chaos.nextInt(k + 1);
        boolean tmp = sideA[k];
        sideA[k] = sideA[j];
        sideA[j] = tmp;
      }
      List<String> side = new ArrayList<>();
      for (int k = 0; k < slots.length; k++) {
        if (sideA[k]) {
          side.add(ids.get(k));
        }
      }
      count("partition");
      steps++;
      if (trace != null) {
        trace.partition(traceSeq++, now, side);
      }
      push(now + rates.downtime() / 2 + chaos.nextLong(rates.downtime() + 1), HEAL, -1);
    }
    if (crashes && down + byzantine + stillFaulty() < faultBound() && chaos.nextDouble() < rates.crash()) {
      List<Slot> candidates = new ArrayList<>();
      for (Slot s : slots) {
        if (s.up && s.node != null && !s.isByzantine() && protocol.model().mayFail().test(s.id)) {
          candidates.add(s);
        }
      }
      if (!candidates.isEmpty()) {
        crash(candidates.get(chaos.nextInt(candidates.size())));
      }
    }
    push(now + rates.faultTick(), FAULT_TICK, -1);
  }

  /** How many nodes may be faulty at once in this run: the model's bound and the spec's for its size. */
  private int faultBound() {
    return Math.min(protocol.model().maxFaulty(), protocol.maxFaulty(slots.length));
  }

  /** The nodes up that still count among the faulty (VR's recovering replicas). */
  private int stillFaulty() {
    int n = 0;
    for (Slot s : slots) {
      if (s.up && s.node != null && protocol.stillFaulty(s.node)) {
        n++;
      }
    }
    return n;
  }

  private void crash(Slot s) throws IOException {
    boolean recovers;
    EnumSet<Fault> f = EnumSet.copyOf(cfg.faults());
    boolean stop = f.contains(Fault.CRASH_STOP) || f.contains(Fault.FAIL_STOP);
    boolean recovery = f.contains(Fault.CRASH_RECOVERY);
    recovers = recovery && (!stop || chaos.nextBoolean());
    s.crash(chaos.nextDouble() < rates.loseUnflushed());
    down++;
    steps++;
    count(recovers ? "crash-recovery" : "crash-stop");
    if (trace != null) {
      s.vc[s.index]++;
      s.sentVc = null;
      if (protocol.crashAction(s.id) != null) {
        actions++;
      }
      trace.crash(traceSeq++, now, s.id, protocol.crashAction(s.id), protocol.crashParam(), recovers, s.vc, ids);
    }
    if (f.contains(Fault.SENDER_CRASH_LOSS)) {
      loseInTransit(s);
    }
    if (recovers) {
      push(now + rates.downtime() / 2 + chaos.nextLong(rates.downtime() + 1), RECOVER, s.index);
    } else if (f.contains(Fault.FAIL_STOP)) {
      for (Slot other : slots) {
        if (other != s && other.up) {
          Event n = push(now + 1 + chaos.nextLong(rates.detection() + 1), NOTIFY, other.index);
          n.from = s.index;
        }
      }
      count("fail-stop-notification");
    }
  }

  /**
   * The messages that crashed {@code s} sent and that are still in transit (or held by a
   * partition) are each lost with probability one half, in the order they were sent.
   */
  private void loseInTransit(Slot s) throws IOException {
    List<Event> inTransit = new ArrayList<>();
    for (Event e : queue) {
      if (e.kind == DELIVER && e.from == s.index) {
        inTransit.add(e);
      }
    }
    for (Event e : held) {
      if (e.from == s.index) {
        inTransit.add(e);
      }
    }
    inTransit.sort((a, b) -> Long.compare(a.seq, b.seq));
    for (Event e : inTransit) {
      if (chaos.nextBoolean()) {
        if (!held.remove(e)) {
          queue.remove(e);
        }
        pending--;
        fault("loss", null, s.id, ids.get(e.node), e.msg);
      }
    }
  }

  private void heal() throws IOException {
    sideA = null;
    fault("heal", null, null, null, null);
    List<Event> resend = new ArrayList<>(held);
    pending -= held.size();
    if (!reorder && !held.isEmpty()) {
      // Per-link FIFO: a message still in flight on a link that has held messages was sent
      // after them, so it must arrive after them too. It goes back on the link behind them.
      boolean[][] blocked = new boolean[slots.length][slots.length];
      for (Event e : held) {
        blocked[e.from][e.node] = true;
      }
      List<Event> inFlight = new ArrayList<>();
      queue.removeIf(e -> {
        boolean behind = e.kind == DELIVER && blocked[e.from][e.node];
        if (behind) {
          inFlight.add(e);
        }
        return behind;
      });
      inFlight.sort((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
      resend.addAll(inFlight);
      pending -= inFlight.size();
    }
    for (Event e : resend) {
      // Held messages leave in the order they were held: per-link FIFO unless reordering is on.
      long t = now + rates.latency() + (reorder ? network.nextLong(rates.jitter() + 1) : 0);
      if (!reorder) {
        t = Math.max(t, lastArrival[e.from][e.node]);
        lastArrival[e.from][e.node] = t;
      }
      Event again = push(t, DELIVER, e.node);
      again.from = e.from;
      again.msg = e.msg;
      again.vc = e.vc;
    }
    held.clear();
  }

  private void fault(String name, String node, String from, String to, Message msg) throws IOException {
    count(name);
    if (trace != null) {
      trace.fault(traceSeq++, now, name, node, from, to, msg);
    }
  }

  private void count(String name) {
    faults.merge(name, 1L, Long::sum);
  }

  private void checkInvariants(Event e) {
    for (Slot s : slots) {
      // A Byzantine node promises nothing: the properties are of the correct nodes.
      view.put(s.id, s.up && !s.isByzantine() ? s.node : null);
    }
    for (Protocol.Invariant inv : invariants) {
      String broken = inv.check().apply(view);
      if (broken != null) {
        throw new SimulationFailure(inv.name() + " violated after event " + steps + " (time " + now + "): " + broken,
            cfg.seed(), replayCommand());
      }
    }
  }

  /** The command line that replays this run. */
  public String replayCommand() {
    return "./spectrace simulate " + protocol.name() + " --seed " + cfg.seed() + " --nodes " + cfg.nodes()
        + " --steps " + cfg.maxSteps() + " --faults " + cfg.faultList() + (cfg.keepGoing() ? " --keep-going" : "")
        + (protocol.variant() == null ? "" : " --mutant " + protocol.variant())
        + (clients == null || operations == Clients.DEFAULT_OPERATIONS ? "" : " --operations " + operations)
        + (byzantineNodes == 0 ? "" : " --byzantine " + byzantineNodes);
  }

  /**
   * One node's place in the simulation: the runtime of its {@link StepRunner}, across its
   * incarnations.
   */
  private final class Slot implements StepRunner.Runtime, StepRunner.TraceSink {
    final int index;
    final String id;
    final Map<String, Long> timers = new HashMap<>();
    final long[] vc = new long[ids.size()];
    /**
     * A copy of {@link #vc} that messages carry, shared by every message sent while the clock
     * stays as it is (no one writes to it); null once the clock moves.
     */
    long[] sentVc;
    final SplittableRandom random;
    MemoryStorage storage = new MemoryStorage();
    StepRunner runner;
    ProtocolNode<Message> node;
    boolean up;
    int incarnation;
    long timerGen;

    Slot(int index, String id, SplittableRandom random) {
      this.index = index;
      this.id = id;
      this.random = random;
      this.runner = new StepRunner(id, ids, storage, random, this, trace == null ? null : this);
    }

    /** Makes this node Byzantine, before it starts: untraced, its sends chosen by {@code a}. */
    void byzantine(Adversary a, SplittableRandom adversaryRandom) {
      runner = new StepRunner(id, ids, storage, random, this, null);
      runner.byzantine(a, adversaryRandom);
    }

    boolean isByzantine() {
      return runner.adversary() != null;
    }

    void boot(ProtocolNode<Message> n) {
      node = runner.boot(n);
      up = true;
    }

    void crash(boolean loseUnflushed) {
      up = false;
      node = null;
      incarnation++;
      timers.clear();
      if (protocol.model().recoversWithoutState()) {
        // Crash-recovery without durable state: the node comes back with empty storage.
        storage = new MemoryStorage();
        runner = new StepRunner(id, ids, storage, random, this, trace == null ? null : this);
        return;
      }
      int lost = storage.crash(loseUnflushed);
      if (lost > 0) {
        count("unflushed-writes-lost");
      }
    }

    void step(String from, Message msg, Runnable handler) {
      runner.run(from, msg, handler);
    }

    @Override
    public void send(String to, Message msg) {
      try {
        transmit(index, index(to), msg, trace == null ? null : sentClock());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the trace", e);
      }
    }

    /** The clock a message sent now carries. */
    long[] sentClock() {
      if (sentVc == null) {
        sentVc = vc.clone();
      }
      return sentVc;
    }

    @Override
    public void sendByzantine(Adversary.Out out) {
      try {
        if (!out.from().equals(id) && protocol.model().links().authenticated()) {
          // The link authenticates its sender: the receiver rejects a message under another's name.
          fault("forgery-rejected", id, out.from(), out.to(), out.msg());
          return;
        }
        fault("byzantine", id, out.from(), out.to(), out.msg());
        transmit(index(out.from()), index(out.to()), out.msg(), trace == null ? null : sentClock());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the trace", e);
      }
    }

    @Override
    public void setTimer(String name, long delay) {
      long gen = ++timerGen;
      timers.put(name, gen);
      Event e = push(now + delay, TIMER, index);
      e.name = name;
      e.gen = gen;
      e.incarnation = incarnation;
    }

    @Override
    public void cancelTimer(String name) {
      timers.remove(name);
    }

    @Override
    public void delivered(Object value) {
      deliveries.merge(id, 1L, Long::sum);
      if (clients != null && clients.isReply(value)) {
        // Clients are outside the nodes' network: a reply is neither lost nor partitioned.
        Event e = push(now + rates.latency(), CLIENT_REPLY, index);
        e.request = value;
      }
    }

    @Override
    public void decided(Object value) {
      decisions.computeIfAbsent(id, k -> new ArrayList<>()).add(value);
    }

    @Override
    public void rejected(String from, Message msg, String reason) {
      count("rejected-" + reason);
      if (trace != null) {
        try {
          trace.rejected(traceSeq++, now, id, from, msg, reason, null, ids);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the trace", e);
        }
      }
    }

    @Override
    public void action(ProtocolNode<?> n, String action, String paramNames, Object[] params, String recvFrom,
                       Message recv, List<String> sentTo, List<Message> sent) {
      actions++;
      vc[index]++;
      sentVc = null;
      try {
        trace.action(traceSeq++, now, n, action, paramNames, params, recvFrom, recv, sentTo, sent, vc, ids);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the trace", e);
      }
    }
  }
}
