package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-node trace files merged by their vector clocks: causal order despite skewed times,
 * (time, file) order among concurrent events, every contradiction as one located error naming
 * both events, a single file untouched, and (jqwik) merges of random causal histories that are
 * linear extensions of happens-before.
 */
class ClockMergeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  // ------------------------------------------------------------ writing traces by hand

  private static String header(String nodes, long seed) {
    return "{\"format\":\"spectrace-trace/1\",\"protocol\":\"ping\",\"module\":\"Ping\",\"constants\":{\"N\":"
        + nodes + "},\"nodes\":" + nodes + ",\"seed\":" + seed + ",\"variables\":{\"count\":\"indexed\"}}";
  }

  private static final String NODES = "[\"n1\",\"n2\",\"n3\"]";

  /** An action event; {@code vc} as JSON, e.g. {@code {"n1":1}}. */
  private static String act(long seq, long time, String node, String action, String vc) {
    return "{\"seq\":" + seq + ",\"time\":" + time + ",\"kind\":\"action\",\"node\":\"" + node + "\",\"action\":\""
        + action + "\",\"params\":{},\"sent\":[],\"vars\":{},\"vc\":" + vc + "}";
  }

  private static String recv(long seq, long time, String node, String from, String vc) {
    return "{\"seq\":" + seq + ",\"time\":" + time + ",\"kind\":\"action\",\"node\":\"" + node
        + "\",\"action\":\"Recv\",\"params\":{},\"recv\":{\"from\":\"" + from + "\",\"msg\":{\"type\":\"M\"}},"
        + "\"sent\":[],\"vars\":{},\"vc\":" + vc + "}";
  }

  private Path write(String name, String header, String... events) throws IOException {
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (String e : events) {
      sb.append(e).append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
    return p;
  }

  private Path node(String name, String... events) throws IOException {
    return write(name, header(NODES, 7), events);
  }

  private static List<String> mergeAll(Path... files) throws TraceException {
    List<String> out = new ArrayList<>();
    try (ClockMerge m = ClockMerge.open(List.of(files))) {
      for (TraceEvent e; (e = m.next()) != null; ) {
        out.add(e.where());
      }
      assertNull(m.next(), "next() after the end");
    }
    return out;
  }

  private static String where(Path p, int line) {
    return p + ":" + line;
  }

  /** Merges until the error, which must name every one of {@code at}. */
  private static String error(List<Path> files, String... at) {
    TraceException ex = assertThrows(TraceException.class, () -> {
      try (ClockMerge m = ClockMerge.open(files)) {
        while (m.next() != null) {
          // drain
        }
      }
    });
    String msg = ex.getMessage();
    assertTrue(msg.indexOf('\n') < 0, "one line: " + msg);
    for (String w : at) {
      assertTrue(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(w) + "(?!\\d)").matcher(msg).find(),
          "names " + w + ": " + msg);
    }
    return msg;
  }

  // ------------------------------------------------------------ order

  @Test
  void aMessageExchangeMergesInCausalOrderDespiteSkewedTimes() throws Exception {
    // n1 pings n2 and n2 answers; n2's clock runs 1000 ticks behind, so by time alone its
    // receipt (t=15) would come before n1's send (t=100).
    Path a = node("n1.ndjson",
        act(0, 100, "n1", "SendPing", "{\"n1\":1}"),
        recv(1, 140, "n1", "n2", "{\"n1\":2,\"n2\":2}"));
    Path b = node("n2.ndjson",
        act(0, 5, "n2", "Tick", "{\"n2\":1}"),
        recv(1, 15, "n2", "n1", "{\"n1\":1,\"n2\":2}"));
    assertEquals(List.of(where(b, 2), where(a, 2), where(b, 3), where(a, 3)), mergeAll(a, b));
    assertEquals(List.of(where(b, 2), where(a, 2), where(b, 3), where(a, 3)), mergeAll(b, a));
  }

  @Test
  void concurrentEventsComeInTimeThenFileOrder() throws Exception {
    Path a = node("a.ndjson",
        act(0, 10, "n1", "A", "{\"n1\":1}"),
        act(1, 30, "n1", "A", "{\"n1\":2}"));
    Path b = node("b.ndjson",
        act(0, 20, "n2", "B", "{\"n2\":1}"),
        act(1, 30, "n2", "B", "{\"n2\":2}"));
    assertEquals(List.of(where(a, 2), where(b, 2), where(a, 3), where(b, 3)), mergeAll(a, b));
    assertEquals(List.of(where(a, 2), where(b, 2), where(b, 3), where(a, 3)), mergeAll(b, a));
  }

  @Test
  void eventsWithoutClockFollowTheEventBeforeThemInTheirFile() throws Exception {
    String dup = "{\"seq\":1,\"time\":50,\"kind\":\"fault\",\"fault\":\"duplicate\",\"from\":\"n1\",\"to\":\"n2\","
        + "\"msg\":{\"type\":\"M\"}}";
    String partition = "{\"seq\":0,\"time\":5,\"kind\":\"fault\",\"fault\":\"partition\",\"side\":[\"n2\"]}";
    Path a = node("a.ndjson", act(0, 10, "n1", "Send", "{\"n1\":1}"), dup);
    Path b = node("b.ndjson", partition, act(1, 20, "n2", "B", "{\"n2\":1}"),
        "{\"seq\":2,\"time\":60,\"kind\":\"fault\",\"fault\":\"crash-recovery\",\"node\":\"n2\",\"vc\":{\"n2\":2}}");
    // b's partition leads its file and comes by its time (t=5); a's duplicate (t=50) comes right
    // after a's send, before b's action at t=20.
    assertEquals(List.of(where(b, 2), where(a, 2), where(a, 3), where(b, 3), where(b, 4)), mergeAll(a, b));
  }

  @Test
  void aSingleFilePassesThroughUnchanged() throws Exception {
    // Out of causal order, with a gap and two nodes: one file is not checked, only read.
    Path one = write("sim.ndjson", header(NODES, 7),
        recv(0, 5, "n2", "n1", "{\"n1\":1,\"n2\":1}"),
        act(1, 6, "n1", "Send", "{\"n1\":1}"),
        "{\"seq\":2,\"time\":7,\"kind\":\"fault\",\"fault\":\"heal\"}",
        act(3, 9, "n1", "Skip", "{\"n1\":5}"));
    List<TraceEvent> want = new ArrayList<>();
    Header wantHeader;
    try (TraceReader r = new TraceReader(one)) {
      wantHeader = r.header();
      for (TraceEvent e; (e = r.next()) != null; ) {
        want.add(e);
      }
    }
    List<TraceEvent> got = new ArrayList<>();
    try (ClockMerge m = ClockMerge.open(List.of(one))) {
      assertEquals(wantHeader, m.header());
      for (TraceEvent e; (e = m.next()) != null; ) {
        got.add(e);
      }
    }
    assertEquals(want, got);
  }

  @Test
  void theMergedHeaderIsTheFirstWithEveryFilesVariables() throws Exception {
    Path a = write("a.ndjson", header(NODES, 7).replace("{\"count\":\"indexed\"}", "{\"x\":\"whole\"}"),
        act(0, 1, "n1", "A", "{\"n1\":1}"));
    Path b = node("b.ndjson", act(0, 1, "n2", "B", "{\"n2\":1}"));
    try (ClockMerge m = ClockMerge.open(List.of(a, b))) {
      Header h = m.header();
      assertEquals(a.toString(), h.file());
      assertEquals(List.of("n1", "n2", "n3"), h.nodes());
      assertEquals(7, h.seed());
      assertEquals(List.of("count", "x"), List.copyOf(h.variables().keySet()));
    }
  }

  // ------------------------------------------------------------ contradictions

  @Test
  void aClockThatClaimsMoreEventsThanTheOtherFileHas() throws Exception {
    Path a = node("a.ndjson", act(0, 100, "n1", "A", "{\"n1\":1,\"n2\":5}"));
    Path b = node("b.ndjson",
        act(0, 1, "n2", "B", "{\"n2\":1}"),
        act(1, 2, "n2", "B", "{\"n2\":2}"),
        act(2, 3, "n2", "B", "{\"n2\":3}"));
    String msg = error(List.of(a, b), where(a, 2), where(b, 4));
    assertEquals(where(a, 2) + ": its clock says it follows 5 events of n2, but " + b + " has only 3 events of n2 (last at "
        + where(b, 4) + ")", msg);
  }

  @Test
  void aClockNamingANodeThatNoFileHolds() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":1,\"n3\":2}"));
    Path b = node("b.ndjson", act(0, 1, "n2", "B", "{\"n2\":1}"));
    assertEquals(where(a, 2) + ": its clock says it follows 2 events of n3, but no file holds events of n3",
        error(List.of(a, b), where(a, 2)));
  }

  @Test
  void aClockThatGoesBackwardsWithinAFile() throws Exception {
    Path a = node("a.ndjson",
        act(0, 10, "n1", "A", "{\"n1\":1,\"n2\":2}"),
        act(1, 11, "n1", "A", "{\"n1\":2,\"n2\":1}"));
    Path b = node("b.ndjson", act(0, 1, "n2", "B", "{\"n2\":1}"), act(1, 2, "n2", "B", "{\"n2\":2}"));
    String msg = error(List.of(a, b), where(a, 3), where(a, 2));
    assertEquals(where(a, 3) + ": its clock goes backwards: it says it follows 1 event of n2, but the earlier "
        + where(a, 2) + " says it follows 2", msg);
  }

  @Test
  void aFileWithTheEventsOfTwoNodes() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":1}"), act(1, 2, "n3", "C", "{\"n3\":1}"));
    Path b = node("b.ndjson", act(0, 1, "n2", "B", "{\"n2\":1}"));
    assertEquals(where(a, 3) + ": " + a + " holds the events of two nodes, n1 (" + where(a, 2) + ") and n3 (here): a"
        + " per-node file holds one node's events (a simulator's trace, which holds every node's events, is validated"
        + " alone)", error(List.of(a, b), where(a, 3), where(a, 2)));
  }

  @Test
  void twoFilesForOneNode() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":1}"));
    Path b = node("b.ndjson", act(0, 1, "n1", "A", "{\"n1\":1}"));
    assertEquals(where(b, 2) + ": an event of n1, whose events " + a + " holds too (" + where(a, 2) + "): give one"
        + " file per node (a simulator's trace, which holds every node's events, is validated alone)",
        error(List.of(a, b), where(b, 2), where(a, 2)));
  }

  @Test
  void twoFilesForOneNodeFoundAfterLeadingFaultEvents() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":1}"));
    Path b = node("b.ndjson", "{\"seq\":0,\"time\":0,\"kind\":\"fault\",\"fault\":\"heal\"}",
        act(1, 5, "n1", "A", "{\"n1\":1}"));
    error(List.of(a, b), where(b, 3), where(a, 2));
  }

  @Test
  void aGapInANodesOwnCount() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":1}"), act(1, 2, "n1", "A", "{\"n1\":3}"));
    Path b = node("b.ndjson", act(0, 5, "n2", "B", "{\"n2\":1}"));
    try (ClockMerge m = ClockMerge.open(List.of(a, b))) {
      // The event before the bad line still comes out: the next line is read only when needed.
      assertEquals(where(a, 2), m.next().where());
      TraceException ex = assertThrows(TraceException.class, m::next);
      assertEquals(where(a, 3) + ": its clock counts 3 events of n1, but the event before it, " + where(a, 2)
          + ", counts 1: 1 event of n1 missing between them, a gap in n1's own count", ex.getMessage());
    }
  }

  @Test
  void aRepeatInANodesOwnCount() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":1}"), act(1, 2, "n1", "A", "{\"n1\":1}"));
    Path b = node("b.ndjson", act(0, 5, "n2", "B", "{\"n2\":1}"));
    assertEquals(where(a, 3) + ": its clock counts 1 event of n1, as does the event before it, " + where(a, 2)
        + ": each event of n1 must count one more, a repeat in n1's own count",
        error(List.of(a, b), where(a, 3), where(a, 2)));
  }

  @Test
  void aGapBeforeANodesFirstEvent() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":3}"));
    Path b = node("b.ndjson", act(0, 5, "n2", "B", "{\"n2\":1}"));
    assertEquals(where(a, 2) + ": its clock counts 3 events of n1, but it is the first event of n1 (in " + a
        + "): 2 events of n1 missing before it, a gap in n1's own count", error(List.of(a, b), where(a, 2)));
  }

  @Test
  void aDeadlockWhereEachHeadWaitsForTheOther() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":1}"), act(1, 2, "n1", "A", "{\"n1\":2,\"n2\":1}"));
    Path b = node("b.ndjson", act(0, 1, "n2", "B", "{\"n1\":2,\"n2\":1}"));
    assertEquals(where(a, 3) + ": deadlock: its clock says it follows 1 event of n2, but n2's next event, "
        + where(b, 2) + ", says it follows 2 events of n1; each waits for the other",
        error(List.of(a, b), where(a, 3), where(b, 2)));
  }

  @Test
  void aDeadlockOfThreeNodes() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":1,\"n3\":1}"));
    Path b = node("b.ndjson", act(0, 1, "n2", "B", "{\"n1\":1,\"n2\":1}"));
    Path c = node("c.ndjson", act(0, 1, "n3", "C", "{\"n2\":1,\"n3\":1}"));
    String msg = error(List.of(a, b, c), where(a, 2), where(c, 2));
    assertTrue(msg.endsWith("; 3 events wait for one another in a cycle"), msg);
  }

  @Test
  void anActionWithoutAClock() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":1}").replace(",\"vc\":{\"n1\":1}", ""));
    Path b = node("b.ndjson", act(0, 5, "n2", "B", "{\"n2\":1}"));
    assertEquals(where(a, 2) + ": action event of n1 without a vector clock ('vc'): per-node files are merged by their"
        + " clocks", error(List.of(a, b), where(a, 2)));
  }

  @Test
  void headersThatDisagree() throws Exception {
    Path a = node("a.ndjson", act(0, 1, "n1", "A", "{\"n1\":1}"));
    Path seed = write("seed.ndjson", header(NODES, 8), act(0, 1, "n2", "B", "{\"n2\":1}"));
    assertEquals(where(seed, 1) + ": the header's 'seed' is 8, but in " + where(a, 1)
        + " it is 7; the files of one run must agree", error(List.of(a, seed), where(seed, 1), where(a, 1)));

    Path nodes = write("nodes.ndjson", header("[\"n1\",\"n2\",\"n3\"]", 7).replace("\"nodes\":[\"n1\",\"n2\",\"n3\"]",
        "\"nodes\":[\"n2\",\"n1\",\"n3\"]"), act(0, 1, "n2", "B", "{\"n2\":1}"));
    assertEquals(where(nodes, 1) + ": the header's 'nodes' is [n2, n1, n3], but in " + where(a, 1)
        + " it is [n1, n2, n3]; the files of one run must agree", error(List.of(a, nodes)));

    Path constants = write("constants.ndjson", header(NODES, 7).replace("\"N\":", "\"M\":"),
        act(0, 1, "n2", "B", "{\"n2\":1}"));
    assertTrue(error(List.of(a, constants), where(constants, 1), where(a, 1)).contains("'constants'"));

    Path module = write("module.ndjson", header(NODES, 7).replace("\"Ping\"", "\"Pong\""),
        act(0, 1, "n2", "B", "{\"n2\":1}"));
    assertEquals(where(module, 1) + ": the header's 'module' is \"Pong\", but in " + where(a, 1)
        + " it is \"Ping\"; the files of one run must agree", error(List.of(a, module)));

    Path protocol = write("protocol.ndjson", header(NODES, 7).replace("\"ping\"", "\"pong\""),
        act(0, 1, "n2", "B", "{\"n2\":1}"));
    assertTrue(error(List.of(a, protocol), where(protocol, 1), where(a, 1)).contains("'protocol'"));

    Path shape = write("shape.ndjson", header(NODES, 7).replace("\"indexed\"", "\"whole\""),
        act(0, 1, "n2", "B", "{\"n2\":1}"));
    assertEquals(where(shape, 1) + ": the header's variable 'count' is whole, but in " + where(a, 1)
        + " it is indexed; the files of one run must agree", error(List.of(a, shape)));
  }

  // ------------------------------------------------------------ random causal histories

  /** One generated event, and which node's file it goes to. */
  private record Gen(int id, int node, Map<String, Object> json, long[] clock) {}

  /** A synthetic run: the single-file trace's events, in order, and what each receipt received. */
  private record Run(List<String> nodes, List<Gen> events, Map<Integer, Integer> sentBy) {}

  /**
   * Interprets {@code choices} as the steps of a run of {@code n} nodes: local actions, sends
   * (some duplicated, with a vc-less duplicate fault event), receipts of any pending message
   * (so out of send order too), crashes (fault events with a clock), and two-action steps whose
   * message carries the clock after both. Clocks follow traces/README.md.
   */
  private static Run generate(int n, List<Integer> choices, boolean ties) {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add("n" + (i + 1));
    }
    long[][] clocks = new long[n][n];
    record Msg(int from, int to, long[] clock, int sendId) {}
    List<Msg> pending = new ArrayList<>();
    List<Gen> out = new ArrayList<>();
    Map<Integer, Integer> sentBy = new HashMap<>();
    long time = 0;
    for (int c : choices) {
      time += ties ? c % 3 : 1 + c % 3;
      int actor = c % n;
      int op = (c / n) % 5;
      int arg = c / (5 * n);
      int to = (actor + 1 + arg % (n - 1)) % n;
      List<Msg> mine = pending.stream().filter(m -> m.to == actor).toList();
      if (op == 2 && mine.isEmpty()) {
        op = 0;
      }
      switch (op) {
        case 0 -> out.add(action(out.size(), time, actor, "Local", null, null, clocks, nodes));
        case 1 -> {
          Gen send = action(out.size(), time, actor, "Send", null, nodes.get(to), clocks, nodes);
          out.add(send);
          pending.add(new Msg(actor, to, clocks[actor].clone(), send.id));
          if (arg % 2 == 1) {
            pending.add(new Msg(actor, to, clocks[actor].clone(), send.id));
            Map<String, Object> dup = new LinkedHashMap<>();
            dup.put("seq", 0L);
            dup.put("time", time);
            dup.put("kind", "fault");
            dup.put("fault", "duplicate");
            dup.put("from", nodes.get(actor));
            dup.put("to", nodes.get(to));
            dup.put("msg", Map.of("type", "M", "id", send.id));
            out.add(new Gen(out.size(), actor, dup, null));
          }
        }
        case 2 -> {
          Msg m = mine.get(arg % mine.size());
          pending.remove(m);
          for (int i = 0; i < n; i++) {
            clocks[actor][i] = Math.max(clocks[actor][i], m.clock[i]);
          }
          Gen r = action(out.size(), time, actor, "Recv", nodes.get(m.from), null, clocks, nodes);
          r.json.put("recv", Map.of("from", nodes.get(m.from), "msg", Map.of("type", "M", "id", m.sendId)));
          out.add(r);
          sentBy.put(r.id, m.sendId);
        }
        case 3 -> {
          // Two actions in one step: the first sends, and the message carries the second's count.
          Gen first = action(out.size(), time, actor, "SendFirst", null, nodes.get(to), clocks, nodes);
          out.add(first);
          out.add(action(out.size(), time, actor, "Then", null, null, clocks, nodes));
          pending.add(new Msg(actor, to, clocks[actor].clone(), first.id));
        }
        default -> {
          clocks[actor][actor]++;
          Map<String, Object> crash = new LinkedHashMap<>();
          crash.put("seq", 0L);
          crash.put("time", time);
          crash.put("kind", "fault");
          crash.put("fault", "crash-recovery");
          crash.put("node", nodes.get(actor));
          crash.put("vc", vc(clocks[actor], nodes));
          out.add(new Gen(out.size(), actor, crash, clocks[actor].clone()));
        }
      }
    }
    return new Run(nodes, out, sentBy);
  }

  private static Gen action(int id, long time, int actor, String name, String from, String to, long[][] clocks,
                            List<String> nodes) {
    clocks[actor][actor]++;
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("seq", 0L);
    e.put("time", time);
    e.put("kind", "action");
    e.put("node", nodes.get(actor));
    e.put("action", name);
    e.put("params", Map.of("id", id));
    e.put("sent", to == null ? List.of() : List.of(Map.of("to", to, "msg", Map.of("type", "M", "id", id))));
    e.put("vars", Map.of());
    e.put("vc", vc(clocks[actor], nodes));
    return new Gen(id, actor, e, clocks[actor].clone());
  }

  private static Map<String, Long> vc(long[] clock, List<String> nodes) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < clock.length; i++) {
      if (clock[i] > 0) {
        m.put(nodes.get(i), clock[i]);
      }
    }
    return m;
  }

  private static boolean leq(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] > b[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Splits the run into one file per node (each numbering its own seq, its times shifted by
   * {@code skew[node]}), merges them, and returns the ids of the merged events in order.
   */
  private static List<Integer> splitAndMerge(Run run, long[] skew, boolean reverse) throws Exception {
    Path tmp = Files.createTempDirectory("clockmerge");
    try {
      int n = run.nodes.size();
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("format", Header.FORMAT);
      header.put("protocol", "synthetic");
      header.put("module", "Synthetic");
      header.put("constants", Map.of());
      header.put("nodes", run.nodes);
      header.put("seed", 0L);
      header.put("variables", Map.of());
      List<StringBuilder> text = new ArrayList<>();
      Map<String, Integer> idAt = new HashMap<>();
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        text.add(new StringBuilder(JSON.writeValueAsString(header)).append('\n'));
        files.add(tmp.resolve(run.nodes.get(i) + ".ndjson"));
      }
      long[] seq = new long[n];
      long[] lines = new long[n];
      Arrays.fill(lines, 1);
      for (Gen g : run.events) {
        Map<String, Object> e = new LinkedHashMap<>(g.json);
        e.put("seq", seq[g.node]++);
        e.put("time", (Long) e.get("time") + skew[g.node]);
        text.get(g.node).append(JSON.writeValueAsString(e)).append('\n');
        idAt.put(files.get(g.node) + ":" + ++lines[g.node], g.id);
      }
      for (int i = 0; i < n; i++) {
        Files.writeString(files.get(i), text.get(i));
      }
      List<Path> order = new ArrayList<>(files);
      if (reverse) {
        java.util.Collections.reverse(order);
      }
      List<Integer> ids = new ArrayList<>();
      try (ClockMerge m = ClockMerge.open(order)) {
        for (TraceEvent e; (e = m.next()) != null; ) {
          Integer id = idAt.get(e.where());
          assertNotNull(id, "an event from nowhere: " + e.where());
          ids.add(id);
        }
      }
      return ids;
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * The merge is a linear extension of happens-before. With clocks as here, where every event
   * (action or crash) counts itself, e happened before f exactly when e ≠ f and e.vc ≤ f.vc
   * entrywise; so no event may come out after one whose clock it is ≤ to. (It is not enough that
   * each clock is ≤ every later one: concurrent events have incomparable clocks.) Independently
   * of the clocks, each node's events keep their order, each receipt follows its send, and an
   * event without a clock comes right after the one before it in its node's file.
   */
  @Property(tries = 300)
  void theMergeOfPerNodeFilesIsALinearExtensionOfHappensBefore(
      @ForAll @IntRange(min = 2, max = 5) int n,
      @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 9999) Integer> choices,
      @ForAll boolean ties,
      @ForAll @Size(value = 5) List<@IntRange(min = 0, max = 500) Integer> skews,
      @ForAll boolean reverse) throws Exception {
    Run run = generate(n, choices, ties);
    long[] skew = skews.stream().mapToLong(Integer::longValue).toArray();
    List<Integer> ids = splitAndMerge(run, skew, reverse);

    assertEquals(run.events.size(), ids.size(), "every event comes out once");
    assertEquals(run.events.size(), new HashSet<>(ids).size(), "every event comes out once: " + ids);
    List<Gen> merged = ids.stream().map(run.events::get).toList();

    for (int j = 0; j < merged.size(); j++) {
      Gen later = merged.get(j);
      if (later.clock == null) {
        continue;
      }
      for (int i = 0; i < j; i++) {
        Gen earlier = merged.get(i);
        if (earlier.clock != null) {
          assertTrue(!leq(later.clock, earlier.clock), "event " + later.id + " (vc " + Arrays.toString(later.clock)
              + ") happened before event " + earlier.id + " (vc " + Arrays.toString(earlier.clock)
              + "), but comes after it: " + ids);
        }
      }
    }
    int[] lastOf = new int[n];
    Arrays.fill(lastOf, -1);
    Map<Integer, Integer> position = new HashMap<>();
    for (int j = 0; j < merged.size(); j++) {
      Gen g = merged.get(j);
      position.put(g.id, j);
      assertTrue(g.id > lastOf[g.node], "node " + g.node + "'s events out of order: " + ids);
      if (g.clock == null) {
        assertEquals(lastOf[g.node], j == 0 ? -2 : merged.get(j - 1).id,
            "event " + g.id + " (no clock) does not follow the event before it in its file: " + ids);
      }
      lastOf[g.node] = g.id;
    }
    run.sentBy.forEach((receipt, send) -> assertTrue(position.get(send) < position.get(receipt),
        "receipt " + receipt + " before its send " + send + ": " + ids));
  }

  /**
   * When times are distinct and not skewed, the merge gives back the single file's order: the
   * earliest remaining event of the run is always ready, and it has the smallest time.
   */
  @Property(tries = 200)
  void unskewedDistinctTimesGiveBackTheRunsOrder(
      @ForAll @IntRange(min = 2, max = 5) int n,
      @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 9999) Integer> choices,
      @ForAll boolean reverse) throws Exception {
    Run run = generate(n, choices, false);
    List<Integer> ids = splitAndMerge(run, new long[5], reverse);
    List<Integer> want = run.events.stream().map(Gen::id).toList();
    assertEquals(want, ids);
  }

  @Test
  void theGeneratorMakesClocksThatCountEachEventOnce() {
    Run run = generate(3, List.of(3, 1, 5, 7, 11, 13, 2, 4, 9, 12, 14, 8), true);
    Set<String> seen = new HashSet<>();
    for (Gen g : run.events) {
      if (g.clock != null) {
        assertTrue(seen.add(g.node + ":" + g.clock[g.node]), "a node counted twice: " + g.id);
      }
    }
    assertTrue(run.events.size() >= 12);
  }
}
