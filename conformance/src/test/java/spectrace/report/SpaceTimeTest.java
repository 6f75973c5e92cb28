package spectrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import spectrace.conformance.Header;
import spectrace.conformance.Divergence;
import spectrace.conformance.TraceEvent;
import spectrace.conformance.Validator;
import spectrace.tlc.Specs;

/**
 * The report of every sample trace, read back from the HTML file written: every event of the
 * trace is in it once, in order; every arrow joins a send to the receipt or loss of that very
 * message on that very link; every receipt ends exactly one arrow; and a known-bad sample's
 * divergence, as its expected.json records it, is marked at that event (the validator's own
 * divergence reaching the page is ReportBrowserIT's and ReportCommandTest's).
 */
class SpaceTimeTest {

  private static final Path SPECS = Specs.locate().root();
  private static final Path TRACES = SPECS.resolveSibling("traces");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;

  @TestFactory
  Stream<DynamicTest> everySampleIsDrawnWhole() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> dirs = Files.walk(TRACES, 2)) {
      for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("expected.json"))).sorted().toList()) {
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          Path trace = dir.resolve(e.getKey());
          tests.add(DynamicTest.dynamicTest(TRACES.relativize(dir) + "/" + e.getKey(), () -> check(trace, e.getValue())));
        }
      }
    }
    assertFalse(tests.isEmpty(), "no traces/*/expected.json under " + TRACES);
    return tests.stream();
  }

  private static void check(Path trace, JsonNode want) throws Exception {
    List<TraceEvent> events = new ArrayList<>();
    Header header;
    try (Validator.Events in = Validator.open(List.of(trace))) {
      for (TraceEvent e; (e = in.next()) != null; ) {
        events.add(e);
      }
      header = in.header();
    }
    SpaceTime d = SpaceTime.of(header, events);
    // The verdict expected.json records (SampleTracesTest holds the validator to it; here, the page).
    boolean conforms = want.get("verdict").asText().equals("conforms");
    Divergence div = conforms ? null : new Divergence(trace + ":" + want.get("line").asLong(), 0, "", want.get("action")
        .asText(), Map.of(), want.get("enabled").asBoolean(), 1, List.of(), "", null);
    String text = conforms ? "conforms" : "divergence at " + div.where() + ": " + div.action();
    HtmlReport.Verdict v = new HtmlReport.Verdict(conforms, conforms ? "conforms" : "diverges", text, div);
    Path out = tmp.resolve(trace.getFileName() + ".html");
    HtmlReport.write(out, trace.toString(), d, v, null);
    JsonNode data = pageData(out);

    // Every line of the trace, once, in order.
    List<String> lines = Files.readAllLines(trace, StandardCharsets.UTF_8);
    JsonNode drawn = data.get("events");
    assertEquals(lines.size() - 1, drawn.size(), "events drawn");
    for (int i = 0; i < drawn.size(); i++) {
      JsonNode line = JSON.readTree(lines.get(i + 1));
      assertEquals(line.get("seq"), drawn.get(i).get("seq"), "event " + i);
      assertEquals(trace + ":" + (i + 2), drawn.get(i).get("where").asText());
      assertEquals(line.path("action"), drawn.get(i).path("action"), "event " + i);
      assertEquals(line.path("fault"), drawn.get(i).path("fault"), "event " + i);
    }

    // Every arrow between a send and the receipt (or loss) of the same message on the same link.
    int[] ends = new int[drawn.size()];
    for (JsonNode a : data.get("arrows")) {
      int from = a.get(0).asInt();
      int to = a.get(1).asInt();
      int end = a.get(2).asInt();
      if (to >= 0) {
        ends[to]++;
      }
      if (from < 0 || to < 0) {
        continue;
      }
      assertTrue(from <= to, "an arrow goes back in time: " + a);
      JsonNode s = drawn.get(from);
      JsonNode t = drawn.get(to);
      String sender = s.has("action") ? s.get("node").asText() : s.get("from").asText();
      String receiver = end == SpaceTime.End.RECEIVED.ordinal() ? t.get("node").asText() : t.get("to").asText();
      JsonNode msg = end == SpaceTime.End.RECEIVED.ordinal() ? t.get("recv").get("msg") : t.get("msg");
      if (end == SpaceTime.End.RECEIVED.ordinal()) {
        assertEquals(sender, t.get("recv").get("from").asText(), "arrow " + a + ": sender");
      } else {
        assertEquals(sender, t.get("from").asText(), "arrow " + a + ": sender of the lost copy");
      }
      boolean sent = false;
      if (s.has("action")) {
        for (JsonNode m : s.get("sent")) {
          sent |= m.get("to").asText().equals(receiver) && m.get("msg").equals(msg);
        }
      } else {
        sent = s.get("to").asText().equals(receiver) && s.get("msg").equals(msg);
      }
      assertTrue(sent, "arrow " + a + ": event " + from + " did not send " + msg + " to " + receiver);
    }
    for (int i = 0; i < drawn.size(); i++) {
      JsonNode e = drawn.get(i);
      boolean ended = e.has("recv") || e.path("fault").asText().matches("loss|lost-at-crashed|partition-loss|forgery-rejected|rejected");
      assertEquals(ended ? 1 : 0, ends[i], "arrows ending at event " + i + " (" + e + ")");
    }

    // The divergence, at the line expected.json names.
    if (want.get("verdict").asText().equals("conforms")) {
      assertTrue(data.get("divergence") == null || data.get("divergence").isNull(), "a conforming trace marks no divergence");
      assertTrue(data.get("summary").get("conforms").asBoolean());
    } else {
      int index = data.get("divergence").get("index").asInt();
      assertEquals(trace + ":" + want.get("line").asLong(), drawn.get(index).get("where").asText());
      assertFalse(data.get("summary").get("conforms").asBoolean());
      assertTrue(data.get("divergence").get("text").asText().contains(want.get("action").asText()));
    }
  }

  /**
   * The page's data, with each event whole as the page unpacks it: the JSON inside the data
   * element, its events replaced by the lines of the details element (base64, gzip), which must
   * be as many and the same events.
   */
  static JsonNode pageData(Path html) throws Exception {
    String page = Files.readString(html, StandardCharsets.UTF_8);
    ObjectNode data = (ObjectNode) JSON.readTree(element(page, "<script id=\"data\" type=\"application/json\">"));
    byte[] packed = Base64.getDecoder().decode(element(page, "<script id=\"details\" type=\"text/plain\">").trim());
    String text = new String(new GZIPInputStream(new ByteArrayInputStream(packed)).readAllBytes(), StandardCharsets.UTF_8);
    ArrayNode events = JSON.createArrayNode();
    for (String line : text.split("\n")) {
      events.add(JSON.readTree(line));
    }
    JsonNode light = data.get("events");
    assertEquals(light.size(), events.size(), "events in the diagram and in the details");
    for (int i = 0; i < events.size(); i++) {
      for (String f : List.of("seq", "time", "where", "kind", "node", "action", "fault", "from", "to", "side")) {
        assertEquals(events.get(i).path(f), light.get(i).path(f), "event " + i + "'s " + f);
      }
    }
    data.set("events", events);
    return data;
  }

  private static String element(String page, String open) {
    int start = page.indexOf(open);
    assertTrue(start >= 0, "no " + open + " in the page");
    start += open.length();
    return page.substring(start, page.indexOf("</script>", start));
  }

  @Test
  void aValueThatClosesTheScriptElementIsEscaped() throws Exception {
    Header h = new Header("t", Header.FORMAT, "p", "M", Map.of(), List.of("a", "b"), 1, Map.of());
    TraceEvent e = new TraceEvent("t", 2, 0, 0, "action", "a", "Send", Map.of("x", "</script><script>alert(1)"), null,
        null, List.of(Map.of("to", "b", "msg", "<!-- </SCRIPT")), Map.of(), Map.of("a", 1L), null, null, null, null, null);
    Path out = tmp.resolve("escaped.html");
    HtmlReport.write(out, "</script>", SpaceTime.of(h, List.of(e)), new HtmlReport.Verdict(null, "x", null, null), null);
    JsonNode data = pageData(out);
    assertEquals("</script><script>alert(1)", data.get("events").get(0).get("params").get("x").asText());
    assertEquals("<!-- </SCRIPT", data.get("events").get(0).get("sent").get(0).get("msg").asText());
    assertEquals("</script>", data.get("title").asText());
  }

  @Test
  void duplicatesAndLossesEndTheRightCopies() {
    Header h = new Header("t", Header.FORMAT, "p", "M", Map.of(), List.of("a", "b"), 1, Map.of());
    List<TraceEvent> ev = List.of(
        send(0, "a", "m1"), fault(1, "duplicate", "a", "b", "m1"), send(2, "a", "m1"),
        recv(3, "b", "a", "m1"), fault(4, "loss", "a", "b", "m1"), recv(5, "b", "a", "m1"), recv(6, "b", "a", "m2"));
    SpaceTime d = SpaceTime.of(h, ev);
    // Copies of m1 in transit, oldest first: the one sent at 0, its duplicate, the one sent at 2.
    assertEquals(List.of(new SpaceTime.Arrow(0, 3, SpaceTime.End.RECEIVED, null),
        new SpaceTime.Arrow(0, 4, SpaceTime.End.LOST, "loss"),
        new SpaceTime.Arrow(2, 5, SpaceTime.End.RECEIVED, null),
        new SpaceTime.Arrow(SpaceTime.NONE, 6, SpaceTime.End.RECEIVED, null)), d.arrows());
  }

  private static TraceEvent send(long seq, String node, String msg) {
    return new TraceEvent("t", seq + 2, seq, seq, "action", node, "Send", Map.of(), null, null,
        List.of(Map.of("to", "b", "msg", msg)), Map.of(), Map.of(node, seq + 1), null, null, null, null, null);
  }

  private static TraceEvent recv(long seq, String node, String from, String msg) {
    return new TraceEvent("t", seq + 2, seq, seq, "action", node, "Recv", Map.of(), from, msg, List.of(), Map.of(),
        Map.of(node, seq + 1), null, null, null, null, null);
  }

  private static TraceEvent fault(long seq, String fault, String from, String to, String msg) {
    return new TraceEvent("t", seq + 2, seq, seq, "fault", null, null, Map.of(), null, null, List.of(), Map.of(),
        Map.of(), fault, from, to, msg, null);
  }
}
