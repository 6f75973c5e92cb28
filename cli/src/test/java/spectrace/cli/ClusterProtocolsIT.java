package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every protocol that does not decide, as real processes on loopback, with the crashes its
 * system model allows: one short round of its workload each, which must end because the
 * workload was served (not on the round timeout), keep the protocol's properties on what the
 * nodes reported, and conform to the spec. Two-phase commit, with its TM killed and recovered,
 * is {@link ClusterIT}'s.
 */
class ClusterProtocolsIT {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** The round timeout: a round that has not finished by then failed, so a pass is never the timeout's. */
  private static final String TIMEOUT = "20";

  /** Runs one round of {@code protocol} and checks its summary; returns the round's line. */
  private String oneRound(String protocol, String... extra) {
    List<String> args = new ArrayList<>(List.of("cluster", protocol, "--duration", "0.1", "--tick-ms", "2",
        "--round-timeout", TIMEOUT, "--dir", tmp.resolve(protocol).toString()));
    args.addAll(List.of(extra));
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    String o = out.toString();
    assertEquals(0, code, () -> o + err);
    List<String> lines = o.strip().lines().toList();
    String round = lines.stream().filter(l -> l.startsWith("round 1: ")).findFirst().orElseThrow(() -> new AssertionError(o));
    assertTrue(round.startsWith("round 1: finished"), o);
    Matcher m = Pattern.compile("; (\\d+) requests, (\\d+) deliveries; (\\d+) events conform;").matcher(round);
    assertTrue(m.find(), round);
    assertTrue(Integer.parseInt(m.group(1)) > 0, round);
    assertTrue(Integer.parseInt(m.group(3)) > 0, round);
    String summary = lines.get(lines.size() - 1);
    assertTrue(summary.matches("1 rounds: 1 finished; \\d+ kills, 0 recoveries; [\\d,]+ events validated;"
        + " every round finished, kept its properties and conforms"), summary);
    return round;
  }

  /** Each node the round killed ends its trace with its crash-stop, the spec's Crash(p). */
  private void crashesRecorded(String protocol, String round, int count) throws Exception {
    Matcher m = Pattern.compile("\\(killed ([^)]*)\\)").matcher(round);
    assertTrue(m.find(), round);
    List<String> killed = List.of(m.group(1).split(", "));
    assertEquals(count, killed.size(), round);
    for (String id : killed) {
      List<String> trace = Files.readAllLines(tmp.resolve(protocol).resolve("round-1").resolve(id + ".ndjson"));
      String last = trace.get(trace.size() - 1);
      assertTrue(last.contains("\"action\":\"Crash\",\"params\":{\"p\":\"" + id + "\"}"), last);
    }
  }

  /** The deliveries and requests of a round with no crash: every request's message delivered by all n nodes. */
  private static void everyBroadcastDeliveredByAll(String round, int n) {
    Matcher m = Pattern.compile("; (\\d+) requests, (\\d+) deliveries;").matcher(round);
    assertTrue(m.find(), round);
    assertEquals(Integer.parseInt(m.group(1)) * n, Integer.parseInt(m.group(2)), round);
  }

  @Test
  void bestEffortBroadcast() {
    everyBroadcastDeliveredByAll(oneRound("beb", "--nodes", "3"), 3);
  }

  @Test
  void bestEffortBroadcastWithACrash() throws Exception {
    crashesRecorded("beb", oneRound("beb", "--crash", "1"), 1);
  }

  @Test
  void eagerReliableBroadcastWithTwoCrashes() throws Exception {
    crashesRecorded("erb", oneRound("erb", "--crash", "2"), 2);
  }

  @Test
  void uniformReliableBroadcastWithACrash() throws Exception {
    crashesRecorded("urb", oneRound("urb", "--nodes", "5", "--crash", "1"), 1);
  }

  @Test
  void lazyReliableBroadcastWithoutCrashes() {
    // Fail-stop needs a perfect failure detector, which the TCP runtime does not have: no crashes.
    everyBroadcastDeliveredByAll(oneRound("lrb"), 4);
  }

  @Test
  void fifoBroadcastWithACrash() throws Exception {
    crashesRecorded("fifo", oneRound("fifo", "--crash", "1"), 1);
  }

  @Test
  void causalBroadcastWithACrash() throws Exception {
    crashesRecorded("causal", oneRound("causal", "--crash", "1"), 1);
  }

  @Test
  void totalOrderBroadcastWithACrash() throws Exception {
    crashesRecorded("total", oneRound("total", "--crash", "1"), 1);
  }

  @Test
  void gossipWithACrash() throws Exception {
    crashesRecorded("gossip", oneRound("gossip", "--crash", "1"), 1);
  }

  @Test
  void maekawaWithoutCrashes() {
    // Every want is served: each entry into the critical section is reported as its want's delivery.
    everyBroadcastDeliveredByAll(oneRound("maekawa"), 1);
  }

  @Test
  void killEveryInACrashStopModelKillsForGoodUpToTheBound() throws Exception {
    // A kill every 0.2 s for a round of a few seconds: more kill times than the bound (F = 2 of
    // 4 for erb), so the bound is what stops them.
    String round = oneRound("erb", "--kill-every", "0.2");
    Matcher m = Pattern.compile("\\(killed ([^)]*)\\)").matcher(round);
    assertTrue(m.find(), round);
    int killed = m.group(1).split(", ").length;
    assertTrue(killed >= 1 && killed <= spectrace.protocols.Protocols.get("erb").model().maxFaulty(), round);
    crashesRecorded("erb", round, killed);
  }

  @Test
  void crashesTheModelDoesNotAllowAreRefused() {
    assertEquals(2, Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "cluster", "maekawa", "--kill-every",
        "1"));
    assertTrue(err.toString().strip().matches("error: maekawa's system model \\(.*\\) has no node that crashes:"
        + " --kill-every needs one"), err::toString);
    err.getBuffer().setLength(0);
    assertEquals(2, Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "cluster", "lrb", "--kill-every", "1"));
    assertTrue(err.toString().strip().contains("fail-stop needs a perfect failure detector"), err::toString);
    err.getBuffer().setLength(0);
    assertEquals(2, Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "cluster", "maekawa", "--crash", "1"));
    assertTrue(err.toString().strip().matches("error: maekawa's system model \\(.*\\) has no node that crashes and stops for good:"
        + " --crash needs one"), err::toString);
    err.getBuffer().setLength(0);
    assertEquals(2, Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "cluster", "fifo", "--crash", "3"));
    assertEquals("error: --crash 3: fifo's system model lets at most 2 of its 4 nodes crash", err.toString().strip());
  }
}
