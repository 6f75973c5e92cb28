package spectrace.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import spectrace.core.Protocol;
import spectrace.core.Reports;
import spectrace.net.ClusterSecret;
import spectrace.net.Frame;
import spectrace.net.PeerAuth;
import spectrace.net.PeerAuth.Session;
import spectrace.net.WireCodec;

/**
 * The node processes of one run on loopback ({@code ./spectrace node} each, in a JVM of its
 * own), for {@code ./spectrace cluster} and the tests: start, SIGKILL, restart, send client
 * requests, watch what each node reports on its standard output, stop.
 *
 * <p>Node {@code id} keeps its durable state in {@code dir/id/}, its trace in
 * {@code dir/id.ndjson} and its log (standard error) in {@code dir/id.log}. The run's secret,
 * made fresh with {@link java.security.SecureRandom}, is in {@code dir/secret} (mode 0600), which
 * every node is given with {@code --secret}; the driver holds it too, and authenticates its
 * own connections as {@value Frame#CLIENT} (see {@link PeerAuth}).
 */
final class LocalCluster implements Closeable {

  private final Protocol<?> protocol;
  private final Path dir;
  private final long tickMillis;
  private final long seed;
  private final List<String> ids;
  private final String peers;
  /** Each node's loopback address, as {@link #peers} lists it. */
  private final Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
  private final WireCodec codec;
  private final Path secretFile;
  private final PeerAuth auth;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  /** On SIGINT or SIGTERM of this process: stop the nodes (they would also see their input end). */
  private final Thread shutdownHook = new Thread(this::stopOnShutdown, "cluster-shutdown");
  /** Decodes what nodes report delivering or deciding. */
  private final WireCodec reportCodec;
  /** Nodes that ended without the driver killing or stopping them, oldest first, not yet taken. */
  private final List<Death> deaths = new ArrayList<>();
  /** When a node last reported a delivery or a decision (System.nanoTime()). */
  private long lastReport = System.nanoTime();
  /** Whether deliveries are also kept for {@link #takeDelivered} (a replicated service's replies). */
  private boolean forwarding;
  /** Deliveries not yet taken, oldest first, while {@link #forwarding}. */
  private final List<Delivered> forwarded = new ArrayList<>();

  /**
   * A value a node reported delivering.
   *
   * @param node  the node
   * @param value the value, decoded with the protocol's report types
   */
  record Delivered(String node, Object value) {}

  /**
   * A node process that ended by itself.
   *
   * @param id       the node
   * @param exitCode its exit code
   * @param lastLog  the last line of its log
   */
  record Death(String id, int exitCode, String lastLog) {}

  /** What the driver knows of one node. */
  private static final class Node {
    final String id;
    Process process;
    boolean ready;
    final List<String> decisions = new ArrayList<>();
    final List<String> deliveries = new ArrayList<>();
    /** What it reported, decoded with the protocol's report types: what {@link #reports} judges. */
    final List<Object> decided = new ArrayList<>();
    final List<Object> delivered = new ArrayList<>();
    /** The client requests it was sent, in order. */
    final List<Object> requests = new ArrayList<>();
    /** True while the driver kills or stops it: its end is no surprise. */
    boolean ending;
    /** True between its {@code faulty} and {@code healed} lines: up, but among the faulty (VR's recovering replica). */
    boolean faulty;
    int recoveries;
    int kills;
    Socket client;
    DataOutputStream clientOut;
    PeerAuth.Session session;

    Node(String id) {
      this.id = id;
    }
  }

