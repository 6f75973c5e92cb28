package spectrace.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A crash that the spec names as an action with a parameter (the broadcast specs'
 * {@code Crash(p)}) is written with that one parameter bound to the crashed node, and the
 * schema accepts it; a crash action without a parameter (two-phase commit's {@code TMCrash})
 * keeps {@code params} empty; the schema refuses any other parameter on a crash.
 */
class CrashParamTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NODES = List.of("p1", "p2", "p3");

  private static JsonSchema event() {
    Path file = Path.of("../traces/trace.schema.json").toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      file = Path.of("traces/trace.schema.json").toAbsolutePath();
    }
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(SchemaLocation.of(file.toUri() + "#/$defs/event"));
  }

  private static JsonNode[] write(boolean withParam) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      w.crash(0, 5, "p2", "Crash", withParam ? "p" : null, false, new long[] {1, 3, 0}, NODES);
      w.crash(1, 6, "p3", "Crash", withParam ? "p" : null, true, new long[] {1, 3, 2}, NODES);
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    return new JsonNode[] {JSON.readTree(lines[0]), JSON.readTree(lines[1])};
  }

  @Test
  void theCrashParameterNamesTheCrashedNode() throws IOException {
    JsonNode[] lines = write(true);
    assertEquals("{\"p\":\"p2\"}", lines[0].get("params").toString());
    assertEquals("crash-stop", lines[0].get("fault").asText());
    assertEquals("{\"p\":\"p3\"}", lines[1].get("params").toString());
    assertEquals("crash-recovery", lines[1].get("fault").asText());
    for (JsonNode l : lines) {
      assertEquals("Crash", l.get("action").asText());
      assertTrue(event().validate(l).isEmpty(), () -> event().validate(l) + ": " + l);
    }
  }

  @Test
  void aCrashActionWithoutParameterKeepsParamsEmpty() throws IOException {
    JsonNode[] lines = write(false);
    assertEquals("{}", lines[0].get("params").toString());
    assertTrue(event().validate(lines[0]).isEmpty());
  }

  @Test
  void theSchemaRefusesOtherParametersOnACrash() throws IOException {
    ObjectNode two = (ObjectNode) write(true)[0].deepCopy();
    ((ObjectNode) two.get("params")).put("q", "p1");
    assertFalse(event().validate(two).isEmpty(), "two params on a crash: " + two);
    ObjectNode number = (ObjectNode) write(true)[0].deepCopy();
    ((ObjectNode) number.get("params")).put("p", 2);
    assertFalse(event().validate(number).isEmpty(), "a crash param that is no node id: " + number);
  }
}
