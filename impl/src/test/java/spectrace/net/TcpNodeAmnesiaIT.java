package spectrace.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.core.Protocol;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.protocols.vr.Vr;

/**
 * A VR replica as a {@link TcpNode} in this JVM, restarted twice with its data folder deleted
 * (VR keeps no state across a crash): each restart takes up the trace after its last whole line,
 * cutting a line the kill left half written, continues its sequence numbers, logs a Restart with
 * a nonce of its own, and says that it is among the faulty until its recovery completes (it
 * cannot here: no peer runs).
 */
class TcpNodeAmnesiaIT {

  @TempDir Path tmp;

  private final ClusterSecret secret = ClusterSecret.random();
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  private Map<String, InetSocketAddress> peers() throws IOException {
    Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
    for (String id : List.of("r1", "r2", "r3")) {
      try (ServerSocket s = new ServerSocket(0)) {
        peers.put(id, new InetSocketAddress("127.0.0.1", s.getLocalPort()));
      }
    }
    return peers;
  }

  private String output() {
    synchronized (outBytes) {
      return outBytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** Runs r1 until it has printed {@code line} {@code times} times in all, then stops it. */
  private void runUntil(Protocol<?> protocol, Map<String, InetSocketAddress> peers, String line, int times)
      throws Exception {
    TcpNode<?> node = new TcpNode<>(protocol, "r1", peers, tmp.resolve("r1"), tmp.resolve("r1.ndjson"),
        new TcpNode.Options(10, 100, 1), secret, out, log);
    Throwable[] failed = new Throwable[1];
    Thread t = new Thread(() -> {
      try {
        node.run();
      } catch (Exception | AssertionError e) {
        failed[0] = e;
      }
    });
    t.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (count(output(), line) < times) {
      if (System.nanoTime() > deadline || !t.isAlive()) {
        throw new AssertionError("r1 never printed '" + line + "' " + times + " times: " + output() + logBytes,
            failed[0]);
      }
      Thread.sleep(10);
    }
    Thread.sleep(100); // a few steps more: heartbeats, resent Recovery messages
    node.stop();
    t.join(10_000);
    assertFalse(t.isAlive(), "r1 stopped");
    if (failed[0] != null) {
      throw new AssertionError("r1 failed", failed[0]);
    }
  }

  private static long count(String text, String line) {
    return text.lines().filter(l -> l.equals(line)).count();
  }

  private void deleteDataFolder() throws IOException {
    try (var files = Files.walk(tmp.resolve("r1"))) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  @Test
  void aReplicaRestartedWithNoDataFolderContinuesItsTraceWithAFreshNonce() throws Exception {
    Map<String, InetSocketAddress> peers = peers();
    Vr vr = new Vr();
    runUntil(vr, peers, "ready r1 " + peers.get("r1").getPort(), 1);
    Path trace = tmp.resolve("r1.ndjson");
    // A SIGKILL in the middle of a write leaves half a line.
    deleteDataFolder();
    Files.writeString(trace, "{\"seq\":999,\"time\":1,\"kind\":\"act", StandardOpenOption.APPEND);
    runUntil(vr, peers, "faulty r1", 1);
    deleteDataFolder();
    runUntil(vr, peers, "faulty r1", 2);

    assertEquals(2, count(output(), "recovered r1"), output());
    assertEquals(0, count(output(), "healed r1"), "no peer answers, so no recovery completes: " + output());
    assertEquals(2, logBytes.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("the data folder holds no state of this node")).count(), logBytes::toString);
    List<String> lines = Files.readAllLines(trace);
    assertFalse(String.join("\n", lines).contains("\"seq\":999"), "the half-written line is cut away");
    Pattern seq = Pattern.compile("^\\{\"seq\":(\\d+),");
    for (int i = 1; i < lines.size(); i++) {
      Matcher m = seq.matcher(lines.get(i));
      assertTrue(m.find(), "line " + (i + 1) + " is an event: " + lines.get(i));
      assertEquals(i - 1, Long.parseLong(m.group(1)), "line " + (i + 1) + " continues the sequence numbers");
    }
    List<String> nonces = lines.stream().filter(l -> l.contains("\"action\":\"Restart\""))
        .map(l -> l.replaceAll(".*\"params\":\\{\"i\":\"r1\",\"x\":(\\d+)}.*", "$1")).toList();
    assertEquals(2, nonces.size(), "a Restart a restart: " + nonces);
    assertNotEquals(nonces.get(0), nonces.get(1), "each restart draws a nonce of its own");
  }

  @Test
  void aTraceOfAnotherRunIsRefusedNotContinued() throws Exception {
    Map<String, InetSocketAddress> peers = peers();
    Files.writeString(tmp.resolve("r1.ndjson"), "{\"format\":\"spectrace-trace/2\",\"protocol\":\"vr\","
        + "\"module\":\"VR\",\"nodes\":[\"r1\",\"r2\",\"r3\",\"r4\",\"r5\"]}\n{\"seq\":0,\"vc\":{\"r1\":1}}\n");
    TcpNode<?> node = new TcpNode<>(new Vr(), "r1", peers, tmp.resolve("r1"), tmp.resolve("r1.ndjson"),
        new TcpNode.Options(10, 100, 1), secret, out, log);
    TcpNode.NodeSetupException e = assertThrows(TcpNode.NodeSetupException.class, node::run);
    assertTrue(e.getMessage().contains("holds a trace of vr on [r1, r2, r3, r4, r5], not of this run"
        + " (vr on [r1, r2, r3])"), e.getMessage());
  }

  @Test
  void aNodeWhoseModelKeepsStateStillRefusesATraceWithoutItsDataFolder() throws Exception {
    Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
    for (String id : List.of("tm", "rm1", "rm2")) {
      try (ServerSocket s = new ServerSocket(0)) {
        peers.put(id, new InetSocketAddress("127.0.0.1", s.getLocalPort()));
      }
    }
    Files.writeString(tmp.resolve("tm.ndjson"), "{\"format\":\"spectrace-trace/2\"}\n{\"seq\":0}\n");
    TcpNode<?> node = new TcpNode<>(new TwoPhase(), "tm", peers, tmp.resolve("tm"), tmp.resolve("tm.ndjson"),
        new TcpNode.Options(10, 100, 1), secret, out, log);
    TcpNode.NodeSetupException e = assertThrows(TcpNode.NodeSetupException.class, node::run);
    assertTrue(e.getMessage().contains("already holds a trace, and the data folder has no state of this node"),
        e.getMessage());
  }
}
