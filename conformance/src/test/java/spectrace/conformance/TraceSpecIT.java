package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.core.Fault;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/**
 * The second verdict ({@link TraceSpec}: the trace as a TLA+ trace specification, checked by
 * the TLC command line) on simulated two-phase-commit traces, on edited ones, and on the
 * sample traces; on every trace it must agree with the in-process engine ({@link Validator}).
 */
class TraceSpecIT {

  private static final Path SPECS = Path.of(System.getProperty("spectrace.specs", "../specs")).toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  // ---- making traces ----

  private Path simulate(String name, long seed, int nodes, Set<Fault> faults, long steps, boolean keepGoing)
      throws Exception {
    Path file = dir.resolve(name + ".ndjson");
    try (OutputStream out = Files.newOutputStream(file); TraceWriter w = new TraceWriter(out)) {
      new Simulator(new TwoPhase(), new SimConfig(seed, nodes, steps, faults, keepGoing, true,
          SimConfig.Rates.DEFAULT), w).run();
    }
    return file;
  }

  private Path simulate(String name, long seed, int nodes, Set<Fault> faults) throws Exception {
    return simulate(name, seed, nodes, faults, 5000, false);
  }

  private static Set<Fault> faults(String list) {
    Set<Fault> out = EnumSet.noneOf(Fault.class);
    if (!list.isEmpty()) {
      for (String f : list.split(",")) {
        out.add(Fault.of(f));
      }
    }
    return out;
  }

  private static final Set<Fault> ALL = faults("duplicate,reorder,delay,partition,crash-stop,crash-recovery");

