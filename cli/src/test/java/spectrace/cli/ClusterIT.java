package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
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
import spectrace.protocols.Protocols;
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
          "--trace", tmp.resolve("t.ndjson").toString());
      assertEquals(2, code, b.getKey());
      assertTrue(oneLine().contains(b.getValue()), b.getKey() + " -> " + err);
    }
  }

  @Test
  void aPortInUseIsOneLineAndExitTwo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int code = node("node", "twophase", "--id", "tm", "--peers",
          "tm=127.0.0.1:" + taken.getLocalPort() + ",rm1=127.0.0.1:1", "--data", tmp.resolve("d").toString(),
          "--trace", tmp.resolve("t.ndjson").toString());
      assertEquals(2, code);
      assertTrue(oneLine().contains(taken.getLocalPort() + ": address in use"), err::toString);
    }
  }

  @Test
  void anUnusableDataFolderIsOneLineAndExitTwo() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    int code = node("node", "twophase", "--id", "tm", "--peers", "tm=127.0.0.1:1,rm1=127.0.0.1:2",
        "--data", file.toString(), "--trace", tmp.resolve("t.ndjson").toString());
    assertEquals(2, code);
    assertTrue(oneLine().contains("--data " + file + " is a file, not a folder"), err::toString);
  }
}
