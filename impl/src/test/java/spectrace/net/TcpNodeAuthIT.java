package spectrace.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
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
 * Authenticated links between real {@link TcpNode}s over loopback (issue 13): before this, a
 * connection that said HELLO as {@code rm1} was believed, and its vote counted. Each test
 * shows the attack refused, from the node's own trace (the TM never counts the forged vote),
 * and then an honest peer doing the same thing, counted: so the refusal is the check's, not
 * the harness's.
 */
class TcpNodeAuthIT {

  @TempDir Path tmp;

  private final ClusterSecret secret = ClusterSecret.random();
  private final PeerAuth auth = new PeerAuth(secret, "twophase");
  private final WireCodec codec = new WireCodec(TwoPhaseMessage.class, List.of(Vote.class));
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
  private final Map<String, InetSocketAddress> peers = new LinkedHashMap<>();

  private String output() {
    synchronized (outBytes) {
      return outBytes.toString(StandardCharsets.UTF_8);
    }
  }

  private String logged() {
    synchronized (logBytes) {
      return logBytes.toString(StandardCharsets.UTF_8);
    }
  }

  private static void await(Supplier<Boolean> condition, Supplier<String> what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what.get());
      }
      Thread.sleep(10);
    }
  }

  private void peers(String... ids) throws Exception {
    for (String id : ids) {
      try (ServerSocket s = new ServerSocket(0)) {
        peers.put(id, new InetSocketAddress("127.0.0.1", s.getLocalPort()));
      }
    }
  }

  /** Starts node {@code id} (1 s a tick: no timeout fires during a test) and waits until it is ready. */
  private Running start(String id, ClusterSecret key) throws Exception {
    int readies = output().split("ready " + id + " ", -1).length;
    TcpNode<?> n;
    for (int attempt = 1; ; attempt++) {
      try {
        n = new TcpNode<>(new TwoPhase(), id, peers, tmp.resolve(id), tmp.resolve(id + ".ndjson"),
            new TcpNode.Options(1000, 100, 0), key, out, log);
        break;
      } catch (TcpNode.NodeSetupException e) {
        // A restarted node's port, free for a moment, can be taken as the local port of some
        // connection on this shared machine: it is soon given back.
        if (attempt == 20 || !e.getMessage().contains("address in use")) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
    TcpNode<?> node = n;
    Thread t = new Thread(() -> {
      try {
        node.run();
      } catch (Exception e) {
        throw new AssertionError(id + " failed", e);
      }
    });
    t.start();
    await(() -> output().split("ready " + id + " ", -1).length > readies, () -> id + " ready");
    return new Running(node, t);
  }

  private record Running(TcpNode<?> node, Thread thread) {
    void stop() throws InterruptedException {
      node.stop();
      thread.join(10_000);
    }
  }

  /** The body of a MESSAGE: incarnation, link sequence number, no clock, the message. */
  private byte[] message(long incarnation, long seq, TwoPhaseMessage m) {
    byte[] json = codec.encode((Record) m);
    return ByteBuffer.allocate(18 + json.length).putLong(incarnation).putLong(seq).putShort((short) 0).put(json)
        .array();
  }

  private byte[] vote(String rm) {
    return message(7, 1, new TwoPhaseMessage.Prepared(rm));
  }

  /** The RMs whose votes the TM's trace shows it took, in order. */
  private List<String> votesTaken() {
    return lines("tm").stream().filter(l -> l.contains("\"action\":\"TMRcvPrepared\""))
        .map(l -> l.replaceAll(".*\"params\":\\{\"rm\":\"([^\"]*)\"}.*", "$1")).toList();
  }

  /** The lines of node {@code id}'s trace so far. */
  private List<String> lines(String id) {
    try {
      return Files.readAllLines(tmp.resolve(id + ".ndjson"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits until the TM has logged a connection closed for {@code reason}. */
  private void awaitRefusal(String reason) throws InterruptedException {
    await(() -> logged().lines().anyMatch(l -> l.startsWith("node tm: closing the connection from /127.0.0.1:")
        && l.contains(reason)), () -> "tm to log '" + reason + "'; log: " + logged());
  }

  @Test
  void aHelloInAnotherNodesNameIsRefusedAndItsVoteNeverCounts() throws Exception {
    peers("tm", "rm1", "rm2");
    Running tm = start("tm", secret);
    // Mallory is on the network, without the secret: she says HELLO as rm1 and votes for rm1.
    PeerAuth mallory = new PeerAuth(ClusterSecret.random(), "twophase");
    boolean closed;
    try (TestPeer p = TestPeer.raw(tm.node().port())) {
      p.session = ForgedHello.connect(p.in, p.out, "twophase", "rm1", "tm", mallory.key("rm1", "tm"), mallory);
      p.seal(Frame.Kind.MESSAGE, vote("rm1"));
      closed = p.closedByNode();
    }
    // The real rm2 votes after her: its vote counts, so hers, queued before, would have too.
    try (TestPeer p = TestPeer.honest(tm.node().port(), auth, "rm2", "tm")) {
      p.seal(Frame.Kind.MESSAGE, vote("rm2"));
      await(() -> votesTaken().contains("rm2"), () -> "rm2's vote");
    }
    tm.stop();
    assertEquals(List.of("rm2"), votesTaken(), "only the honest vote");
    assertTrue(closed, "tm closed the forger's connection");
    awaitRefusal("HELLO as rm1 failed its proof of identity");
  }

  @Test
  void aReplayedConnectionOrFrameIsNeverActedOn() throws Exception {
    peers("tm", "rm1", "rm2");
    Running tm = start("tm", secret);
    // rm1's real vote, recorded by an eavesdropper byte for byte.
    byte[] recorded;
    byte[] recordedVote;
    try (TestPeer p = TestPeer.honest(tm.node().port(), auth, "rm1", "tm")) {
      int handshake = p.written().length;
      p.seal(Frame.Kind.MESSAGE, vote("rm1"));
      recorded = p.written();
      recordedVote = java.util.Arrays.copyOfRange(recorded, handshake, recorded.length);
      await(() -> votesTaken().size() == 1, () -> "rm1's vote");
    }
    // The TM crashes and recovers: its votes were volatile, and so was its memory of rm1's
    // sequence numbers. A replay now would give it a vote that rm1 never cast to it.
    tm.stop();
    tm = start("tm", secret);
    // The whole connection again: the TM's nonce is fresh, so the recorded proof fails.
    boolean closedConnection;
    try (TestPeer p = TestPeer.raw(tm.node().port())) {
      p.write(recorded);
      closedConnection = p.closedByNode();
    }
    // The recorded frame, spliced into a new honest connection of rm1's: another session key.
    boolean closedFrame;
    try (TestPeer p = TestPeer.honest(tm.node().port(), auth, "rm1", "tm")) {
      p.write(recordedVote);
      closedFrame = p.closedByNode();
    }
    // rm2 votes after both: counted.
    try (TestPeer p = TestPeer.honest(tm.node().port(), auth, "rm2", "tm")) {
      p.seal(Frame.Kind.MESSAGE, vote("rm2"));
      await(() -> votesTaken().contains("rm2"), () -> "rm2's vote");
    }
    tm.stop();
    assertEquals(List.of("rm1", "rm2"), votesTaken(), "rm1's vote before the crash, rm2's after it: no replay");
    assertTrue(closedConnection, "tm closed the replayed connection");
    assertTrue(closedFrame, "tm closed the connection the replayed frame came on");
    awaitRefusal("HELLO as rm1 failed its proof of identity");
    awaitRefusal("a MESSAGE whose MAC fails");
  }

  @Test
  void aFrameWithOneFlippedBitIsDropped() throws Exception {
    peers("tm", "rm1", "rm2", "rm3");
    Running tm = start("tm", secret);
    // rm1's vote, one bit flipped on the way: "rm1" becomes "rm3" ('1' is 0x31, '3' is 0x33).
    boolean closed;
    try (TestPeer p = TestPeer.honest(tm.node().port(), auth, "rm1", "tm")) {
      Frame sealed = p.session.seal(Frame.Kind.MESSAGE, vote("rm1"));
      byte[] bytes = TestPeer.frames(sealed);
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int at = text.indexOf("\"rm1\"") + 3;
      bytes[at] ^= 0x02;
      assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("\"rm\":\"rm3\""),
          "the flip forges rm3's vote");
      p.write(bytes);
      closed = p.closedByNode();
    }
    try (TestPeer p = TestPeer.honest(tm.node().port(), auth, "rm2", "tm")) {
      p.seal(Frame.Kind.MESSAGE, vote("rm2"));
      await(() -> votesTaken().contains("rm2"), () -> "rm2's vote");
    }
    tm.stop();
    assertEquals(List.of("rm2"), votesTaken(), "the altered vote is not counted, for rm1 or rm3");
    assertTrue(closed, "tm closed the connection");
    awaitRefusal("a MESSAGE whose MAC fails");
  }

  @Test
  void aConnectionWithoutTheSecretIsRefused() throws Exception {
    peers("tm", "rm1");
    Running rm = start("rm1", secret);
    int port = rm.node().port();
    // A driver of the old wire protocol, without a secret: HELLO and a vote, version 1.
    byte[] hello = "client".getBytes(StandardCharsets.UTF_8);
    byte[] json = codec.encode(new Vote(true));
    ByteBuffer v1 = ByteBuffer.allocate(12 + hello.length + json.length);
    v1.putInt(2 + hello.length).put((byte) 1).put((byte) 1).put(hello);
    v1.putInt(2 + json.length).put((byte) 1).put((byte) 3).put(json);
    try (TestPeer p = TestPeer.raw(port)) {
      p.write(v1.array());
      assertTrue(p.closedByNode());
    }
    // A HELLO of this version, then the request with no proof and no MAC.
    try (TestPeer p = TestPeer.raw(port)) {
      java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
      try (java.io.DataOutputStream d = new java.io.DataOutputStream(b)) {
        PeerAuth.writeName(d, "twophase");
        PeerAuth.writeName(d, Frame.CLIENT);
        PeerAuth.writeName(d, "rm1");
        d.write(new byte[PeerAuth.NONCE]);
      }
      p.write(new Frame(Frame.Kind.HELLO, b.toByteArray()));
      assertEquals(Frame.Kind.CHALLENGE, Frame.read(p.in).kind());
      p.write(new Frame(Frame.Kind.REQUEST, json));
      assertTrue(p.closedByNode());
    }
    await(() -> logged().contains("frame version 1: the peer speaks an older wire protocol, without authentication"),
        () -> "the version 1 refusal; log: " + logged());
    await(() -> logged().contains("HELLO as client, then a REQUEST before its proof (AUTH)"),
        () -> "the missing proof; log: " + logged());
    assertTrue(logged().lines().allMatch(l -> l.startsWith("node rm1: closing the connection from /127.0.0.1:")),
        logged());
    assertTrue(lines("rm1").stream().noneMatch(l -> l.contains("RMPrepare")), "rm1 did not vote");
    // The driver, with the secret: rm1 votes.
    try (TestPeer p = TestPeer.honest(port, auth, Frame.CLIENT, "rm1")) {
      p.seal(Frame.Kind.REQUEST, json);
      await(() -> lines("rm1").stream().anyMatch(l -> l.contains("RMPrepare")), () -> "rm1's vote");
    }
    rm.stop();
  }

  @Test
  void aNodeOfAnotherClusterIsRefusedBothWays() throws Exception {
    peers("tm", "rm1");
    Running tm = start("tm", secret);
    ClusterSecret other = ClusterSecret.random();
    Running rm = start("rm1", other);
    // rm1 votes (its driver holds rm1's secret); its link to tm finds that tm is not of its cluster.
    try (TestPeer p = TestPeer.honest(rm.node().port(), new PeerAuth(other, "twophase"), Frame.CLIENT, "rm1")) {
      p.seal(Frame.Kind.REQUEST, codec.encode(new Vote(true)));
      await(() -> lines("rm1").stream().anyMatch(l -> l.contains("RMPrepare")), () -> "rm1's vote");
      await(() -> logged().contains("node rm1: the handshake with tm at /127.0.0.1:" + peers.get("tm").getPort()
          + " failed: the listener failed its proof of being tm"), () -> "rm1's refusal; log: " + logged());
    }
    awaitRefusal("HELLO as rm1, then the connection ended before its proof");
    rm.stop();
    tm.stop();
    assertEquals(List.of(), votesTaken(), "tm never took it");
    assertEquals(1, logged().lines().filter(l -> l.startsWith("node rm1: the handshake with tm")).count(),
        "the refusal is logged once, not at every retry: " + logged());
  }
}
