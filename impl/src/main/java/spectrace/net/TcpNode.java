package spectrace.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import spectrace.core.Adversary;
import spectrace.core.Effects;
import spectrace.core.Message;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecValue;
import spectrace.core.Storage;
import spectrace.core.StepRunner;
import spectrace.storage.FileStorage;
import spectrace.trace.SpecVars;
import spectrace.trace.TraceWriter;

/**
 * One protocol node as a real process: the same {@link ProtocolNode} class that runs on the
 * simulator, driven by a TCP transport, real timers, durable {@link FileStorage} and a trace
 * file of its own.
 *
 * <h2>Threads</h2>
 * One loop thread runs every input of the node, one at a time, from a queue; the acceptor, one
 * reader per inbound connection, one sender per peer and the timer thread only put work on that
 * queue. A step's effects are applied when its handler returns, as on the simulator.
 *
 * <h2>Durability and the trace</h2>
 * Each step (1) writes its trace lines to the trace file and hands them to the OS; (2) puts, with
 * the step's own durable writes, a mark of how far the trace file goes (its length, the next
 * sequence number, the vector clock) and flushes storage whenever the step has an effect
 * (a send, a decision, a delivery), which fsyncs the writes and the mark atomically; (3) only
 * then releases the step's messages. After a SIGKILL the node restarts from its storage: it cuts
 * its trace file back to the mark, so the trace holds exactly the steps whose effects could
 * have been seen, logs the crash (the spec's crash action, when it has one), and calls
 * {@link ProtocolNode#onRecover()}. Steps cut away changed only volatile state, which the crash
 * lost anyway.
 *
 * <h2>Links</h2>
 * Frames are {@link Frame}s; messages are encoded by {@link WireCodec} with the sender's vector
 * clock. Every connection is authenticated ({@link PeerAuth}): it opens with a handshake in which
 * both ends prove that they hold the cluster secret in the name they claim, and every later frame
 * carries a MAC and a sequence number. A frame that fails either is dropped, its connection closed
 * and one line logged with the peer's address and the reason. Each peer has a bounded send queue
 * and a sender that reconnects with exponential backoff (50 ms to 2 s); a frame whose write fails
 * is sent again on the next connection, and the receiver drops a frame it already took (each
 * MESSAGE carries the sender's incarnation and a per-link sequence number), so links are perfect
 * while both ends live: no loss, no duplication, FIFO. A full queue drops the message with a
 * logged warning. A malformed, oversized or unknown frame closes its connection with a logged
 * error; the node goes on.
 *
 * <h2>Output</h2>
 * Standard output carries one line per event a driver needs ({@code ready}, {@code recovered},
 * {@code decided}, {@code delivered}, {@code stopped}, each with the node id; and {@code faulty}
 * and {@code healed} when a step starts or ends the node's time among the faulty while it runs,
 * as {@link Protocol#stillFaulty} tells: VR's recovering replica); standard error carries log
 * lines.
 *
 * <p>A node of a model that keeps nothing across a crash ({@link
 * spectrace.core.SystemModel#recoversWithoutState()}) may be restarted with an empty data
 * folder: it recovers all the same, taking up its trace after the last whole line.
 *
 * @param <M> the protocol's message type
 */
public final class TcpNode<M extends Message> implements StepRunner.Runtime, StepRunner.TraceSink, Closeable {

  /** The storage key of the trace mark. */
  public static final String MARK = "spectrace.trace-mark";

  /**
   * How a node runs.
   *
   * @param tickMillis milliseconds per protocol tick (timers are set in ticks)
   * @param sendQueue  frames each peer's send queue holds before it drops
   * @param seed       the seed the trace header records (the driver's workload seed)
   */
  public record Options(long tickMillis, int sendQueue, long seed) {
    /** Frames a send queue holds by default. */
    public static final int SEND_QUEUE = 10_000;
  }

  private final Protocol<M> protocol;
  private final String id;
  private final List<String> ids;
  private final int self;
  private final Map<String, InetSocketAddress> peers;
  private final Options options;
  private final WireCodec codec;
  private final PrintStream out;
  private final PrintStream log;
  private final PeerAuth auth;
  /** What the protocol's nodes share, derived from the cluster's secret (PBFT's signing keys come from it). */
  private final byte[] nodeSecret;

