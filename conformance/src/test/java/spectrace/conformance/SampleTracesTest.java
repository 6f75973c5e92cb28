package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import spectrace.tlc.Specs;

/**
 * Every sample trace under traces/<protocol>/ (or traces/<family>/<protocol>/) gets the verdict its expected.json records, and
 * a known-bad one reports its divergence at the recorded line, action and variable.
 */
class SampleTracesTest {

  private static final Path SPECS = Specs.locate().root();
  private static final Path TRACES = SPECS.resolveSibling("traces");
  /** One loaded spec per protocol and constants, shared by the samples (each verdict must survive the reuse). */
  private static final Validator VALIDATOR = Validator.reusing(SPECS);

  @AfterAll
  static void closeValidator() {
    VALIDATOR.close();
  }

  @TestFactory
  Stream<DynamicTest> everySampleGetsItsExpectedVerdict() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> dirs = Files.walk(TRACES, 2)) { // traces/<protocol>/ or traces/<family>/<protocol>/
      for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("expected.json"))).sorted().toList()) {
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
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
    assertTrue(Files.isRegularFile(trace), "expected.json lists a missing file " + trace);
    Validator.Result r = VALIDATOR.validate(List.of(trace), Validator.Progress.NONE);
    if (want.get("verdict").asText().equals("conforms")) {
      assertNull(r.divergence(), () -> Report.text(List.of(trace.toString()), r));
      return;
    }
    Divergence d = r.divergence();
    assertNotNull(d, trace + " conforms, but must diverge");
    String text = Report.text(List.of(trace.toString()), r);
    assertEquals(trace + ":" + want.get("line").asLong(), d.where(), text);
    assertEquals(want.get("action").asText(), d.action(), text);
    assertEquals(want.get("enabled").asBoolean(), d.enabled(), text);
    if (want.has("mismatch")) {
      assertTrue(d.closest().stream().anyMatch(m -> m.name().equals(want.get("mismatch").asText())),
          "expected a mismatch in " + want.get("mismatch").asText() + ":\n" + text);
    }
  }
}