  LocalCluster(Protocol<?> protocol, int n, Path dir, long tickMillis, long seed) throws IOException {
    this.protocol = protocol;
    this.dir = Files.createDirectories(dir);
    this.tickMillis = tickMillis;
    this.seed = seed;
    this.ids = List.copyOf(protocol.nodeIds(n));
    this.codec = new WireCodec(protocol.messageType(), protocol.requestTypes());
    this.secretFile = dir.resolve("secret");
    this.auth = new PeerAuth(ClusterSecret.create(secretFile), protocol.name());
    this.reportCodec = new WireCodec(protocol.messageType(), protocol.reportTypes());
    List<String> entries = new ArrayList<>();
    for (String id : ids) {
      InetSocketAddress a = new InetSocketAddress("127.0.0.1", freePort(addresses.values()));
      addresses.put(id, a);
      entries.add(id + "=127.0.0.1:" + a.getPort());
      nodes.put(id, new Node(id));
    }
    this.peers = String.join(",", entries);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** SIGTERM to every live node, so that it stops after its step with its state flushed; SIGKILL after 3 s. */
  private void stopOnShutdown() {
    List<Process> live = new ArrayList<>();
    synchronized (this) {
      for (Node n : nodes.values()) {
        if (n.process != null && n.process.isAlive()) {
          live.add(n.process);
        }
      }
    }
    live.forEach(Process::destroy);
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    for (Process p : live) {
      try {
        if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }

  /**
   * A port free on loopback now, which the node's own process binds later. It is chosen below
   * the kernel's range of ephemeral ports where it has one, since an outgoing connection (the
   * nodes' own links among them) takes its local port from that range and could take the port
   * in between; a port that is still taken then is {@link ClusterCommand}'s to retry.
   *
   * @param chosen the addresses of this cluster's nodes so far, whose ports are not free for another
   */
  private static int freePort(java.util.Collection<InetSocketAddress> chosen) throws IOException {
    int low = ephemeralLow();
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; low > 10_000 && attempt < 50; attempt++) {
      int port = 10_000 + random.nextInt(low - 10_000);
      if (chosen.stream().anyMatch(a -> a.getPort() == port)) {
        continue; // free, but another node of this cluster has it
      }
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The lowest ephemeral port (Linux's ip_local_port_range), or 0 where it is not known. */
  private static int ephemeralLow() {
    // Read by line: Files.readString reads a /proc file, whose size is 0, as its first byte only.
    try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
      String range = r.readLine();
      return range == null ? 0 : Integer.parseInt(range.strip().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  List<String> ids() {
    return ids;
  }

  /** Node {@code id}'s address. */
  InetSocketAddress address(String id) {
    return addresses.get(node(id).id);
  }

  /** The file of the run's secret, as {@code --secret} takes it. */
  Path secretFile() {
    return secretFile;
  }

  /** The run's peer list, as {@code --peers} takes it: {@code id=127.0.0.1:port,...}. */
  String peers() {
    return peers;
  }

  Path trace(String id) {
    return dir.resolve(id + ".ndjson");
  }

  List<Path> traces() {
    return ids.stream().map(this::trace).toList();
  }

  /** Starts every node, all at once, and waits until each is ready. */
  void startAll(Duration timeout) throws IOException, InterruptedException {
    for (String id : ids) {
      launch(id);
    }
    for (String id : ids) {
      awaitReady(id, timeout);
    }
  }

  /**
   * Starts node {@code id} again, after a kill, and waits until it is ready: it recovers. In a
   * model that keeps nothing across a crash ({@link spectrace.core.SystemModel#recoversWithoutState()}:
   * VR), its data folder is deleted first, so that it comes back with nothing but its trace.
   */
  void start(String id, Duration timeout) throws IOException, InterruptedException {
    if (protocol.model().recoversWithoutState()) {
      Path data = dir.resolve(id);
      if (Files.exists(data)) {
        try (var files = Files.walk(data)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(f);
          }
        }
      }
    }
    launch(id);
    awaitReady(id, timeout);
  }

  /**
   * Logs in the trace of node {@code id}, killed for good, its crash-stop ({@code node
   * --record-crash} on its data folder and trace), and waits for that to finish.
   */
  void recordCrash(String id, Duration timeout) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(command(id));
    cmd.add("--record-crash");
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile())).start();
    if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException("node " + id + " did not record its crash in " + timeout.toSeconds() + " s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("node " + id + " could not record its crash (exit " + p.exitValue() + "): "
          + lastLine(dir.resolve(id + ".log")));
    }
  }

  /** The command line of node {@code id}'s process. */
  private List<String> command(String id) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "node", protocol.name(), "--id", id, "--peers", peers, "--data", dir.resolve(id).toString(),
        "--trace", trace(id).toString(), "--secret", secretFile.toString(), "--tick-ms", Long.toString(tickMillis),
        "--seed", Long.toString(seed)));
    String a = adversaries.get(id);
    if (a != null) {
      cmd.addAll(List.of("--adversary", a));
    }
    return cmd;
  }

  /** The Byzantine nodes, each with the name of its adversary; empty for none. */
  private Map<String, String> adversaries = Map.of();

  /** Makes {@code byAdversary}'s nodes Byzantine, each with its adversary (by name), before they start. */
  void byzantine(Map<String, String> byAdversary) {
    adversaries = Map.copyOf(byAdversary);
  }

  private void launch(String id) throws IOException {
    Node n = node(id);
    List<String> cmd = new ArrayList<>(command(id));
    // The node's standard input is a pipe whose other end this process holds (never closed):
    // when this process ends, however it ends (SIGKILL too), the node reads its end and stops.
    cmd.add("--exit-with-parent");
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile()));
    synchronized (this) {
      n.ready = false;
      n.ending = false;
      n.faulty = false;
      n.process = pb.start();
    }
    Process p = n.process;
    Thread reader = new Thread(() -> read(n, p), "cluster-" + id);
    reader.setDaemon(true);
    reader.start();
  }

  private void awaitReady(String id, Duration timeout) throws IOException, InterruptedException {
    Node n = node(id);
    Process p = n.process;
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (!n.ready) {
        if (!p.isAlive()) {
          // The exception tells of this death: the watch need not.
          n.ending = true;
          deaths.removeIf(d -> d.id().equals(id));
          throw new IOException("node " + id + " exited with " + p.exitValue() + " before it was ready; see "
              + dir.resolve(id + ".log") + ": " + lastLine(dir.resolve(id + ".log")));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException("node " + id + " was not ready after " + timeout.toSeconds() + " s; see "
              + dir.resolve(id + ".log"));
        }
        wait(Math.max(1, Math.min(100, left / 1_000_000)));
      }
    }
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return lines.isEmpty() ? "(empty)" : lines.get(lines.size() - 1);
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  private void read(Node n, Process p) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] f = line.split(" ", 3);
        synchronized (this) {
          switch (f[0]) {
            case "ready" -> n.ready = true;
            case "recovered" -> n.recoveries++;
            case "faulty" -> n.faulty = true;
            case "healed" -> n.faulty = false;
            case "decided" -> {
              n.decisions.add(f.length > 2 ? f[2] : "");
              n.decided.add(decodeReport(f.length > 2 ? f[2] : ""));
              lastReport = System.nanoTime();
            }
            case "delivered" -> {
              Object value = decodeReport(f.length > 2 ? f[2] : "");
              n.deliveries.add(f.length > 2 ? f[2] : "");
              n.delivered.add(value);
              if (forwarding) {
                forwarded.add(new Delivered(n.id, value));
              }
              lastReport = System.nanoTime();
            }
            default -> {
              // other lines are for people
            }
          }
          notifyAll();
        }
      }
    } catch (IOException ignored) {
      // the process is gone
    }
    watch(n, p);
  }

  /** A reported value: a record of the protocol's report types when it is one's JSON, its text otherwise. */
  private Object decodeReport(String text) {
    if (text.startsWith("{") && !protocol.reportTypes().isEmpty()) {
      try {
        return reportCodec.decode(text.getBytes(StandardCharsets.UTF_8));
      } catch (WireCodec.WireException e) {
        return text;
      }
    }
    return text;
  }

  /** Once node {@code n}'s output has ended: notes its death if the driver neither killed nor stopped it. */
  private void watch(Node n, Process p) {
    int code;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      return;
    }
    synchronized (this) {
      if (n.process == p && !n.ending) {
        n.ready = false;
        closeClient(n);
        deaths.add(new Death(n.id, code, lastLine(dir.resolve(n.id + ".log"))));
      }
      notifyAll();
    }
  }

  /** From now on, keeps every delivery for {@link #takeDelivered} as well. */
  synchronized void forwardDeliveries() {
    forwarding = true;
  }

  /** The deliveries reported since the last call (each once), oldest first: see {@link #forwardDeliveries}. */
  synchronized List<Delivered> takeDelivered() {
    List<Delivered> out = List.copyOf(forwarded);
    forwarded.clear();
    return out;
  }

  /** The nodes that ended by themselves since the last call (each once), oldest first. */
  synchronized List<Death> takeDeaths() {
    List<Death> out = List.copyOf(deaths);
    deaths.clear();
    return out;
  }

  /** Nanoseconds since a node last reported a delivery or a decision. */
  synchronized long sinceLastReport() {
    return System.nanoTime() - lastReport;
  }

  /**
   * What the nodes have reported so far, and the requests they were sent, for the protocol to
   * judge ({@link Protocol#awaiting}, {@link Protocol#violations}).
   *
   * @param crashed the nodes down for good
   */
  synchronized Reports reports(Set<String> crashed) {
    Map<String, List<Object>> requests = new LinkedHashMap<>();
    Map<String, List<Object>> delivered = new LinkedHashMap<>();
    Map<String, List<Object>> decided = new LinkedHashMap<>();
    nodes.forEach((id, n) -> {
      requests.put(id, n.requests);
      delivered.put(id, n.delivered);
      decided.put(id, n.decided);
    });
    return new Reports(ids, requests, delivered, decided, crashed);
  }

  /** Kills node {@code id} with SIGKILL and waits until it is gone. */
  void kill(String id) throws InterruptedException {
    Node n = node(id);
    Process p;
    synchronized (this) {
      p = n.process;
      n.kills++;
      n.ready = false;
      n.ending = true;
      closeClient(n);
    }
    p.destroyForcibly();
    p.waitFor();
  }

  /** True while node {@code id} runs but counts among the faulty, as its last report says (see {@code TcpNode}). */
  synchronized boolean faulty(String id) {
    return node(id).faulty;
  }

  synchronized boolean running(String id) {
    Node n = node(id);
    return n.process != null && n.process.isAlive() && n.ready;
  }

  /** Sends the client request {@code request} to node {@code id}; false if it could not be sent. */
  boolean request(String id, Record request) {
    Node n = node(id);
    byte[] json = codec.encode(request);
    synchronized (this) {
      try {
        if (n.client == null) {
          n.client = new Socket();
          n.client.connect(addresses.get(id), 1000);
          n.clientOut = new DataOutputStream(new BufferedOutputStream(n.client.getOutputStream()));
          n.session = handshake(n.client, n.clientOut, id);
        }
        n.session.seal(Frame.Kind.REQUEST, json).write(n.clientOut);
        n.clientOut.flush();
        n.requests.add(request);
        return true;
      } catch (IOException e) {
        closeClient(n);
        return false;
      }
    }
  }

  private static void closeClient(Node n) {
    if (n.client != null) {
      try {
        n.client.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    n.client = null;
    n.clientOut = null;
    n.session = null;
  }

  /** Proves this driver to node {@code id} as {@value Frame#CLIENT}, and checks the node's proof. */
  private Session handshake(Socket s, DataOutputStream out, String id) throws IOException {
    s.setSoTimeout(5000);
    return auth.connect(new DataInputStream(new BufferedInputStream(s.getInputStream())), out, Frame.CLIENT, id);
  }

  /** Each node's decisions so far, in the order it reported them. */
  synchronized Map<String, List<String>> decisions() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    nodes.forEach((id, n) -> out.put(id, List.copyOf(n.decisions)));
    return out;
  }

  /** Waits until every node has decided at least once, or the timeout; true if they all have. */
  synchronized boolean awaitDecisions(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (nodes.values().stream().anyMatch(n -> n.decisions.isEmpty())) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, Math.min(100, left / 1_000_000)));
    }
    return true;
  }

  synchronized int recoveries() {
    return nodes.values().stream().mapToInt(n -> n.recoveries).sum();
  }

  synchronized int kills() {
    return nodes.values().stream().mapToInt(n -> n.kills).sum();
  }

  /** Asks every live node to stop, waits for them, and kills any that does not stop in time. */
  void stop(Duration timeout) throws InterruptedException {
    List<Process> live = new ArrayList<>();
    for (Node n : nodes.values()) {
      synchronized (this) {
        if (n.process == null || !n.process.isAlive()) {
          continue;
        }
        n.ending = true;
        live.add(n.process);
      }
      sendStop(n);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Process p : live) {
      long left = Math.max(1, deadline - System.nanoTime());
      if (!p.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
        p.destroyForcibly();
        p.waitFor();
      }
    }
  }

  private void sendStop(Node n) {
    try (Socket s = new Socket()) {
      s.connect(addresses.get(n.id), 1000);
      DataOutputStream o = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
      handshake(s, o, n.id).seal(Frame.Kind.STOP, new byte[0]).write(o);
      o.flush();
    } catch (IOException e) {
      // unreachable: it will be killed at the deadline
    }
  }

  private Node node(String id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id + " (" + String.join(", ", ids) + ")");
    }
    return n;
  }

  /** The last line of every node's log, for a failure message. */
  String logs() {
    return ids.stream().map(id -> id + ": " + lastLine(dir.resolve(id + ".log"))).collect(Collectors.joining("; "));
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs
    }
    for (Node n : nodes.values()) {
      synchronized (this) {
        closeClient(n);
      }
      if (n.process != null && n.process.isAlive()) {
        synchronized (this) {
          n.ending = true;
        }
        n.process.destroyForcibly();
      }
    }
  }
}