  private final ServerSocket server;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileStorage storage;
  private final Path tracePath;
  private TraceWriter trace;
  private CountingStream traceBytes;

  private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
  private final ScheduledExecutorService timerThread;
  private final Map<String, Long> timers = new HashMap<>();
  private final Map<String, Link> links = new LinkedHashMap<>();
  private final List<Socket> inbound = new ArrayList<>();
  private volatile boolean stopping;
  /** This process's run of the node: the links' sequence numbers start again with it. */
  private final long incarnation = new java.security.SecureRandom().nextLong();
  /** Per peer, the incarnation and the last link sequence number taken from it (reader threads). */
  private final Map<String, long[]> received = new java.util.concurrent.ConcurrentHashMap<>();

  /** Made at boot or recovery, when the trace's next sequence number is known. */
  private StepRunner runner;
  private ProtocolNode<M> node;
  private long seq;
  private final long[] vc;
  private long timerGen;
  /** Whether the last step left the node among the faulty ({@link Protocol#stillFaulty}), as reported. */
  private boolean reportedFaulty;
  /** The adversary of a Byzantine node ({@link #byzantine}), or null for a correct one. */
  private Adversary adversary;

  /**
   * Opens node {@code id}: binds its port, locks and reads its data folder, opens its trace.
   *
   * @param peers every node of the run by id, this one included, in the run's order
   * @param secret the cluster's secret, which every connection proves
   * @throws NodeSetupException for what a user must fix: an id or peer list the protocol does
   *     not accept, a port in use, a data folder that cannot be used, a trace file that holds
   *     another run
   */
  @SuppressWarnings("unchecked")
  public TcpNode(Protocol<? extends Message> protocol, String id, Map<String, InetSocketAddress> peers, Path dataDir,
                 Path traceFile, Options options, ClusterSecret secret, PrintStream out, PrintStream log)
      throws NodeSetupException {
    this.protocol = (Protocol<M>) protocol;
    this.id = id;
    this.ids = List.copyOf(peers.keySet());
    this.peers = Map.copyOf(peers);
    this.options = options;
    this.out = out;
    this.log = log;
    this.self = ids.indexOf(id);
    if (self < 0) {
      throw new NodeSetupException("--id " + id + " is not in the peer list (" + String.join(", ", ids) + ")");
    }
    List<String> expected;
    try {
      expected = protocol.nodeIds(ids.size());
    } catch (IllegalArgumentException e) {
      throw new NodeSetupException(e.getMessage());
    }
    if (!new java.util.TreeSet<>(expected).equals(new java.util.TreeSet<>(ids))) {
      throw new NodeSetupException(protocol.name() + " with " + ids.size() + " nodes has the nodes "
          + String.join(", ", expected) + "; the peer list names " + String.join(", ", ids));
    }
    this.codec = new WireCodec(protocol.messageType(), protocol.requestTypes());
    this.auth = new PeerAuth(secret, protocol.name());
    this.nodeSecret = secret.derive(protocol.name() + " nodes");
    this.vc = new long[ids.size()];
    try {
      Files.createDirectories(dataDir);
      lockChannel = FileChannel.open(dataDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = lockChannel.tryLock();
      if (lock == null) {
        throw new NodeSetupException(dataDir + ": in use by another node process");
      }
      storage = new FileStorage(dataDir);
    } catch (spectrace.storage.StorageCorruptException | spectrace.storage.StorageFormatException e) {
      // Starting as if the damaged flushes had never been written could undo a decision the
      // node already sent (issue 13): refuse, and leave the folder as it is.
      throw new NodeSetupException(e.getMessage() + "; refusing to start " + id + " on it (the folder is left as"
          + " it is: restore it, or move it away to start the node afresh)");
    } catch (IOException e) {
      throw new NodeSetupException(dataDir + ": cannot use the data folder (" + e.getMessage() + ")");
    }
    InetSocketAddress me = peers.get(id);
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(me);
    } catch (BindException e) {
      throw new NodeSetupException(me.getHostString() + ":" + me.getPort() + ": address in use (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new NodeSetupException(me.getHostString() + ":" + me.getPort() + ": cannot listen (" + e.getMessage() + ")");
    }
    this.tracePath = traceFile;
    this.timerThread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, id + "-timers"));
  }

  /** This node's id. */
  public String id() {
    return id;
  }

  /**
   * Makes this node Byzantine, before {@link #run}: it runs its own code, untraced, and sends
   * what {@code a} chooses in its place, as a Byzantine node of the simulator does. Its trace
   * holds one {@code byzantine} event per message it sends, with its vector clock, and a
   * {@code forgery-rejected} one per message under another node's name, which authenticated
   * links do not carry. A Byzantine node does not recover: start it once.
   *
   * @throws NodeSetupException when the protocol's system model has no Byzantine faults
   */
  public void byzantine(Adversary a) throws NodeSetupException {
    if (!protocol.model().allows(spectrace.core.Fault.BYZANTINE)) {
      throw new NodeSetupException(protocol.name() + "'s system model (" + protocol.model().description()
          + ") has no Byzantine nodes");
    }
    adversary = a;
  }

  /** The port it listens on. */
  public int port() {
    return server.getLocalPort();
  }

  /** Runs the node until it is told to stop (a STOP frame, or {@link #stop()}). */
  public void run() throws IOException, NodeSetupException {
    Thread acceptor = daemon(this::accept, id + "-accept");
    acceptor.start();
    for (String peer : ids) {
      if (!peer.equals(id)) {
        Link l = new Link(peer, peers.get(peer));
        links.put(peer, l);
        daemon(l, id + "-to-" + peer).start();
      }
    }
    String mark = storage.getString(MARK);
    try {
      if (mark != null) {
        recover(mark);
      } else if (protocol.model().recoversWithoutState() && holdsEvents(tracePath)) {
        // A node of a model that keeps nothing across a crash may come back with no data
        // folder at all (VR's replicas): its trace is its own mark.
        log.println("node " + id + ": the data folder holds no state of this node; " + protocol.name()
            + " keeps none across a crash, so the node recovers, resuming " + tracePath + " after its last line");
        recover(markOfTrace());
      } else {
        boot();
      }
    } catch (NodeSetupException | IOException | RuntimeException e) {
      close();
      throw e;
    }
    out.println("ready " + id + " " + port());
    out.flush();
    try {
      while (!stopping) {
        Runnable r = inbox.poll(200, TimeUnit.MILLISECONDS);
        if (r != null) {
          r.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      shutdown();
    }
  }

  /** Asks the node to stop after the step under way; safe from any thread. */
  public void stop() {
    inbox.add(() -> stopping = true);
  }

  // ---- boot and recovery ----------------------------------------------------------------------

  private void boot() throws IOException, NodeSetupException {
    if (holdsEvents(tracePath)) {
      throw new NodeSetupException(tracePath + ": already holds a trace, and the data folder has no state of this"
          + " node: refusing to overwrite it (remove it, or give the data folder of that run)");
    }
    traceBytes = new CountingStream(Files.newOutputStream(tracePath), 0);
    trace = new TraceWriter(new BufferedOutputStream(traceBytes, 1 << 16));
    trace.header(protocol.name(), protocol.specModule(), protocol.constants(ids), ids, options.seed(),
        SpecVars.of(protocol, ids));
    trace.flush();
    storage.putString(MARK, mark());
    storage.flush();
    node = newRunner().boot(protocol.newNode(id, ids, nodeSecret));
    step(null, null, null, node::start);
  }

  /**
   * The step runner of this process's run of the node. A real run does not replay; its
   * choices are still seeded, from the run's seed, the node's id and the trace's next sequence
   * number, which every recovery moves on (it logs the crash), so that a node restarted twice
   * does not choose what it chose before (VR's recovery nonce must be fresh).
   */
  private StepRunner newRunner() {
    long s = (options.seed() * 31 + id.hashCode()) * 1_000_003 + seq;
    java.util.SplittableRandom random = new java.util.SplittableRandom(s);
    if (adversary != null) {
      runner = new StepRunner(id, ids, storage, random, this, null);
      runner.byzantine(adversary, random.split());
      return runner;
    }
    runner = new StepRunner(id, ids, storage, random, this, this);
    return runner;
  }

  private void recover(String mark) throws IOException, NodeSetupException {
    if (adversary != null) {
      throw new NodeSetupException(id + ": a Byzantine node does not recover (its data folder holds a run already)");
    }
    resumeTrace(mark);
    vc[self]++;
    trace.crash(seq++, System.currentTimeMillis(), id, protocol.crashAction(id), protocol.crashParam(), true, vc, ids);
    out.println("recovered " + id);
    out.flush();
    node = newRunner().boot(protocol.newNode(id, ids, nodeSecret));
    step(null, null, null, node::onRecover);
    // A crash is a fact, not volatile state: its event stays in the trace even if the
    // recovery step had no effect that would have flushed the mark.
    storage.flush();
  }

  /**
   * Takes up the trace where the storage's {@code mark} says it ends (its length, next
   * sequence number and vector clock, flushed with the last step that had an effect): cuts what
   * a killed process wrote after it and appends from there.
   */
  private void resumeTrace(String mark) throws IOException, NodeSetupException {
    String[] f = mark.split(" ");
    long offset = Long.parseLong(f[0]);
    seq = Long.parseLong(f[1]);
    String[] clock = f[2].split(",");
    for (int i = 0; i < vc.length && i < clock.length; i++) {
      vc[i] = Long.parseLong(clock[i]);
    }
    if (!Files.exists(tracePath) || Files.size(tracePath) < offset) {
      throw new NodeSetupException(tracePath + ": shorter than the " + offset
          + " bytes this node's storage says it wrote: give the trace file of this data folder's run");
    }
    try (FileChannel ch = FileChannel.open(tracePath, StandardOpenOption.WRITE)) {
      ch.truncate(offset);
      ch.force(true);
    }
    traceBytes = new CountingStream(Files.newOutputStream(tracePath, StandardOpenOption.APPEND), offset);
    trace = new TraceWriter(new BufferedOutputStream(traceBytes, 1 << 16));
    trace.resume(ids);
  }

  /**
   * Logs the crash-stop of this node, which was killed and will not come back, at the end of
   * its trace: the trace is cut back to its storage's mark (as on recovery) and ends with the
   * spec's crash action, never followed by a recovery. Call it instead of {@link #run()}, on
   * the data folder and trace of the killed process; it closes the node.
   *
   * @return false when the node never booted (its storage has no mark): nothing to log
   */
  public boolean recordCrashStop() throws IOException, NodeSetupException {
    try {
      String mark = storage.getString(MARK);
      if (mark == null) {
        return false;
      }
      resumeTrace(mark);
      vc[self]++;
      trace.crash(seq++, System.currentTimeMillis(), id, protocol.crashAction(id), protocol.crashParam(), false, vc,
          ids);
      trace.flush();
      storage.putString(MARK, mark());
      storage.flush();
      out.println("crashed " + id);
      out.flush();
      return true;
    } finally {
      close();
    }
  }

  /** True when {@code p} holds a trace's header and more. */
  private static boolean holdsEvents(Path p) throws IOException {
    if (!Files.exists(p) || Files.size(p) == 0) {
      return false;
    }
    try (var s = Files.lines(p)) {
      return s.limit(2).count() > 1;
    }
  }

  /**
   * The mark that the trace file itself gives, for a node whose data folder was lost in a
   * model that keeps no state across a crash: the trace ends after its last whole line (a
   * line cut short by the kill is cut away), and that line gives the next sequence number and
   * the vector clock. The trace holds at least every step whose effects were seen, since a
   * step's lines reach the file before its messages leave; a later step that had no effect
   * may remain, which is a step the node took and whose state the crash lost.
   *
   * @throws NodeSetupException when the trace is of another run (protocol or nodes) or unreadable
   */
  private String markOfTrace() throws IOException, NodeSetupException {
    try (FileChannel ch = FileChannel.open(tracePath, StandardOpenOption.READ)) {
      long end = lastNewline(ch, ch.size()) + 1;
      long start = lastNewline(ch, end - 1) + 1;
      long headerEnd = nextNewline(ch, 0);
      String protocolName;
      List<String> nodes;
      try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(read(ch, 0, headerEnd))) {
        Map<String, Object> header = topLevel(p);
        protocolName = String.valueOf(header.get("protocol"));
        @SuppressWarnings("unchecked")
        List<String> n = header.get("nodes") instanceof List<?> l ? (List<String>) l : List.of();
        nodes = n;
      }
      if (!protocolName.equals(protocol.name()) || !nodes.equals(ids)) {
        throw new NodeSetupException(tracePath + ": holds a trace of " + protocolName + " on " + nodes
            + ", not of this run (" + protocol.name() + " on " + ids + "): refusing to continue it");
      }
      long next = 0;
      long[] clock = new long[ids.size()];
      if (start > headerEnd) {
        try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(read(ch, start, end - 1))) {
          Map<String, Object> last = topLevel(p);
          if (!(last.get("seq") instanceof Long s) || !(last.get("vc") instanceof Map<?, ?> vcs)) {
            throw new NodeSetupException(tracePath + ": its last line (at byte " + start
                + ") has no seq and vc: not a trace this node wrote");
          }
          next = s + 1;
          for (var e : vcs.entrySet()) {
            int k = ids.indexOf(String.valueOf(e.getKey()));
            if (k >= 0 && e.getValue() instanceof Long c) {
              clock[k] = c;
            }
          }
        }
      }
      return mark(end, next, clock);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new NodeSetupException(tracePath + ": not a trace (" + e.getOriginalMessage() + " at line "
          + e.getLocation().getLineNr() + "): refusing to continue it");
    }
  }

  private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

  /** A JSON object's fields: strings, longs, lists of strings, objects of longs; others skipped. */
  private static Map<String, Object> topLevel(com.fasterxml.jackson.core.JsonParser p) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
      throw new com.fasterxml.jackson.core.JsonParseException(p, "a trace line is a JSON object");
    }
    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
      String name = p.currentName();
      switch (p.nextToken()) {
        case VALUE_STRING -> fields.put(name, p.getText());
        case VALUE_NUMBER_INT -> fields.put(name, p.getLongValue());
        case START_ARRAY -> {
          List<String> items = new ArrayList<>();
          while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
            if (p.currentToken().isStructStart()) {
              p.skipChildren();
            } else {
              items.add(p.getText());
            }
          }
          fields.put(name, items);
        }
        case START_OBJECT -> {
          Map<String, Object> inner = new LinkedHashMap<>();
          while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT) {
              inner.put(key, p.getLongValue());
            } else {
              p.skipChildren();
            }
          }
          fields.put(name, inner);
        }
        default -> p.skipChildren();
      }
    }
    return fields;
  }

  /** The offset of the last newline before {@code before}, or -1. */
  private static long lastNewline(FileChannel ch, long before) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    for (long hi = before; hi > 0; ) {
      long lo = Math.max(0, hi - buf.capacity());
      buf.clear().limit((int) (hi - lo));
      while (buf.hasRemaining() && ch.read(buf, lo + buf.position()) >= 0) {
        // fill
      }
      for (int i = buf.position() - 1; i >= 0; i--) {
        if (buf.get(i) == '\n') {
          return lo + i;
        }
      }
      hi = lo;
    }
    return -1;
  }

  /** The offset of the first newline at or after {@code from}, or the file's size. */
  private static long nextNewline(FileChannel ch, long from) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    long size = ch.size();
    for (long lo = from; lo < size; lo += buf.capacity()) {
      buf.clear();
      int got = ch.read(buf, lo);
      for (int i = 0; i < got; i++) {
        if (buf.get(i) == '\n') {
          return lo + i;
        }
      }
    }
    return size;
  }

  /** Bytes {@code [from, to)} of the file. */
  private static byte[] read(FileChannel ch, long from, long to) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(to - from));
    while (buf.hasRemaining() && ch.read(buf, from + buf.position()) >= 0) {
      // fill
    }
    return buf.array();
  }

  /** The trace mark: bytes of the trace file, the next sequence number, the vector clock. */
  private String mark() {
    return mark(traceBytes.count, seq, vc);
  }

  /** A trace mark as {@link #resumeTrace} reads it: "bytes seq c1,c2,...". */
  private static String mark(long bytes, long nextSeq, long[] clock) {
    StringBuilder b = new StringBuilder().append(bytes).append(' ').append(nextSeq).append(' ');
    for (int i = 0; i < clock.length; i++) {
      b.append(i == 0 ? "" : ",").append(clock[i]);
    }
    return b.toString();
  }

  // ---- steps ----------------------------------------------------------------------------------

  private void step(String from, M msg, long[] msgVc, Runnable handler) {
    if (msgVc != null) {
      for (int i = 0; i < vc.length && i < msgVc.length; i++) {
        vc[i] = Math.max(vc[i], msgVc[i]);
      }
    }
    Effects e = runner.run(from, msg, handler);
    boolean faulty = protocol.stillFaulty(node);
    boolean changed = faulty != reportedFaulty;
    if (changed) {
      // A driver that crashes nodes counts this one among the faulty until it says healed.
      reportedFaulty = faulty;
      out.println((faulty ? "faulty " : "healed ") + id);
    }
    if (changed || !e.decisions().isEmpty() || !e.deliveries().isEmpty()) {
      out.flush();
    }
  }

  /**
   * A delivered or decided value as its line on standard output reports it: a record of the
   * protocol's {@linkplain Protocol#reportTypes() report types} in the wire encoding (JSON on
   * one line), which a driver decodes to check the protocol's properties; any other value
   * as its text.
   */
  private String report(Object v) {
    if (v instanceof Record r && protocol.reportTypes().contains(r.getClass())) {
      return new String(codec.encode(r), java.nio.charset.StandardCharsets.UTF_8);
    }
    return show(v);
  }

  private static String show(Object v) {
    return v instanceof SpecValue s ? String.valueOf(s.specValue()) : String.valueOf(v);
  }

  private void transmit(String to, M msg) {
    if (to.equals(id)) {
      long[] clock = vc.clone();
      inbox.add(() -> step(id, msg, clock, () -> node.onMessage(id, msg)));
      return;
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    try (DataOutputStream d = new DataOutputStream(b)) {
      Link link = links.get(to);
      d.writeLong(incarnation);
      d.writeLong(++link.sent);
      boolean traced = trace != null;
      d.writeShort(traced ? vc.length : 0);
      if (traced) {
        for (long c : vc) {
          d.writeLong(c);
        }
      }
      d.write(codec.encode((Record) msg));
      d.flush();
      // The link seals it for the connection it goes out on.
      if (!link.queue.offer(b.toByteArray())) {
        log.println("node " + id + ": the send queue to " + to + " is full (" + options.sendQueue()
            + " frames): dropping a " + msg.getClass().getSimpleName());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- StepRunner.Runtime and TraceSink ------------------------------------------------------

  @Override
  public void mark(Storage storage) {
    try {
      trace.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(tracePath + ": cannot write the trace", e);
    }
    storage.putString(MARK, mark());
  }

  @Override
  public void send(String to, Message msg) {
    @SuppressWarnings("unchecked")
    M m = (M) msg;
    transmit(to, m);
  }

  @Override
  public void sendByzantine(Adversary.Out o) {
    try {
      if (!o.from().equals(id)) {
        // The link proves its sender: a message under another node's name does not leave.
        trace.fault(seq++, System.currentTimeMillis(), "forgery-rejected", id, o.from(), o.to(), o.msg());
        trace.flush();
        return;
      }
      vc[self]++;
      trace.byzantine(seq++, System.currentTimeMillis(), id, o.from(), o.to(), o.msg(), vc, ids);
      trace.flush(); // before the message leaves: a receipt is never in a trace before its send
      @SuppressWarnings("unchecked")
      M m = (M) o.msg();
      transmit(o.to(), m);
    } catch (IOException e) {
      throw new UncheckedIOException(tracePath + ": cannot write the trace", e);
    }
  }

  @Override
  public void setTimer(String name, long delay) {
    long gen = ++timerGen;
    timers.put(name, gen);
    timerThread.schedule(() -> inbox.add(() -> {
      Long current = timers.get(name);
      if (current != null && current == gen) {
        timers.remove(name);
        step(null, null, null, () -> node.onTimer(name));
      }
    }), delay * options.tickMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void cancelTimer(String name) {
    timers.remove(name);
  }

  @Override
  public void delivered(Object value) {
    out.println("delivered " + id + " " + report(value));
  }

  @Override
  public void decided(Object value) {
    out.println("decided " + id + " " + report(value));
  }

  /** Logged, and written to the trace as the simulator writes it. */
  @Override
  public void rejected(String from, Message msg, String reason) {
    log.println("node " + id + ": rejected a " + msg.getClass().getSimpleName() + " from " + from + " (" + reason + ")");
    if (trace == null) {
      return;
    }
    try {
      vc[self]++; // an event of this node, after the send of what it rejects
      trace.rejected(seq++, System.currentTimeMillis(), id, from, msg, reason, vc, ids);
    } catch (IOException e) {
      throw new UncheckedIOException(tracePath + ": cannot write the trace", e);
    }
  }

  @Override
  public void action(ProtocolNode<?> n, String action, String paramNames, Object[] params, String recvFrom,
                     Message recv, List<String> sentTo, List<Message> sent) {
    vc[self]++;
    try {
      trace.action(seq++, System.currentTimeMillis(), n, action, paramNames, params, recvFrom, recv, sentTo, sent,
          vc, ids);
    } catch (IOException e) {
      throw new UncheckedIOException(tracePath + ": cannot write the trace", e);
    }
  }

  // ---- network --------------------------------------------------------------------------------

  private void accept() {
    while (!stopping) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (!stopping) {
          log.println("node " + id + ": accept failed: " + e.getMessage());
        }
        return;
      }
      synchronized (inbound) {
        inbound.add(s);
      }
      daemon(() -> serve(s), id + "-from-" + s.getPort()).start();
    }
  }

  /** Reads one inbound connection: the handshake, then frames, until it ends or misbehaves. */
  @SuppressWarnings("unchecked")
  private void serve(Socket s) {
    String who = s.getRemoteSocketAddress().toString();
    try (s; DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()))) {
      s.setSoTimeout(HANDSHAKE_MILLIS);
      PeerAuth.Session session = auth.accept(in, new DataOutputStream(new BufferedOutputStream(s.getOutputStream())),
          id, from -> from.equals(Frame.CLIENT) || peers.containsKey(from) && !from.equals(id));
      if (session == null) {
        return;
      }
      s.setSoTimeout(0);
      String from = session.peer();
      who += " (" + from + ")";
      for (Frame sealed; (sealed = Frame.read(in)) != null; ) {
        Frame f = session.open(sealed);
        switch (f.kind()) {
          case MESSAGE -> {
            if (from.equals(Frame.CLIENT)) {
              throw new Frame.BadFrame("a client sent a MESSAGE");
            }
            ByteBuffer b = ByteBuffer.wrap(f.payload());
            if (b.remaining() < 18) {
              throw new Frame.BadFrame("a MESSAGE shorter than its incarnation, sequence number and clock length");
            }
            long senderIncarnation = b.getLong();
            long linkSeq = b.getLong();
            int n = b.getShort() & 0xffff;
            if (n != 0 && n != vc.length || b.remaining() < 8 * n) {
              throw new Frame.BadFrame("a MESSAGE with a vector clock of " + n + " entries in a run of " + vc.length);
            }
            long[] clock = n == 0 ? null : new long[n];
            for (int i = 0; i < n; i++) {
              clock[i] = b.getLong();
            }
            byte[] json = new byte[b.remaining()];
            b.get(json);
            Record r = codec.decode(json);
            if (!protocol.messageType().isInstance(r)) {
              throw new Frame.BadFrame("a MESSAGE holding a " + r.getClass().getSimpleName() + ", which is no message");
            }
            M msg = (M) r;
            String sender = from;
            // A frame whose write failed is sent again on the next connection, though it may have
            // arrived: the link's sequence number tells, so links never duplicate.
            long[] last = received.get(sender);
            if (last != null && last[0] == senderIncarnation && linkSeq <= last[1]) {
              continue;
            }
            received.put(sender, new long[] {senderIncarnation, linkSeq});
            inbox.add(() -> step(sender, msg, clock, () -> node.onMessage(sender, msg)));
          }
          case REQUEST -> {
            Record r = codec.decode(f.payload());
            inbox.add(() -> step(null, null, null, () -> node.onRequest(r)));
          }
          case STOP -> stop();
          default -> throw new Frame.BadFrame("unexpected " + f.kind());
        }
      }
    } catch (Frame.BadFrame | WireCodec.WireException e) {
      log.println("node " + id + ": closing the connection from " + who + ": " + e.getMessage());
    } catch (java.net.SocketTimeoutException e) {
      log.println("node " + id + ": closing the connection from " + who + ": no handshake within "
          + HANDSHAKE_MILLIS + " ms");
    } catch (IOException e) {
      if (!stopping) {
        log.println("node " + id + ": the connection from " + who + " failed: " + e.getMessage());
      }
    }
  }

  /** How long either end of a new connection waits for each frame of the handshake. */
  static final int HANDSHAKE_MILLIS = 10_000;

  /** The sending end of the link to one peer. */
  private final class Link implements Runnable {
    final String peer;
    final InetSocketAddress addr;
    /** The bodies of MESSAGE frames, sealed when they are written. */
    final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(options.sendQueue());
    /** Frames given to this link (by the loop thread): each MESSAGE carries its number. */
    long sent;
    /** The last reason a handshake failed, logged once until it changes. */
    private String refused;

    Link(String peer, InetSocketAddress addr) {
      this.peer = peer;
      this.addr = addr;
    }

    @Override
    public void run() {
      long backoff = 50;
      byte[] pending = null;
      while (!stopping) {
        try (Socket s = new Socket()) {
          s.connect(addr, 1000);
          s.setTcpNoDelay(true);
          DataOutputStream o = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
          s.setSoTimeout(HANDSHAKE_MILLIS);
          PeerAuth.Session session = auth.connect(new DataInputStream(new BufferedInputStream(s.getInputStream())), o,
              id, peer);
          refused = null;
          backoff = 50;
          while (!stopping) {
            if (pending == null) {
              pending = queue.poll(100, TimeUnit.MILLISECONDS);
            }
            if (pending != null) {
              session.seal(Frame.Kind.MESSAGE, pending).write(o);
              o.flush();
              pending = null;
            }
          }
        } catch (Frame.BadFrame e) {
          if (!e.getMessage().equals(refused)) {
            log.println("node " + id + ": the handshake with " + peer + " at " + addr + " failed: " + e.getMessage());
            refused = e.getMessage();
          }
          sleep(backoff);
          backoff = Math.min(2000, backoff * 2);
        } catch (IOException e) {
          sleep(backoff);
          backoff = Math.min(2000, backoff * 2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  // ---- shutdown -------------------------------------------------------------------------------

  private void shutdown() throws IOException {
    stopping = true;
    timerThread.shutdownNow();
    try {
      if (trace != null) {
        trace.flush();
        storage.putString(MARK, mark());
      }
      storage.flush();
    } finally {
      close();
    }
    out.println("stopped " + id);
    out.flush();
  }

  /**
   * Closes the node: its timers, listening socket, connections and trace, and then, whatever
   * of those failed to close, its data folder's lock, so that a node started after it on the
   * same folder (a restart in the same JVM) is never refused by a lock this one still holds.
   */
  @Override
  public void close() throws IOException {
    stopping = true;
    try {
      timerThread.shutdownNow();
      server.close();
      synchronized (inbound) {
        for (Socket s : inbound) {
          try {
            s.close();
          } catch (IOException ignored) {
            // a connection that fails to close is closed by its peer or the JVM
          }
        }
      }
      if (trace != null) {
        trace.close();
        trace = null;
      }
    } finally {
      try {
        if (lock.isValid()) {
          lock.release();
        }
      } finally {
        lockChannel.close();
      }
    }
  }

  /** Counts the bytes that reach the file, for the trace mark. */
  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out, long start) {
      super(out);
      this.count = start;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /** A node that cannot start for a reason its user must fix. */
  public static final class NodeSetupException extends Exception {
    public NodeSetupException(String message) {
      super(message);
    }
  }
}
