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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import spectrace.core.Protocol;
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

  /** What the driver knows of one node. */
  private static final class Node {
    final String id;
    Process process;
    boolean ready;
    final List<String> decisions = new ArrayList<>();
    final List<String> deliveries = new ArrayList<>();
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
    List<String> entries = new ArrayList<>();
    for (String id : ids) {
      InetSocketAddress a = new InetSocketAddress("127.0.0.1", freePort());
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  List<String> ids() {
    return ids;
  }

  /** Node {@code id}'s address. */
  InetSocketAddress address(String id) {
    return addresses.get(node(id).id);
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

  /** Starts node {@code id} (again, after a kill: it recovers) and waits until it is ready. */
  void start(String id, Duration timeout) throws IOException, InterruptedException {
    launch(id);
    awaitReady(id, timeout);
  }

  private void launch(String id) throws IOException {
    Node n = node(id);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "node", protocol.name(), "--id", id, "--peers", peers, "--data", dir.resolve(id).toString(),
        "--trace", trace(id).toString(), "--secret", secretFile.toString(), "--tick-ms", Long.toString(tickMillis),
        "--seed", Long.toString(seed)));
    // The node's standard input is a pipe whose other end this process holds (never closed):
    // when this process ends, however it ends (SIGKILL too), the node reads its end and stops.
    cmd.add("--exit-with-parent");
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile()));
    synchronized (this) {
      n.ready = false;
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
            case "decided" -> n.decisions.add(f.length > 2 ? f[2] : "");
            case "delivered" -> n.deliveries.add(f.length > 2 ? f[2] : "");
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
  }

  /** Kills node {@code id} with SIGKILL and waits until it is gone. */
  void kill(String id) throws InterruptedException {
    Node n = node(id);
    Process p;
    synchronized (this) {
      p = n.process;
      n.kills++;
      n.ready = false;
      closeClient(n);
    }
    p.destroyForcibly();
    p.waitFor();
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
        n.process.destroyForcibly();
      }
    }
  }
}
