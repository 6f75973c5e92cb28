package spectrace.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import spectrace.core.Fault;
import spectrace.trace.TraceWriter;

/**
 * The {@code sender-crash-loss} fault: when a node crashes, some of the messages it sent that
 * are still in transit are lost, each logged as a {@code loss} right after the crash; a lost
 * message is never received, the others still are, and nothing else is lost. Without the
 * fault, a crashed sender's messages all arrive.
 */
class SenderCrashLossTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int NODES = 4;

  private static String trace(long seed, Set<Fault> faults) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      new Simulator(new Chatter(false), new SimConfig(seed, NODES, 100_000, faults, false, false,
          SimConfig.Rates.DEFAULT), w).run();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A message's identity in a trace: sender, receiver and ping number. */
  private static String id(String from, String to, JsonNode msg) {
    return from + ">" + to + "#" + msg.get("k").asInt();
  }

  @Test
  void aCrashedSendersMessagesInTransitAreLostRightAfterItsCrashAndNeverReceived() throws IOException {
    int lost = 0;
    int receivedFromCrashed = 0;
    for (long seed = 0; seed < 30; seed++) {
      String trace = trace(seed, EnumSet.of(Fault.CRASH_STOP, Fault.SENDER_CRASH_LOSS));
      String[] lines = trace.split("\n");
      Map<String, Long> crashedAt = new HashMap<>();
      Set<String> lostIds = new HashSet<>();
      String previous = "";
      for (int i = 1; i < lines.length; i++) {
        JsonNode e = JSON.readTree(lines[i]);
        String fault = e.path("fault").asText("");
        String where = "seed " + seed + ", line " + (i + 1) + ": " + lines[i];
        if (fault.equals("crash-stop")) {
          crashedAt.put(e.get("node").asText(), e.get("time").asLong());
        } else if (fault.equals("loss")) {
          String from = e.get("from").asText();
          assertTrue(crashedAt.containsKey(from), "a loss from a sender that has not crashed: " + where);
          assertEquals(crashedAt.get(from), e.get("time").asLong(), "not at the crash: " + where);
          assertTrue(previous.equals("crash-stop") || previous.equals("loss"), "not right after the crash: " + where);
          lostIds.add(id(from, e.get("to").asText(), e.get("msg")));
          lost++;
        } else if (e.has("recv")) {
          String from = e.get("recv").get("from").asText();
          String got = id(from, e.get("node").asText(), e.get("recv").get("msg"));
          assertFalse(lostIds.contains(got), "a lost message was received: " + where);
          if (crashedAt.containsKey(from)) {
            receivedFromCrashed++;
          }
        }
        previous = fault.isEmpty() ? e.get("kind").asText() : fault;
      }
      assertArrayEquals(trace.getBytes(StandardCharsets.UTF_8),
          trace(seed, EnumSet.of(Fault.CRASH_STOP, Fault.SENDER_CRASH_LOSS)).getBytes(StandardCharsets.UTF_8),
          "seed " + seed + " replayed differently");
    }
    assertTrue(lost > 0, "no message was ever lost with its sender");
    assertTrue(receivedFromCrashed > 0, "every message in transit from a crashed sender was lost, not some");
  }

  @Test
  void withoutTheFaultNothingIsLostWithItsSender() throws IOException {
    int fromCrashed = 0;
    for (long seed = 0; seed < 30; seed++) {
      String trace = trace(seed, EnumSet.of(Fault.CRASH_STOP));
      assertFalse(trace.contains("\"fault\":\"loss\""), "seed " + seed + " lost a message");
      Set<String> crashed = new HashSet<>();
      for (String line : trace.split("\n")) {
        JsonNode e = JSON.readTree(line);
        if (e.path("fault").asText("").equals("crash-stop")) {
          crashed.add(e.get("node").asText());
        } else if (e.has("recv") && crashed.contains(e.get("recv").get("from").asText())) {
          fromCrashed++;
        }
      }
    }
    assertTrue(fromCrashed > 0, "no message from a crashed sender ever arrived");
  }
}
