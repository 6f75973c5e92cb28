package spectrace.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import spectrace.core.Fault;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.protocols.twophase.TwoPhaseMessage;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;

/**
 * Traces of two-phase commit, written in-process over many seeds and fault mixes, against
 * traces/trace.schema.json: the first line against {@code $defs/header}, every other line
 * against {@code $defs/event}; and the schema rejects corrupted lines.
 */
class TraceSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SEEDS = 25;

  private static JsonSchema header;
  private static JsonSchema event;
  private static JsonSchema line;

  @BeforeAll
  static void loadSchema() {
    Path file = schemaFile();
    String uri = file.toUri().toString();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    header = factory.getSchema(SchemaLocation.of(uri + "#/$defs/header"));
    event = factory.getSchema(SchemaLocation.of(uri + "#/$defs/event"));
    line = factory.getSchema(SchemaLocation.of(uri));
  }

  /** traces/trace.schema.json, from impl/ (where Surefire runs) or from the repository root. */
  private static Path schemaFile() {
    for (String candidate : List.of("../traces/trace.schema.json", "traces/trace.schema.json")) {
      Path p = Path.of(candidate).toAbsolutePath().normalize();
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find traces/trace.schema.json from " + Path.of("").toAbsolutePath());
  }

  /** The fault mixes the runs use; each is allowed by two-phase commit's system model. */
  private static List<Set<Fault>> mixes() {
    return List.of(
        EnumSet.noneOf(Fault.class),
        EnumSet.of(Fault.DUPLICATE, Fault.REORDER, Fault.CRASH_RECOVERY),
        EnumSet.of(Fault.DELAY, Fault.PARTITION, Fault.CRASH_STOP),
        new TwoPhase().model().faults());
  }

  /** One run's trace, as its lines. */
  private static List<String> trace(long seed, int nodes, Set<Fault> faults, boolean keepGoing, long steps) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter writer = new TraceWriter(out)) {
      SimConfig cfg = new SimConfig(seed, nodes, steps, faults, keepGoing, false, SimConfig.Rates.DEFAULT);
      new Simulator(new TwoPhase(), cfg, writer).run();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"), "a trace ends with a newline");
    return List.of(text.split("\n"));
  }

  /** Every trace the runs write. */
  private static void eachTrace(Consumer<List<String>> check) {
    for (Set<Fault> faults : mixes()) {
      for (long seed = 1; seed <= SEEDS; seed++) {
        check.accept(trace(seed, 4, faults, false, 10_000));
      }
      // Fewer and more nodes, and long runs that keep crashing after the protocol is quiet.
      check.accept(trace(3, 2, faults, false, 10_000));
      check.accept(trace(4, 7, faults, false, 10_000));
      check.accept(trace(5, 4, faults, true, 2_000));
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static void assertValid(JsonSchema schema, String text, String where) {
    Set<ValidationMessage> errors = schema.validate(parse(text));
    if (!errors.isEmpty()) {
      fail(where + " does not match the schema: " + errors + "\n  line: " + text);
    }
  }

  private static void assertInvalid(JsonSchema schema, JsonNode node, String why) {
    Set<ValidationMessage> errors = schema.validate(node);
    assertFalse(errors.isEmpty(), "the schema accepts a line with " + why + ": " + node);
  }

  @Test
  void everyLineOfEveryRunMatchesTheSchema() {
    Set<String> shapes = new TreeSet<>();
    int[] traces = {0};
    eachTrace(lines -> {
      traces[0]++;
      assertValid(header, lines.get(0), "the header");
      assertValid(line, lines.get(0), "the header (against the root)");
      for (int i = 1; i < lines.size(); i++) {
        assertValid(event, lines.get(i), "line " + (i + 1));
        assertValid(line, lines.get(i), "line " + (i + 1) + " (against the root)");
        JsonNode e = parse(lines.get(i));
        shapes.add(e.get("kind").asText() + (e.has("fault") ? " " + e.get("fault").asText() : "")
            + (e.has("recv") ? " recv" : ""));
      }
    });
    assertEquals(4 * (SEEDS + 3), traces[0]);
    // What two-phase commit's model lets the simulator produce; each shape was checked above.
    for (String shape : List.of("action", "action recv", "action crash-stop", "action crash-recovery",
        "fault duplicate", "fault delay", "fault partition", "fault heal", "fault lost-at-crashed")) {
      assertTrue(shapes.contains(shape), "no run produced an event of shape '" + shape + "'; saw " + shapes);
    }
  }

  @Test
  void linesAgreeWithTheHeader() {
    eachTrace(lines -> {
      JsonNode h = parse(lines.get(0));
      Set<String> nodes = new HashSet<>();
      h.get("nodes").forEach(n -> nodes.add(n.asText()));
      long lastTime = 0;
      for (int i = 1; i < lines.size(); i++) {
        JsonNode e = parse(lines.get(i));
        String where = "line " + (i + 1) + ": " + lines.get(i);
        assertEquals(i - 1, e.get("seq").asLong(), "seq numbers the events from 0, " + where);
        assertTrue(e.get("time").asLong() >= lastTime, "time never decreases, " + where);
        lastTime = e.get("time").asLong();
        for (String f : List.of("node", "from", "to")) {
          if (e.has(f)) {
            assertTrue(nodes.contains(e.get(f).asText()), f + " is a node of the header, " + where);
          }
        }
        if (e.has("side")) {
          e.get("side").forEach(n -> assertTrue(nodes.contains(n.asText()), "side is of the header's nodes, " + where));
        }
        if (e.has("vc")) {
          e.get("vc").fieldNames().forEachRemaining(n -> assertTrue(nodes.contains(n), "vc over the nodes, " + where));
          assertTrue(e.get("vc").path(e.get("node").asText()).asLong() >= 1, "vc counts the node's own event, " + where);
        }
        if (e.has("vars")) {
          String node = e.get("node").asText();
          for (Iterator<Map.Entry<String, JsonNode>> it = e.get("vars").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            String how = h.get("variables").path(v.getKey()).asText();
            assertTrue(how.equals("whole") || how.equals("indexed"), "variable " + v.getKey() + " is in the header, " + where);
            if (how.equals("indexed")) {
              List<String> keys = new ArrayList<>();
              v.getValue().fieldNames().forEachRemaining(keys::add);
              assertEquals(List.of(node), keys, "an indexed variable is {\"<node>\": value}, " + where);
            }
          }
        }
      }
    });
  }

  /** Shapes the writer has that two-phase commit cannot produce: a lost message, a request to a crashed node, a crash that is no spec action. */
  @Test
  void theWritersOtherShapesMatchTheSchema() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      w.fault(0, 5, "loss", null, "rm1", "tm", new TwoPhaseMessage.Prepared("rm1"));
      w.fault(1, 6, "partition-loss", null, "tm", "rm2", new TwoPhaseMessage.Commit());
      w.fault(2, 7, "request-to-crashed", "rm1", null, null, null);
      w.crash(3, 8, "rm2", null, false, new long[] {0, 0, 1}, List.of("tm", "rm1", "rm2"));
      w.crash(4, 9, "rm1", null, true, new long[] {2, 1, 0}, List.of("tm", "rm1", "rm2"));
      w.partition(5, 10, List.of("rm2"));
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(6, lines.length);
    for (String l : lines) {
      assertValid(event, l, "the line");
    }
  }

  @Test
  void corruptedLinesAreRejected() {
    List<String> lines = trace(7, 4, new TwoPhase().model().faults(), false, 10_000);
    JsonNode head = parse(lines.get(0));
    JsonNode action = null;
    JsonNode fault = null;
    for (String l : lines.subList(1, lines.size())) {
      JsonNode e = parse(l);
      if (action == null && e.get("kind").asText().equals("action") && e.has("recv")) {
        action = e;
      }
      if (fault == null && e.get("kind").asText().equals("fault") && e.has("msg")) {
        fault = e;
      }
    }
    assertTrue(action != null && fault != null, "seed 7 has an action with recv and a message fault");

    for (JsonNode e : List.of(action, fault)) {
      assertValid(event, e.toString(), "the unchanged event");
      assertInvalid(event, without(e, "kind"), "no kind");
      assertInvalid(event, with(e, n -> n.put("seq", String.valueOf(n.get("seq").asLong()))), "a string seq");
      assertInvalid(event, with(e, n -> n.put("seq", -1)), "a negative seq");
      assertInvalid(event, with(e, n -> n.put("time", 1.5)), "a fractional time");
      assertInvalid(event, with(e, n -> n.put("kind", "crash")), "an unknown kind");
      assertInvalid(event, with(e, n -> n.put("extra", 1)), "an unknown field");
      assertInvalid(line, without(e, "kind"), "no kind (against the root)");
    }
    assertInvalid(event, with(action, n -> n.put("kind", "fault")), "an action's fields under kind fault");
    assertInvalid(event, with(fault, n -> n.put("kind", "action")), "a fault's fields under kind action");
    for (String field : List.of("node", "action", "params", "sent", "vars", "vc")) {
      assertInvalid(event, without(action, field), "an action without " + field);
    }
    assertInvalid(event, with(action, n -> ((ObjectNode) n.get("recv")).remove("from")), "recv without from");
    assertInvalid(event, with(action, n -> ((ObjectNode) n.get("recv").get("msg")).remove("type")), "a message without type");
    assertInvalid(event, with(action, n -> n.putObject("vc")), "an empty vc");
    assertInvalid(event, with(action, n -> ((ObjectNode) n.get("vc")).put(n.get("node").asText(), "1")), "a string count in vc");
    assertInvalid(event, with(action, n -> ((ObjectNode) n.get("params")).putNull("rm")), "a null param");
    assertInvalid(event, with(action, n -> n.put("fault", "crash-stop")), "a crash with a recv and vars");
    assertInvalid(event, with(action, n -> n.put("fault", "loss")), "an action with a message fault's name");
    assertInvalid(event, without(fault, "msg"), "a message fault without msg");
    assertInvalid(event, with(fault, n -> n.put("node", "tm")), "a message fault with a node");
    assertInvalid(event, with(fault, n -> n.put("fault", "heal")), "a heal with a message");
    assertInvalid(event, with(fault, n -> n.put("fault", "lost")), "an unknown fault");

    assertValid(header, head.toString(), "the unchanged header");
    for (String field : List.of("format", "protocol", "module", "constants", "nodes", "seed", "variables")) {
      assertInvalid(header, without(head, field), "a header without " + field);
    }
    assertInvalid(header, with(head, n -> n.put("format", "spectrace-trace/3")), "another format");
    assertInvalid(header, with(head, n -> n.put("seed", "7")), "a string seed");
    assertInvalid(header, with(head, n -> ((ObjectNode) n.get("variables")).put("tmState", "all")), "a variable neither whole nor indexed");
    assertInvalid(header, with(head, n -> n.put("seq", 0)), "an unknown header field");
    assertInvalid(event, head, "the header's fields as an event");
    assertInvalid(header, action, "an event's fields as the header");
  }

  /**
   * Tagged values and updates in place: every line of the urb sample (its ack is a $fn of
   * message keys, then $put updates) matches the schema, and malformed tags and updates do not.
   */
  @Test
  void taggedValuesAndUpdatesMatchTheSchema() throws IOException {
    Path sample = schemaFile().resolveSibling("broadcast/urb/conforming-sender-crash.ndjson");
    List<String> lines = Files.readAllLines(sample);
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"$fn\"")) && lines.stream().anyMatch(l -> l.contains("\"$put\"")),
        sample + " has no $fn or $put");
    assertValid(header, lines.get(0), "the header");
    for (int i = 1; i < lines.size(); i++) {
      assertValid(event, lines.get(i), sample.getFileName() + " line " + (i + 1));
    }
    String prefix = "{\"seq\":0,\"time\":0,\"kind\":\"action\",\"node\":\"p1\",\"action\":\"A\",\"params\":{},"
        + "\"sent\":[],\"vc\":{\"p1\":1},\"vars\":";
    for (String ok : List.of("{\"log\":{\"$append\":[{\"term\":1}]}}", "{\"log\":{\"$truncate\":3,\"$append\":[]}}",
        "{\"ilog\":{\"p1\":{\"$append\":[{\"$set\":[1]}]}}}", "{\"f\":{\"$put\":[[{\"$seq\":[1,2]},3]],\"$remove\":[4]}}",
        "{\"b\":{\"$bag\":[[\"a\",2]]}}", "{\"s\":[{\"$set\":[]},{\"$seq\":[1]}]}")) {
      assertValid(event, prefix + ok + "}", ok);
    }
    for (String bad : List.of("{\"log\":{\"$append\":[1],\"$put\":[]}}", "{\"log\":{\"$truncate\":-1}}",
        "{\"f\":{\"$put\":[[1,2,3]]}}", "{\"b\":{\"$bag\":[[\"a\",0]]}}", "{\"s\":{\"$map\":[]}}",
        "{\"s\":{\"$set\":[],\"x\":1}}", "{\"s\":[{\"$append\":[1]}]}")) {
      assertInvalid(event, parse(prefix + bad + "}"), bad);
    }
  }

  private static JsonNode without(JsonNode e, String field) {
    return with(e, n -> n.remove(field));
  }

  private static JsonNode with(JsonNode e, Consumer<ObjectNode> change) {
    ObjectNode copy = e.deepCopy();
    change.accept(copy);
    return copy;
  }
}
