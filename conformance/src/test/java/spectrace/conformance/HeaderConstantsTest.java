package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.core.Bag;

/**
 * A trace header's constants in the tagged forms the writer gives a value nested in another
 * (Maekawa's quorums: a function to sets) reach TLC as the values they stand for, in the
 * engine (whose model module defines them) as in the TLC trace spec
 * (src/test/resources/specs/consts/Consts.tla).
 */
class HeaderConstantsTest {

  private static Map<String, Object> constants(boolean wrong) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("Quorum", Map.of("n1", Set.of("n1"), "n2", new TreeSet<>(wrong ? Set.of("n2") : Set.of("n1", "n2"))));
    c.put("Weight", Map.of(List.of(0, 1), 1, List.of(2, 1), 3));
    Bag<String> pile = new Bag<>();
    pile.add("a");
    pile.add("a");
    pile.add("b");
    c.put("Pile", pile);
    c.put("Order", Set.of(List.of(1, 2), List.of()));
    return c;
  }

  private static Path trace(Path dir, boolean wrong) throws Exception {
    Path file = Files.createDirectories(dir.resolve(wrong ? "wrong" : "right")).resolve("consts.ndjson");
    TestTrace.Node n1 = new TestTrace.Node("n1");
    n1.whole.put("ok", true);
    try (TestTrace t = new TestTrace(file, "consts", "Consts", constants(wrong), List.of("n1"),
        new TreeMap<>(Map.of("ok", "whole")))) {
      t.action(n1, "Check", "");
    }
    return file;
  }

  @Test
  void nestedSetsFunctionsOnTuplesAndBagsInTheHeaderAreTheSpecsValues(@TempDir Path dir) throws Exception {
    Path file = trace(dir, false);
    String header = Files.readAllLines(file).get(0);
    assertTrue(header.contains("\"Quorum\":{\"n1\":{\"$set\":[\"n1\"]}"), header);
    assertTrue(header.contains("\"$fn\""), header);
    assertTrue(header.contains("\"$bag\""), header);
    Validator.Result r = new Validator(TestTrace.SPECS).validate(List.of(file), Validator.Progress.NONE);
    assertNull(r.divergence(), () -> Report.text(List.of(file.toString()), r));
    assertEquals(1, r.actions());
    TraceSpec.Result tlc = TraceSpec.check(file, TestTrace.SPECS);
    assertTrue(tlc.conforms(), tlc::toString);
  }

  @Test
  void aWrongConstantMakesTheSameTraceDivergeInBothVerdicts(@TempDir Path dir) throws Exception {
    Path file = trace(dir, true);
    Validator.Result r = new Validator(TestTrace.SPECS).validate(List.of(file), Validator.Progress.NONE);
    assertNotNull(r.divergence(), "the engine took a wrong Quorum for the right one");
    TraceSpec.Result tlc = TraceSpec.check(file, TestTrace.SPECS);
    assertTrue(!tlc.conforms(), "the TLC trace spec took a wrong Quorum for the right one");
  }
}
