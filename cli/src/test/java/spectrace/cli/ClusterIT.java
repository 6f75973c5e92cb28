package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.conformance.Report;
import spectrace.conformance.Validator;
import spectrace.net.Frame;
import spectrace.net.PeerAuth;
import spectrace.net.WireCodec;
import spectrace.protocols.Protocols;
import spectrace.protocols.twophase.TwoPhaseMessage;
import spectrace.protocols.twophase.Vote;
import spectrace.tlc.Specs;

/**
 * Two-phase commit as real processes on loopback: the TM is killed with SIGKILL in the middle
 * of the protocol, restarts from its data folder, every RM decides consistently, and the
 * merged per-node traces conform to the spec.
 */
class ClusterIT {

  /** 20 ms a tick: the TM's vote timeout is 4 s, long enough for a kill and a restart. */
  private static final long TICK = 20;
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private LocalCluster cluster(String name) throws IOException {
    return new LocalCluster(Protocols.get("twophase"), 4, tmp.resolve(name), TICK, 1);
  }

  private static void awaitLines(Path trace, String needle, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(trace) && Files.readAllLines(trace).stream().filter(l -> l.contains(needle)).count() >= count) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(trace + " never had " + count + " lines with " + needle);
  }

  private static void assertConforms(LocalCluster c) throws Exception {
    Validator.Result r = new Validator(Specs.locate().root()).validate(c.traces(), Validator.Progress.NONE);
    assertTrue(r.conforms(), () -> Report.text(c.traces().stream().map(Path::toString).toList(), r));
  }

  private static Set<String> allDecisions(LocalCluster c) {
    Set<String> all = new TreeSet<>();
    c.decisions().values().forEach(all::addAll);
    return all;
  }

  @Test
  void aTmKilledAfterTwoVotesRecoversAndEveryRmAbortsConsistently() throws Exception {
    try (LocalCluster c = cluster("mid")) {
      c.startAll(START);
      assertTrue(c.request("rm1", new Vote(true)));
      assertTrue(c.request("rm2", new Vote(true)));
      awaitLines(c.trace("tm"), "\"TMRcvPrepared\"", 2);
      c.kill("tm");
      c.start("tm", START);
      assertTrue(c.request("rm3", new Vote(true)));
      assertTrue(c.awaitDecisions(Duration.ofSeconds(60)), () -> "undecided: " + c.decisions() + "; " + c.logs());
      c.stop(Duration.ofSeconds(10));

      // The votes were volatile: the recovered TM never hears rm1 and rm2 again, and its timeout aborts.
      assertEquals(Set.of("aborted"), allDecisions(c), c.decisions()::toString);
      assertEquals(1, c.recoveries());
      List<String> tm = Files.readAllLines(c.trace("tm"));
      assertTrue(tm.stream().anyMatch(l -> l.contains("\"action\":\"TMCrash\"")), "the crash is in tm's trace");
      assertTrue(tm.stream().anyMatch(l -> l.contains("\"action\":\"TMRecover\"")
          && l.contains("\"tmState\":\"init\"")), "tm recovered undecided");
      assertConforms(c);
    }
  }

  @Test
  void aDecisionTakenBeforeTheKillIsRecoveredFromDisk() throws Exception {
    try (LocalCluster c = cluster("decided")) {
      c.startAll(START);
      // The run's secret is in a file of the owner's only, and no node's command line shows it.
      Path secret = tmp.resolve("decided").resolve("secret");
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(secret)));
      String hex = Files.readString(secret).strip();
      List<String> nodes = ProcessHandle.current().children().map(p -> p.info().commandLine().orElse(""))
          .filter(l -> l.contains(" node twophase ")).toList();
      assertEquals(4, nodes.size(), nodes::toString);
      assertTrue(nodes.stream().allMatch(l -> l.contains("--secret " + secret) && !l.contains(hex)), nodes::toString);
      for (String rm : List.of("rm1", "rm2", "rm3")) {
        assertTrue(c.request(rm, new Vote(true)));
      }
      awaitLines(c.trace("tm"), "\"TMCommit\"", 1);
      c.kill("tm");
      c.start("tm", START);
      assertTrue(c.awaitDecisions(Duration.ofSeconds(60)), () -> "undecided: " + c.decisions() + "; " + c.logs());
      c.stop(Duration.ofSeconds(10));

      assertEquals(Set.of("committed"), allDecisions(c), c.decisions()::toString);
      List<String> tm = Files.readAllLines(c.trace("tm"));
      assertTrue(tm.stream().anyMatch(l -> l.contains("\"action\":\"TMRecover\"")
          && l.contains("\"tmState\":\"committed\"")), () -> "tm recovered its decision: " + tm);
      assertConforms(c);
    }
  }

  /**
   * Issue 13: a connection that said HELLO as rm1 was believed, and its votes committed a
   * transaction no RM voted for. Now the TM process refuses it, logs why, and never counts the
   * votes; the real RMs' votes, sent after, commit.
   */
  @Test
  void aSpoofedHelloIsRefusedAndItsVotesNeverCount() throws Exception {
    try (LocalCluster c = cluster("spoofed")) {
      c.startAll(START);
      WireCodec codec = new WireCodec(TwoPhaseMessage.class, List.of(Vote.class));
      // Mallory's three connections, all at once (the TM's vote timeout is 4 s).
      Map<String, Socket> forged = new java.util.LinkedHashMap<>();
      for (String rm : List.of("rm1", "rm2", "rm3")) {
        Socket s = new Socket();
        forged.put(rm, s);
        s.connect(c.address("tm"), 1000);
        s.setSoTimeout(5000);
        DataOutputStream o = new DataOutputStream(s.getOutputStream());
        // The HELLO as the wire format documents it, then a proof made up: Mallory has no key.
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(hello)) {
          for (String name : List.of("twophase", rm, "tm")) {
            d.writeShort(name.length());
            d.writeBytes(name);
          }
          d.write(new byte[PeerAuth.NONCE]);
        }
        new Frame(Frame.Kind.HELLO, hello.toByteArray()).write(o);
        assertEquals(Frame.Kind.CHALLENGE, Frame.read(new DataInputStream(s.getInputStream())).kind());
        new Frame(Frame.Kind.AUTH, new byte[PeerAuth.TAG]).write(o);
        byte[] vote = codec.encode(new TwoPhaseMessage.Prepared(rm));
        byte[] body = java.nio.ByteBuffer.allocate(18 + vote.length).putLong(1).putLong(1).putShort((short) 0)
            .put(vote).array();
        try {
          new Frame(Frame.Kind.MESSAGE, java.nio.ByteBuffer.allocate(8 + body.length + PeerAuth.TAG).putLong(1)
              .put(body).array()).write(o);
          o.flush();
        } catch (java.net.SocketException refused) {
          // The TM closed the connection on the failed AUTH before the forged vote was written
          // (a broken pipe or a reset): the refusal itself, checked below in its log line.
        }
      }
      List<String> open = new java.util.ArrayList<>();
      for (Map.Entry<String, Socket> f : forged.entrySet()) {
        try (Socket s = f.getValue()) {
          s.setSoTimeout(2000);
          if (s.getInputStream().read() >= 0) {
            open.add(f.getKey());
          }
        } catch (java.net.SocketTimeoutException e) {
          open.add(f.getKey());
        } catch (java.net.SocketException reset) {
          // closed with the forged frame unread
        }
      }
      assertEquals(List.of(), c.decisions().get("tm"), "the forged votes decided nothing");
      for (String rm : List.of("rm1", "rm2", "rm3")) {
        assertTrue(c.request(rm, new Vote(true)));
      }
      assertTrue(c.awaitDecisions(Duration.ofSeconds(60)), () -> "undecided: " + c.decisions() + "; " + c.logs());
      c.stop(Duration.ofSeconds(10));

      assertEquals(Set.of("committed"), allDecisions(c), c.decisions()::toString);
      List<String> received = Files.readAllLines(c.trace("tm")).stream()
          .filter(l -> l.contains("\"action\":\"TMRcvPrepared\"")).toList();
      assertEquals(3, received.size(), "one vote of each RM, its own: " + received);
      assertEquals(List.of(), open, "tm closed every forged connection");
      List<String> log = Files.readAllLines(tmp.resolve("spoofed").resolve("tm.log"));
      for (String rm : List.of("rm1", "rm2", "rm3")) {
        assertTrue(log.stream().anyMatch(l -> l.matches("node tm: closing the connection from /127\\.0\\.0\\.1:\\d+: HELLO as "
            + rm + " failed its proof of identity \\(it does not hold this cluster's secret\\)")), log::toString);
      }
      assertConforms(c);
    }
  }

  // ---- the commands ----

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void theClusterCommandKillsTheTmRecoversAndValidatesEveryRound() {
    // The TM's timeout is 0.4 s at 2 ms a tick, shorter than the uptime it gets between kills.
    int code = node("cluster", "twophase", "--nodes", "3", "--duration", "4", "--kill-every", "0.5", "--downtime", "0.1",
        "--tick-ms", "2", "--workload", "all-yes", "--dir", tmp.resolve("cluster").toString());
    String o = out.toString();
    assertEquals(0, code, () -> o + err);
    assertTrue(o.startsWith("cluster twophase: 3 nodes (tm, rm1, rm2), workload all-yes, seed 1, 4 s, SIGKILL every 0.5 s"),
        o);
    assertTrue(o.contains("round 1: "), o);
    String summary = o.strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(summary.matches("\\d+ rounds: .*; [1-9]\\d* kills, [1-9]\\d* recoveries; .* events validated;"
        + " every round finished, kept its properties and conforms"), summary);
  }

  @Test
  void killingNeedsANodeThatMayCrashAndRecover() {
    assertEquals(2, node("cluster", "twophase", "--nodes", "1"));
    assertTrue(oneLine().contains("twophase needs at least 2 nodes"), err::toString);
    err.getBuffer().setLength(0);
    assertEquals(2, node("cluster", "twophase", "--workload", "none-such"));
    assertTrue(oneLine().contains("no workload 'none-such' (workloads: default, all-yes, one-no)"), err::toString);
  }

  /** A secret file fit for a node, made once per test. */
  private String secret() {
    Path f = tmp.resolve("secret");
    try {
      if (!Files.exists(f)) {
        spectrace.net.ClusterSecret.create(f);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return f.toString();
  }

  private int node(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private String oneLine() {
    String e = err.toString().strip();
    assertEquals(1, e.lines().count(), e);
    return e;
  }

  @Test
  void aBadPeerListIsOneLineAndExitTwo() {
    Map<String, String> bad = Map.of(
        "tm=127.0.0.1,rm1=127.0.0.1:7002", "is not ID=HOST:PORT",
        "tm=127.0.0.1:x,rm1=127.0.0.1:7002", "has no port number",
        "tm=127.0.0.1:70000,rm1=127.0.0.1:7002", "outside 1..65535",
        "tm=127.0.0.1:7001,tm=127.0.0.1:7002", "appears twice",
        "tm=127.0.0.1:7001,rmX=127.0.0.1:7002", "the peer list names tm, rmX",
        "rm1=127.0.0.1:7001,rm2=127.0.0.1:7002", "--id tm is not in the peer list");
    for (Map.Entry<String, String> b : bad.entrySet()) {
      out.getBuffer().setLength(0);
      err.getBuffer().setLength(0);
      int code = node("node", "twophase", "--id", "tm", "--peers", b.getKey(), "--data", tmp.resolve("d").toString(),
          "--trace", tmp.resolve("t.ndjson").toString(), "--secret", secret());
      assertEquals(2, code, b.getKey());
      assertTrue(oneLine().contains(b.getValue()), b.getKey() + " -> " + err);
    }
  }

  @Test
  void aPortInUseIsOneLineAndExitTwo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int code = node("node", "twophase", "--id", "tm", "--peers",
          "tm=127.0.0.1:" + taken.getLocalPort() + ",rm1=127.0.0.1:1", "--data", tmp.resolve("d").toString(),
          "--trace", tmp.resolve("t.ndjson").toString(), "--secret", secret());
      assertEquals(2, code);
      assertTrue(oneLine().contains(taken.getLocalPort() + ": address in use"), err::toString);
    }
  }

  @Test
  void anUnusableDataFolderIsOneLineAndExitTwo() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    int code = node("node", "twophase", "--id", "tm", "--peers", "tm=127.0.0.1:1,rm1=127.0.0.1:2",
        "--data", file.toString(), "--trace", tmp.resolve("t.ndjson").toString(), "--secret", secret());
    assertEquals(2, code);
    assertTrue(oneLine().contains("--data " + file + " is a file, not a folder"), err::toString);
  }
}
