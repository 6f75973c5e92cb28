package spectrace.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.protocols.twophase.TwoPhaseMessage;
import spectrace.protocols.twophase.Vote;

/**
 * A TM and one RM as {@link TcpNode}s in this JVM, over loopback: bad frames close only their
 * connection, and the nodes go on to commit; a clean stop flushes the traces.
 */
class TcpNodeIT {

  @TempDir Path tmp;

  private final ClusterSecret secret = ClusterSecret.random();
  private final PeerAuth auth = new PeerAuth(secret, "twophase");

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String output() {
    synchronized (outBytes) {
      return outBytes.toString(StandardCharsets.UTF_8);
    }
  }

  private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Writes bytes on a connection of their own, and waits until the node closes it (or 2 s). */
  private static void send(int port, byte[] bytes) throws Exception {
    try (TestPeer p = TestPeer.raw(port)) {
      p.write(bytes).closedByNode();
    }
  }

  /** Proves {@code self} to the node, sends {@code body} sealed as {@code kind}, and waits as {@link #send} does. */
  private void sendSealed(int port, String self, String node, Frame.Kind kind, byte[] body) throws Exception {
    try (TestPeer p = TestPeer.honest(port, auth, self, node)) {
      p.seal(kind, body).closedByNode();
    }
  }

  @Test
  void badFramesCloseTheirConnectionAndTheNodesStillCommit() throws Exception {
    Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
    peers.put("tm", new InetSocketAddress("127.0.0.1", freePort()));
    peers.put("rm1", new InetSocketAddress("127.0.0.1", freePort()));
    TwoPhase protocol = new TwoPhase();
    TcpNode.Options options = new TcpNode.Options(5, 100, 0);
    TcpNode<?> tm = new TcpNode<>(protocol, "tm", peers, tmp.resolve("tm"), tmp.resolve("tm.ndjson"), options, secret,
        out, log);
    TcpNode<?> rm = new TcpNode<>(protocol, "rm1", peers, tmp.resolve("rm1"), tmp.resolve("rm1.ndjson"), options,
        secret, out, log);
    List<Thread> threads = List.of(new Thread(() -> run(tm)), new Thread(() -> run(rm)));
    threads.forEach(Thread::start);
    await(() -> output().contains("ready rm1") && output().contains("ready tm"), "both nodes ready");

    WireCodec codec = new WireCodec(TwoPhaseMessage.class, List.of(Vote.class));
    int port = rm.port();
    send(port, new byte[] {0x7f, 0x7f, 0x7f, 0x7f, 1, 1});                           // oversized
    send(port, TestPeer.frames(new Frame(Frame.Kind.REQUEST, codec.encode(new Vote(true))))); // no HELLO first
    assertThrows(Frame.BadFrame.class, () -> TestPeer.honest(port, auth, "mallory", "rm1"));  // not a peer
    sendSealed(port, Frame.CLIENT, "rm1", Frame.Kind.REQUEST,
        "{\"type\":\"Launch\"}".getBytes(StandardCharsets.UTF_8));                             // unknown type
    byte[] badClock = java.nio.ByteBuffer.allocate(18).putLong(1).putLong(1).putShort((short) 5).array();
    sendSealed(port, "tm", "rm1", Frame.Kind.MESSAGE, badClock);                             // bad clock
    // The node closes the connection, then logs why: wait for the log.
    for (String reason : List.of("frame length", "the first frame must be HELLO", "HELLO from 'mallory'",
        "unknown type 'Launch'", "a vector clock of 5 entries")) {
      await(() -> logBytes.toString(StandardCharsets.UTF_8).contains(reason), "the log to name '" + reason + "'");
    }
    String logged = logBytes.toString(StandardCharsets.UTF_8);
    assertTrue(logged.lines().allMatch(l -> l.startsWith("node rm1: closing the connection from ")), logged);

    sendSealed(port, Frame.CLIENT, "rm1", Frame.Kind.REQUEST, codec.encode(new Vote(true)));
    await(() -> output().contains("decided rm1 committed") && output().contains("decided tm committed"),
        "both nodes to commit; output: " + output());

    tm.stop();
    rm.stop();
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertTrue(output().contains("stopped tm") && output().contains("stopped rm1"), output());
    List<String> rmTrace = Files.readAllLines(tmp.resolve("rm1.ndjson"));
    assertEquals(3, rmTrace.size(), "header, RMPrepare, RMRcvCommitMsg: " + rmTrace);
    assertTrue(rmTrace.get(2).contains("\"action\":\"RMRcvCommitMsg\""), rmTrace.get(2));
  }

  private static byte[] message(long incarnation, long seq, byte[] json) {
    return java.nio.ByteBuffer.allocate(18 + json.length).putLong(incarnation).putLong(seq).putShort((short) 0)
        .put(json).array();
  }

  @Test
  void aFrameSentAgainAfterAReconnectionIsTakenOnce() throws Exception {
    Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
    for (String id : List.of("tm", "rm1", "rm2")) {
      peers.put(id, new InetSocketAddress("127.0.0.1", freePort()));
    }
    TcpNode<?> tm = new TcpNode<>(new TwoPhase(), "tm", peers, tmp.resolve("tm"), tmp.resolve("tm.ndjson"),
        new TcpNode.Options(1000, 100, 0), secret, out, log);
    Thread t = new Thread(() -> run(tm));
    t.start();
    await(() -> output().contains("ready tm"), "tm ready");
    WireCodec codec = new WireCodec(TwoPhaseMessage.class, List.of(Vote.class));
    byte[] vote = codec.encode(new TwoPhaseMessage.Prepared("rm1"));
    // The same frame on two connections (a resend after a failed write), then a new one.
    sendSealed(tm.port(), "rm1", "tm", Frame.Kind.MESSAGE, message(7, 1, vote));
    sendSealed(tm.port(), "rm1", "tm", Frame.Kind.MESSAGE, message(7, 1, vote));
    sendSealed(tm.port(), "rm1", "tm", Frame.Kind.MESSAGE, message(7, 2, vote));
    tm.stop();
    t.join(10_000);
    long received = Files.readAllLines(tmp.resolve("tm.ndjson")).stream()
        .filter(l -> l.contains("\"action\":\"TMRcvPrepared\"")).count();
    assertEquals(2, received, "the resent frame is dropped, the next one taken");
  }

  private static void run(TcpNode<?> node) {
    try {
      node.run();
    } catch (Exception e) {
      throw new AssertionError(node.id() + " failed", e);
    }
  }
}
