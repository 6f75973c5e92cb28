package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spectrace simulate} as a user runs it. */
class SimulateCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path tmp;

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void theSameSeedTwiceWritesIdenticalTracesWithTheSpecsNames() throws Exception {
    Path a = tmp.resolve("a.ndjson");
    Path b = tmp.resolve("b.ndjson");
    assertEquals(0, run("simulate", "twophase", "--seed", "7", "--trace", a.toString()), err::toString);
    assertEquals(0, run("simulate", "twophase", "--seed", "7", "--trace", b.toString()), err::toString);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    String trace = Files.readString(a);
    assertTrue(trace.startsWith("{\"format\":\"spectrace-trace/2\",\"protocol\":\"twophase\",\"module\":\"TwoPhase\""), trace);
    assertTrue(trace.contains("\"action\":\"RMPrepare\""), trace);
    assertTrue(trace.contains("\"rmState\":{\"rm1\":"), trace);
    Path c = tmp.resolve("c.ndjson");
    assertEquals(0, run("simulate", "twophase", "--seed", "8", "--trace", c.toString()));
    assertFalse(Files.readString(c).equals(trace), "another seed, another run");
  }

  @Test
  void theSummaryNamesEventsFaultsDecisionsAndTheReplayCommand() {
    assertEquals(0, run("simulate", "twophase", "--seed", "3", "--nodes", "5", "--faults", "duplicate,reorder"));
    String o = out.toString();
    assertTrue(o.contains("simulated twophase: seed 3, 5 nodes, faults duplicate,reorder"), o);
    assertTrue(o.matches("(?s).*events: \\d+ \\(ran to quiescence\\).*"), o);
    assertTrue(o.contains("decisions: tm "), o);
    assertTrue(o.contains("replay: ./spectrace simulate twophase --seed 3 --nodes 5 --steps 10000 --faults duplicate,reorder"), o);
  }

  @Test
  void aReplicatedServicesRunChecksItsClientsHistoryAndWritesIt() throws Exception {
    Path h = tmp.resolve("h.ndjson");
    assertEquals(0, run("simulate", "raft", "--seed", "2", "--operations", "40", "--history", h.toString()));
    String o = out.toString();
    assertTrue(o.matches("(?s).*history: " + java.util.regex.Pattern.quote(h.toString())
        + ", linearizable: 40 ops, \\d keys?, .*"), o);
    assertTrue(o.contains("replay: ./spectrace simulate raft --seed 2 ") && o.contains(" --operations 40 --history " + h), o);
    List<String> lines = Files.readAllLines(h);
    assertTrue(lines.get(0).startsWith("{\"format\":\"spectrace-history/1\",\"model\":\"kv\""), lines.get(0));
    assertEquals(40, lines.stream().filter(l -> l.contains("\"type\":\"invoke\"")).count(), "40 invokes");
  }

  @Test
  void badInputGetsOneLineAndExitTwo() {
    assertEquals(2, run("simulate", "paxos"));
    assertTrue(err.toString().matches("(?s).*unknown protocol 'paxos' \\(protocols: [^)]*twophase[^)]*\\).*"), err::toString);
    assertEquals(2, run("simulate", "raft", "--operations", "-1"));
    assertTrue(err.toString().contains("--operations must be at least 0, not -1"), err::toString);
    assertEquals(2, run("simulate", "pbft", "--byzantine", "2"));
    assertTrue(err.toString().contains("error: --byzantine: pbft on 4 nodes has at most 1 Byzantine node, not 2"),
        err::toString);
    assertEquals(2, run("simulate", "pbft", "--byzantine", "0"));
    assertTrue(err.toString().contains("--byzantine: at least 1, not 0"), err::toString);
    assertEquals(2, run("simulate", "pbft", "--byzantine", "1", "--faults", "delay"));
    assertTrue(err.toString().contains("--byzantine: Byzantine nodes need the fault 'byzantine' (faults: delay)"),
        err::toString);
    assertEquals(2, run("simulate", "twophase", "--byzantine", "1"));
    assertTrue(err.toString().contains("--byzantine: Byzantine nodes need the fault 'byzantine'"), err::toString);
    assertEquals(2, run("simulate", "twophase", "--faults", "gremlins"));
    assertTrue(err.toString().contains("unknown fault 'gremlins'"), err::toString);
    assertEquals(2, run("simulate", "twophase", "--faults", "loss"));
    assertTrue(err.toString().contains("does not allow the fault 'loss'"), err::toString);
    assertEquals(2, run("simulate", "twophase", "--seed", "seven"));
    assertEquals(2, run("simulate", "twophase", "--nodes", "1"));
    assertTrue(err.toString().contains("at least 2 nodes"), err::toString);
    assertEquals(2, run("simulate", "twophase", "--steps", "0"));
    assertEquals(2, run("simulate", "twophase", "--trace", tmp.resolve("no/such/dir/t.ndjson").toString()));
    assertTrue(err.toString().contains("no such folder"), err::toString);
    assertEquals(2, run("simulate", "twophase", "--trace", tmp.toString()));
    assertTrue(err.toString().contains("--trace " + tmp + " is a folder: give the name of a file to write"), err::toString);
    assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
  }

  /**
   * Regression: a TM that crashes and recovers decides again each time, and the summary listed
   * every decision ({@code tm aborted,aborted,aborted,...}): 160 KB on a long run.
   */
  @Test
  void aLongRunsSummaryIsShortAndNamesEachNodesDecisionOnce() {
    assertEquals(0, run("simulate", "twophase", "--nodes", "8", "--keep-going", "--steps", "200000",
        "--faults", "crash-recovery,duplicate,reorder"), err::toString);
    String o = out.toString();
    assertTrue(o.length() < 1000, o.length() + " characters: " + o.substring(0, Math.min(o.length(), 2000)));
    String decisions = o.lines().filter(l -> l.startsWith("decisions: ")).findFirst().orElseThrow();
    assertTrue(decisions.matches("decisions: tm (aborted|committed), rm1 \\w+, rm2 \\w+, rm3 \\w+, rm4 \\w+,"
        + " rm5 \\w+, rm6 \\w+, rm7 \\w+"), decisions);
  }

  @Test
  void manyNodesDecisionsAreCountedPerValue() {
    assertEquals(0, run("simulate", "twophase", "--nodes", "40", "--faults", "none"), err::toString);
    String decisions = out.toString().lines().filter(l -> l.startsWith("decisions: ")).findFirst().orElseThrow();
    assertTrue(decisions.matches("decisions: (committed|aborted) by 40 nodes \\(tm, rm1, rm2, \\.\\.\\.\\)"), decisions);
  }

  @Test
  void stepsBoundTheRun() {
    assertEquals(0, run("simulate", "twophase", "--seed", "1", "--steps", "5", "--faults", "none"));
    assertTrue(out.toString().contains("events: 5 (stopped at --steps)"), out::toString);
  }
}
