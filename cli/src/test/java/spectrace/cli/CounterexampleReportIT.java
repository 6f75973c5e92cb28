package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --report}: a TLC counterexample drawn as a sequence diagram. Each step is an
 * event of the process the spec's settings name; each arrow joins a step that sent a message to
 * the step that received that very message; the violation is marked at the last state; a lasso
 * that returns to an earlier state is drawn with its closing step and its loop.
 */
class CounterexampleReportIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void aKnownBugOfRaftIsDrawnAsMessagesBetweenServers() throws Exception {
    Path html = tmp.resolve("ce.html");
    assertEquals(1, run("check", "raft", "--model", "MCRaftVoteNotDurable", "--workers", "1", "--report", html.toString()),
        err::toString);
    assertTrue(out.toString().contains("report: " + html), out::toString);
    List<JsonNode> events = events(html);
    JsonNode data = data(html);
    // The counterexample's 10 states are 9 steps, each of a server.
    assertEquals(9, events.size());
    for (JsonNode e : events) {
      assertTrue(e.get("node").asText().matches("s[123]"), "a step of no server: " + e);
    }
    assertEquals("BecomeLeader", events.get(8).get("action").asText(), "the last step elects the second leader");
    assertEquals(8, data.get("divergence").get("index").asInt(), "the violation is marked at the last state");
    int receipts = 0;
    for (JsonNode a : data.get("arrows")) {
      if (a.get(2).asInt() != 0) {
        continue;
      }
      JsonNode from = events.get(a.get(0).asInt());
      JsonNode to = events.get(a.get(1).asInt());
      boolean sent = false;
      for (JsonNode s : from.get("sent")) {
        sent |= s.get("to").asText().equals(to.get("node").asText()) && s.get("msg").equals(to.get("recv").get("msg"));
      }
      assertTrue(sent, "arrow " + a + ": step " + from + " did not send what " + to + " received");
      assertEquals(from.get("node").asText(), to.get("recv").get("from").asText());
      receipts++;
    }
    assertTrue(receipts >= 3, "the votes that elect two leaders are received: " + receipts + " arrows");
  }

  @Test
  void aLassoIsDrawnWithTheStepThatClosesItsLoop() throws Exception {
    Path spec = Path.of("src/test/resources/specs/pingpong/PingPong.tla").toAbsolutePath();
    Path html = tmp.resolve("lasso.html");
    assertEquals(1, run("check", spec.toString(), "--workers", "1", "--report", html.toString()), err::toString);
    List<JsonNode> events = events(html);
    JsonNode data = data(html);
    assertEquals(List.of("RecvPing", "RecvPong"), List.of(events.get(0).get("action").asText(),
        events.get(1).get("action").asText()));
    assertEquals("b", events.get(0).get("node").asText());
    assertEquals("a", events.get(1).get("node").asText(), "the closing step, back into state 1");
    assertEquals("loop", events.get(2).get("fault").asText());
    assertEquals(1, data.get("loop").asInt());
    // b's Pong is received by a's closing step.
    boolean pong = false;
    for (JsonNode a : data.get("arrows")) {
      pong |= a.get(0).asInt() == 0 && a.get(1).asInt() == 1 && a.get(2).asInt() == 0;
    }
    assertTrue(pong, "no arrow from b's RecvPing (which sends Pong) to a's RecvPong: " + data.get("arrows"));
  }

  @Test
  void aSpecWithoutConformanceSettingsIsRefusedInOneLine() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("bare"));
    Path src = Path.of("src/test/resources/specs/pingpong");
    Files.copy(src.resolve("PingPong.tla"), dir.resolve("PingPong.tla"));
    Files.copy(src.resolve("PingPong.cfg"), dir.resolve("PingPong.cfg"));
    assertEquals(2, run("check", dir.resolve("PingPong.tla").toString(), "--workers", "1", "--report",
        tmp.resolve("x.html").toString()));
    assertTrue(err.toString().contains("has no conformance.json"), err::toString);
    assertTrue(!Files.exists(tmp.resolve("x.html")));
  }

  @Test
  void reportNeedsASpec() {
    assertEquals(2, run("check", "--all", "--report", tmp.resolve("x.html").toString()));
    assertTrue(err.toString().contains("--report needs a SPEC"), err::toString);
  }

  private static JsonNode data(Path html) throws Exception {
    return JSON.readTree(element(Files.readString(html), "<script id=\"data\" type=\"application/json\">"));
  }

  private static List<JsonNode> events(Path html) throws Exception {
    byte[] packed = Base64.getDecoder().decode(element(Files.readString(html),
        "<script id=\"details\" type=\"text/plain\">").trim());
    String text = new String(new GZIPInputStream(new ByteArrayInputStream(packed)).readAllBytes(), StandardCharsets.UTF_8);
    List<JsonNode> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private static String element(String page, String open) {
    int start = page.indexOf(open) + open.length();
    return page.substring(start, page.indexOf("</script>", start));
  }
}