  /** A trace's lines: the header, then the events, each as JSON. */
  private static List<ObjectNode> read(Path trace) throws Exception {
    List<ObjectNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(trace)) {
      out.add((ObjectNode) JSON.readTree(line));
    }
    return out;
  }

  /**
   * Writes an edited trace: its events renumbered from seq 0, and a time that went back (an
   * event moved earlier) raised to the one before, so that the edit is the only thing wrong.
   */
  private Path write(String name, List<ObjectNode> lines) throws Exception {
    Path file = dir.resolve(name + ".ndjson");
    StringBuilder b = new StringBuilder(JSON.writeValueAsString(lines.get(0))).append('\n');
    long time = 0;
    for (int k = 1; k < lines.size(); k++) {
      ObjectNode n = lines.get(k).deepCopy();
      time = Math.max(time, n.get("time").asLong());
      n.put("seq", k - 1);
      n.put("time", time);
      b.append(JSON.writeValueAsString(n)).append('\n');
    }
    Files.writeString(file, b);
    return file;
  }

  /** The index (0 = header) of the first action line after {@code from} that {@code p} accepts. */
  private static int find(List<ObjectNode> lines, int from, Predicate<JsonNode> p) {
    for (int k = Math.max(from, 1); k < lines.size(); k++) {
      JsonNode n = lines.get(k);
      if (n.path("kind").asText().equals("action") && p.test(n)) {
        return k;
      }
    }
    throw new AssertionError("no such event");
  }

  private static Predicate<JsonNode> action(String name) {
    return n -> n.path("action").asText().equals(name);
  }

  private static Predicate<JsonNode> action(String name, String rm) {
    return n -> n.path("action").asText().equals(name) && n.path("params").path("rm").asText().equals(rm);
  }

  private static long actions(Path trace) throws Exception {
    return Files.readAllLines(trace).stream().filter(l -> l.contains("\"kind\":\"action\"")).count();
  }

  // ---- checking ----

  /** Both verdicts; they must agree on conformance and on the first event that fails. */
  private static TraceSpec.Result check(Path trace) throws Exception {
    return agreed(trace, TraceSpec.check(trace, SPECS));
  }

  /** TLC's verdict {@code r} on {@code trace}, once the in-process engine's is found to be the same. */
  private static TraceSpec.Result agreed(Path trace, TraceSpec.Result r) throws Exception {
    return agreed(new Validator(SPECS), trace, r);
  }

  /** As {@link #agreed(Path, TraceSpec.Result)}, the engine's verdict reached by {@code validator}. */
  private static TraceSpec.Result agreed(Validator validator, Path trace, TraceSpec.Result r) throws Exception {
    Validator.Result v = validator.validate(List.of(trace), Validator.Progress.NONE);
    String inProcess = v.divergence() == null ? null : v.divergence().where();
    assertEquals(inProcess, r.firstUnmatched(), () -> "the two verdicts disagree on " + trace + ": " + r);
    assertEquals(v.conforms(), r.conforms(), () -> "the two verdicts disagree on " + trace + ": " + r);
    return r;
  }

  private static void assertConforms(Path trace) throws Exception {
    TraceSpec.Result r = check(trace);
    long n = actions(trace);
    assertTrue(r.conforms(), () -> trace + " must conform: " + r);
    assertEquals(n, r.events(), r.toString());
    assertEquals(n, r.matched(), r.toString());
    assertNull(r.firstUnmatched());
  }

  private static void assertFailsAt(Path trace, int line) throws Exception {
    TraceSpec.Result r = check(trace);
    assertFalse(r.conforms(), () -> trace + " must not conform: " + r);
    assertEquals(trace + ":" + (line + 1), r.firstUnmatched(), r.toString());
    // TLC could not match an event, or the log ends before an event whose claims are false.
    assertTrue(r.matched() < r.events() || r.reason() != null, r.toString());
  }

  // ---- conforming traces ----

  @Test
  void simulatedTracesConformUnderEveryFaultMix() throws Exception {
    assertConforms(simulate("seed7", 7, 4, ALL));
    assertConforms(simulate("seed18-dup-reorder-delay", 18, 6, faults("duplicate,reorder,delay")));
    assertConforms(simulate("seed6-crash-recovery", 6, 4, faults("crash-recovery,duplicate")));
    assertConforms(simulate("seed1-partition", 1, 5, faults("partition,reorder")));
    assertConforms(simulate("seed3-none", 3, 3, faults("")));
    assertConforms(simulate("seed11-crash-stop", 11, 6, faults("crash-stop,delay,reorder")));
  }

  @Test
  void aLongerRunWithCrashesAndRecoveriesConforms() throws Exception {
    Path trace = simulate("long", 2, 5, faults("crash-recovery,duplicate"), 150, true);
    long n = actions(trace);
    assertTrue(n > 100 && n < 1000, "a few hundred events, not " + n);
    assertConforms(trace);
  }

  // ---- edited traces ----

  @Test
  void aChangedValueFailsAtItsEvent() throws Exception {
    List<ObjectNode> lines = read(simulate("base", 7, 4, ALL));
    int k = find(lines, 1, action("RMPrepare"));
    ObjectNode rmState = (ObjectNode) lines.get(k).get("vars").get("rmState");
    String rm = rmState.fieldNames().next();
    assertEquals("prepared", rmState.get(rm).asText());
    rmState.put(rm, "committed");
    assertFailsAt(write("changed", lines), k);
  }

  @Test
  void aDroppedVoteFailsWhereTheTmReceivesIt() throws Exception {
    List<ObjectNode> lines = read(simulate("base", 7, 4, ALL));
    String rm = lines.get(find(lines, 1, action("TMRcvPrepared"))).get("params").get("rm").asText();
    int vote = find(lines, 1, action("RMPrepare", rm));
    int receipt = find(lines, vote, action("TMRcvPrepared", rm));
    lines.remove(vote);
    assertFailsAt(write("dropped-vote", lines), receipt - 1);
  }

  @Test
  void aDroppedReceiptFailsAtTheNextVoteTheTmLogs() throws Exception {
    List<ObjectNode> lines = read(simulate("base", 7, 4, ALL));
    // Two receipts with no other TM action between them (a crash would empty tmPrepared).
    int first = find(lines, 1, action("TMRcvPrepared"));
    int second = find(lines, first + 1, n -> n.path("node").asText().equals("tm"));
    while (!action("TMRcvPrepared").test(lines.get(second))) {
      first = find(lines, second, action("TMRcvPrepared"));
      second = find(lines, first + 1, n -> n.path("node").asText().equals("tm"));
    }
    lines.remove(first);
    assertFailsAt(write("dropped-receipt", lines), second - 1);
  }

  @Test
  void swappedEventsFailWhereTheTmReceivesAVoteNotYetSent() throws Exception {
    for (long seed : new long[] {7, 18}) {
      List<ObjectNode> lines = read(simulate("base" + seed, seed, 4, ALL));
      int receipt = find(lines, 1, action("TMRcvPrepared"));
      int vote = find(lines, 1, action("RMPrepare", lines.get(receipt).get("params").get("rm").asText()));
      ObjectNode a = lines.get(vote);
      lines.set(vote, lines.get(receipt));
      lines.set(receipt, a);
      assertFailsAt(write("swapped" + seed, lines), vote);
    }
  }

  @Test
  void aCommitBeforeAllVotesIsForbidden() throws Exception {
    List<ObjectNode> lines = read(simulate("base", 7, 4, ALL));
    int receipt = find(lines, 1, action("TMRcvPrepared"));
    ObjectNode commit = JSON.createObjectNode();
    ObjectNode after = lines.get(receipt);
    commit.put("seq", after.get("seq").asLong());
    commit.put("time", after.get("time").asLong());
    commit.put("kind", "action");
    commit.put("node", "tm");
    commit.put("action", "TMCommit");
    commit.putObject("params");
    ArrayNode sent = commit.putArray("sent");
    for (JsonNode node : lines.get(0).get("nodes")) {
      if (!node.asText().equals("tm")) {
        ObjectNode s = sent.addObject();
        s.put("to", node.asText());
        s.putObject("msg").put("type", "Commit");
      }
    }
    ObjectNode vars = commit.putObject("vars");
    vars.put("tmState", "committed");
    vars.set("tmPrepared", after.get("vars").get("tmPrepared").deepCopy());
    commit.putObject("vc").put("tm", 99);
    lines.add(receipt + 1, commit);
    assertFailsAt(write("early-commit", lines), receipt + 1);
  }

  @Test
  void anUnknownActionOrAWrongParameterIsBadInputForBothVerdicts() throws Exception {
    List<ObjectNode> lines = read(simulate("base", 7, 4, ALL));
    int k = find(lines, 1, action("RMPrepare"));
    lines.get(k).put("action", "RMVote");
    Path unknown = write("unknown-action", lines);
    String msg = assertThrows(TraceException.class, () -> TraceSpec.check(unknown, SPECS)).getMessage();
    assertTrue(msg.startsWith(unknown + ":" + (k + 1) + ": unknown action 'RMVote'"), msg);
    assertThrows(TraceException.class, () -> new Validator(SPECS).validate(List.of(unknown), Validator.Progress.NONE));

    lines.get(k).put("action", "RMPrepare");
    ObjectNode params = (ObjectNode) lines.get(k).get("params");
    params.set("resource", params.remove("rm"));
    Path renamed = write("renamed-param", lines);
    msg = assertThrows(TraceException.class, () -> TraceSpec.check(renamed, SPECS)).getMessage();
    assertTrue(msg.contains("takes parameters (rm), the event gives (resource)"), msg);
    assertThrows(TraceException.class, () -> new Validator(SPECS).validate(List.of(renamed), Validator.Progress.NONE));
  }

  @Test
  void aValueOfTheWrongTypeDivergesAtItsEventInBothVerdicts() throws Exception {
    List<ObjectNode> lines = read(simulate("base", 7, 4, ALL));
    int k = find(lines, 1, action("TMRcvPrepared"));
    ((ObjectNode) lines.get(k).get("vars")).put("tmPrepared", "rm1");
    Path bad = write("wrong-type", lines);
    TraceSpec.Result r = check(bad);
    assertEquals(bad + ":" + (k + 1), r.firstUnmatched(), r.toString());
    assertTrue(r.reason().startsWith("TLC cannot evaluate this step"), r.toString());
    Validator.Result v = new Validator(SPECS).validate(List.of(bad), Validator.Progress.NONE);
    assertTrue(v.divergence().closest().get(0).logged().contains("a string, which cannot be a set"),
        v.divergence().toString());
  }

  // ---- the sample traces ----

  @Test
  void everySampleTraceGetsItsRecordedVerdict() throws Exception {
    Path traces = SPECS.resolveSibling("traces");
    List<Path> samples = new ArrayList<>();
    List<JsonNode> verdicts = new ArrayList<>();
    try (var dirs = Files.walk(traces, 2)) { // traces/<protocol>/ or traces/<family>/<protocol>/
      for (Path d : dirs.filter(p -> Files.isRegularFile(p.resolve("expected.json"))).sorted().toList()) {
        JsonNode expected = JSON.readTree(d.resolve("expected.json").toFile());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (e.getValue().has("tlc")) {
            // A sample whose TLC cross-check takes a minute is measured once, as large models are
            // (SampleTracesTest holds the engine's verdict on it every build).
            assertTrue(e.getValue().get("tlc").asText().startsWith("measured once"), d + "/" + e.getKey());
            continue;
          }
          samples.add(d.resolve(e.getKey()));
          verdicts.add(e.getValue());
        }
      }
    }
    assertFalse(samples.isEmpty(), "no sample traces under " + traces);
    // Each TLC run is its own one-worker process: two at a time take CI's two cores. The
    // in-process verdicts, compared with them below, are reached one at a time.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    // The samples of one protocol share their spec's configuration: the engine loads it once.
    try (Validator validator = Validator.reusing(SPECS)) {
      List<Future<TraceSpec.Result>> tlc = new ArrayList<>();
      for (Path trace : samples) {
        tlc.add(pool.submit(() -> TraceSpec.check(trace, SPECS)));
      }
      for (int k = 0; k < samples.size(); k++) {
        Path trace = samples.get(k);
        TraceSpec.Result r = agreed(validator, trace, tlc.get(k).get());
        if (verdicts.get(k).get("verdict").asText().equals("conforms")) {
          assertTrue(r.conforms(), () -> trace + ": " + r);
        } else {
          assertEquals(trace + ":" + verdicts.get(k).get("line").asLong(), r.firstUnmatched(), r.toString());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- the generated module ----

  @Test
  void theModuleHoldsTheLogAsDataAndTheSpecIsLeftAlone() throws Exception {
    Path trace = simulate("seed7", 7, 4, ALL);
    Path out = Files.createDirectory(dir.resolve("module"));
    String before = Files.readString(SPECS.resolve("twophase/TwoPhase.tla"));
    TraceSpec.Written w = TraceSpec.write(trace, SPECS, out);
    assertEquals(actions(trace), w.events());
    String tla = Files.readString(out.resolve(TraceSpec.MODULE + ".tla"));
    String cfg = Files.readString(out.resolve(TraceSpec.MODULE + ".cfg"));
    assertTrue(tla.contains("EXTENDS TwoPhase, Integers, Sequences, FiniteSets"), tla);
    assertTrue(tla.contains("TraceConst_RM == {\"rm1\", \"rm2\", \"rm3\"}"), tla);
    assertTrue(tla.contains("[action |-> \"RMPrepare\", params |-> <<\"rm1\">>, node |-> \"rm1\", "
        + "sent |-> <<[from |-> \"rm1\", to |-> \"tm\", msg |-> [type |-> \"Prepared\", rm |-> \"rm1\"]]>>, "
        + "recv |-> <<>>, vars |-> [rmState |-> {<<\"rm1\", \"prepared\">>}, tmPrepared |-> {}, tmState |-> {}]]"), tla);
    assertTrue(tla.contains("\\/ e.action = \"TMRcvPrepared\" /\\ TMRcvPrepared(e.params[1])"), tla);
    assertTrue(tla.contains("/\\ \\A kv \\in e.vars.rmState : rmState'[kv[1]] = kv[2]"), tla);
    assertTrue(tla.contains("/\\ e.vars.tmState \\subseteq {tmState'}"), tla);
    assertTrue(tla.contains("TraceNetwork(e) == /\\ TraceEnvs(e.recv) \\subseteq msgs"), tla);
    assertTrue(tla.contains("/\\ msgs' = msgs \\cup TraceEnvs(e.sent)"), tla);
    assertTrue(cfg.contains("INVARIANT ConsistencyInv"), cfg);
    assertTrue(tla.contains("TraceInit == Init /\\ i = 0"), tla);
    assertTrue(tla.contains("TraceLen == " + w.events()), tla);
    assertTrue(cfg.contains("CONSTANT RM <- TraceConst_RM"), cfg);
    assertTrue(cfg.contains("CHECK_DEADLOCK FALSE"), cfg);
    assertTrue(Files.isRegularFile(out.resolve("TwoPhase.tla")), "the spec's modules are copied next to it");
    assertEquals(before, Files.readString(SPECS.resolve("twophase/TwoPhase.tla")));
  }

  @Test
  void parametersAreFoundByNameInTheDefinitionsOrder() throws Exception {
    Path spec = Files.createDirectories(dir.resolve("defs"));
    Files.writeString(spec.resolve("Base.tla"), """
        ---- MODULE Base ----
        (* An old version, commented out:
        Send(a, b) == FALSE
           (* a nested comment *) still commented out
        *)
        Send(to, from, payload) == TRUE
        ====
        """);
    Files.writeString(spec.resolve("Top.tla"), """
        ---- MODULE Top ----
        EXTENDS Naturals,
                Base
        \\* Tick(z) == also a comment
        Tick == TRUE
        ====
        """);
    TraceSpec.Definitions d = new TraceSpec.Definitions(spec, "Top");
    assertEquals(List.of("to", "from", "payload"), d.params("Send"));
    assertEquals(List.of(), d.params("Tick"));
    assertNull(d.params("Receive"));
  }

  // ---- silent actions: a small spec of its own ----

  private Path counterSpecs() throws Exception {
    Path specs = dir.resolve("specs");
    Path counter = Files.createDirectories(specs.resolve("counter"));
    Files.writeString(counter.resolve("Counter.tla"), """
        ---- MODULE Counter ----
        EXTENDS Naturals
        CONSTANT Max
        VARIABLES x, seen
        Init == x = 0 /\\ seen = <<>>
        \\* Nobody logs a tick.
        Tick == x < Max /\\ x' = x + 1 /\\ UNCHANGED seen
        \\* A reader logs the value it read, and all it has read.
        Read(v, who) == v = x /\\ seen' = Append(seen, v) /\\ UNCHANGED x /\\ who \\in {"r1", "r2"}
        Next == Tick \\/ \\E v \\in 0..Max, w \\in {"r1", "r2"} : Read(v, w)
        ====
        """.replace("EXTENDS Naturals", "EXTENDS Naturals, Sequences"));
    Files.writeString(counter.resolve("conformance.json"), """
        {"module": "Counter", "init": "Init", "next": "Next", "sequences": ["seen"],
         "network": null, "actors": {"Read": {"param": "who"}}, "silent": ["Tick"], "maxFrontier": 1000,
         "faults": {"partition": null}}
        """);
    return specs;
  }

  private Path counterTrace(String name, int... reads) throws Exception {
    StringBuilder b = new StringBuilder("{\"format\":\"spectrace-trace/1\",\"protocol\":\"counter\",\"module\":\"Counter\","
        + "\"constants\":{\"Max\":6},\"nodes\":[\"r1\",\"r2\"],\"seed\":0,\"variables\":{\"seen\":\"whole\"}}\n");
    List<Integer> seen = new ArrayList<>();
    int seq = 0;
    for (int k = 0; k < reads.length; k++) {
      seen.add(reads[k]);
      b.append("{\"seq\":").append(seq++).append(",\"time\":").append(k).append(",\"kind\":\"action\",\"node\":\"r")
          .append(k % 2 + 1).append("\",\"action\":\"Read\",\"params\":{\"who\":\"r").append(k % 2 + 1)
          .append("\",\"v\":").append(reads[k]).append("},\"sent\":[],\"vars\":{\"seen\":")
          .append(JSON.writeValueAsString(seen)).append("},\"vc\":{\"r").append(k % 2 + 1).append("\":1}}\n");
      if (k == 1) {
        b.append("{\"seq\":").append(seq++).append(",\"time\":1,\"kind\":\"fault\",\"fault\":\"partition\","
            + "\"side\":[\"r1\"]}\n");
      }
    }
    Path file = dir.resolve(name + ".ndjson");
    Files.writeString(file, b);
    return file;
  }

  @Test
  void silentActionsMayHappenAnyNumberOfTimesBetweenLoggedEvents() throws Exception {
    Path specs = counterSpecs();
    TraceSpec.Result r = TraceSpec.check(counterTrace("ok", 1, 3, 3, 6), specs);
    assertTrue(r.conforms(), r.toString());
    assertEquals(4, r.events());
  }

  @Test
  void withSilentActionsTheFirstUnmatchedEventIsFoundByBisection() throws Exception {
    Path specs = counterSpecs();
    Path trace = counterTrace("bad", 0, 2, 2, 4, 1, 5);
    TraceSpec.Result r = TraceSpec.check(trace, specs);
    assertFalse(r.conforms(), r.toString());
    assertEquals(4, r.matched(), r.toString());
    assertEquals(6, r.events(), r.toString());
    // Lines: 1 header, 2-3 reads, 4 a fault (skipped), 5-8 reads: the fifth read is line 7.
    assertEquals(trace + ":7", r.firstUnmatched(), r.toString());
  }

  // ---- invariants: a small spec of its own ----

  @Test
  void aViolatedInvariantIsADivergenceThatNamesItInBothVerdicts() throws Exception {
    Path specs = dir.resolve("specs-inv");
    Path acc = Files.createDirectories(specs.resolve("acc"));
    Files.writeString(acc.resolve("Acc.tla"), """
        ---- MODULE Acc ----
        EXTENDS Naturals
        VARIABLE total
        Init == total = 0
        \\* A node adds n to the total.
        Add(n, who) == total' = total + n /\\ who \\in {"a", "b"}
        Next == \\E n \\in 0..5, w \\in {"a", "b"} : Add(n, w)
        \\* A bound that the model of this spec would check on its small runs.
        BoundInv == total < 10
        ====
        """);
    Files.writeString(acc.resolve("conformance.json"), """
        {"module": "Acc", "init": "Init", "next": "Next", "invariants": ["BoundInv"],
         "network": null, "actors": {"Add": {"param": "who"}}}
        """);
    StringBuilder b = new StringBuilder("{\"format\":\"spectrace-trace/1\",\"protocol\":\"acc\",\"module\":\"Acc\","
        + "\"constants\":{},\"nodes\":[\"a\",\"b\"],\"seed\":0,\"variables\":{\"total\":\"whole\"}}\n");
    int total = 0;
    for (int k = 0; k < 4; k++) {
      total += 4;
      String who = k % 2 == 0 ? "a" : "b";
      b.append("{\"seq\":").append(k).append(",\"time\":").append(k).append(",\"kind\":\"action\",\"node\":\"")
          .append(who).append("\",\"action\":\"Add\",\"params\":{\"n\":4,\"who\":\"").append(who)
          .append("\"},\"sent\":[],\"vars\":{\"total\":").append(total).append("},\"vc\":{\"").append(who)
          .append("\":").append(k / 2 + 1).append("}}\n");
    }
    Path trace = Files.writeString(dir.resolve("acc.ndjson"), b);
    // The third Add (line 4) makes the total 12.
    Validator.Result v = new Validator(specs).validate(List.of(trace), Validator.Progress.NONE);
    assertEquals(trace + ":4", v.divergence().where(), v.divergence().toString());
    assertTrue(v.divergence().reason().contains("invariant BoundInv is violated"), v.divergence().toString());
    TraceSpec.Result r = TraceSpec.check(trace, specs);
    assertEquals(trace + ":4", r.firstUnmatched(), r.toString());
    assertTrue(r.reason().contains("invariant BoundInv is violated"), r.toString());
    assertEquals(2, r.matched(), r.toString());
  }
}
