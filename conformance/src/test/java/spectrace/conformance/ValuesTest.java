package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The encoding of values (traces/README.md, "Values"), end to end: a Java value, written by
 * the trace writer, read back by the reader and checked by both verdicts against the value
 * that the test spec's own TLA+ expression for it evaluates to
 * (src/test/resources/specs/values/Values.tla). Each form: a function on integers, on
 * tuples, on records; a bag; nested sets; sequences of records, sets and sequences.
 */
class ValuesTest {

  /** A broadcast message as Broadcast.tla has it: a record [src, sn]. */
  record Msg(String src, int sn) implements Comparable<Msg> {
    @Override
    public int compareTo(Msg o) {
      return src.equals(o.src) ? Integer.compare(sn, o.sn) : src.compareTo(o.src);
    }
  }

  record Entry(int term, String cmd) {}

  /** The Java value for each name of Values.tla's Expected and ExpectedSeq. */
  static Map<String, Object> javaValues() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("intFn", new TreeMap<>(Map.of(1, 10, 2, 20, 3, 30, 7, 70)));
    v.put("tupleFn", Map.of(List.of(0, 1), Set.of("n1"), List.of(2, 1), new TreeSet<>(Set.of("n1", "n2"))));
    v.put("recordFn", Map.of(new Msg("p1", 1), 1, new Msg("p2", 2), 2));
    Bag<String> bag = new Bag<>();
    bag.add("b");
    bag.add("a");
    bag.add("b");
    v.put("bag", bag);
    v.put("nested", Set.of(Set.of(), Set.of(1), new TreeSet<>(Set.of(1, 2))));
    v.put("deep", Set.of(Set.of(Set.of("a")), Set.of(Set.of("a"), Set.of())));
    v.put("fnOfSeqs", Map.of("n1", List.of(1, 2), "n2", List.of()));
    v.put("records", List.of(new Entry(1, "x"), new Entry(2, "y")));
    v.put("seqOfSets", List.of(new TreeSet<>(Set.of(2, 1)), Set.of(), Set.of(3)));
    v.put("seqOfSeqs", List.of(List.of(1), List.of(), List.of(2, 3)));
    return v;
  }

  private static final Set<String> SEQUENCES = Set.of("records", "seqOfSets", "seqOfSeqs");

  /** A trace that sets each variable to each value in turn, through the writer; {@code wrong} changes one. */
  private static Path trace(Path dir, String wrong) throws Exception {
    Path file = dir.resolve("values.ndjson");
    TestTrace.Node n1 = new TestTrace.Node("n1");
    n1.whole.put("s", List.of());
    n1.whole.put("v", "none");
    try (TestTrace t = new TestTrace(file, "values", "Values", Map.of(), List.of("n1"),
        new TreeMap<>(Map.of("s", "whole", "v", "whole")))) {
      for (Map.Entry<String, Object> e : javaValues().entrySet()) {
        Object value = e.getKey().equals(wrong) ? changed(e.getValue()) : e.getValue();
        boolean seq = SEQUENCES.contains(e.getKey());
        n1.whole.put(seq ? "s" : "v", value);
        t.action(n1, seq ? "SetS" : "SetV", "name", e.getKey());
      }
    }
    return file;
  }

  private static Object changed(Object v) {
    if (v instanceof Bag<?> b) {
      Bag<Object> c = new Bag<>();
      b.counts().forEach((e, n) -> c.add(e, n + 1));
      return c;
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> c = new LinkedHashMap<>(m);
      c.remove(c.keySet().iterator().next());
      return c;
    }
    List<Object> c = new ArrayList<>((java.util.Collection<?>) v);
    c.remove(0);
    return v instanceof Set ? Set.copyOf(c) : c;
  }

  @Test
  void eachFormIsTaggedWhereJsonIsAmbiguous(@TempDir Path dir) throws Exception {
    List<String> lines = Files.readAllLines(trace(dir, null));
    assertTrue(lines.get(0).startsWith("{\"format\":\"spectrace-trace/2\""), lines.get(0));
    String all = String.join("\n", lines);
    // Functions with other than string keys, and bags, are tagged, keys and elements sorted.
    assertTrue(all.contains("\"v\":{\"$fn\":[[1,10],[2,20],[3,30],[7,70]]}"), all);
    assertTrue(all.contains("\"v\":{\"$fn\":[[{\"$seq\":[0,1]},{\"$set\":[\"n1\"]}],[{\"$seq\":[2,1]},"
        + "{\"$set\":[\"n1\",\"n2\"]}]]}"), all);
    assertTrue(all.contains("\"v\":{\"$fn\":[[{\"src\":\"p1\",\"sn\":1},1],[{\"src\":\"p2\",\"sn\":2},2]]}"), all);
    assertTrue(all.contains("\"v\":{\"$bag\":[[\"a\",1],[\"b\",2]]}"), all);
    // A set or sequence inside another value is tagged; a variable's own value is not. Elements
    // with no natural order (sets) are sorted by their JSON text.
    assertTrue(all.contains("\"v\":[{\"$set\":[1,2]},{\"$set\":[1]},{\"$set\":[]}]"), all);
    assertTrue(all.contains("\"s\":[{\"$set\":[1,2]},{\"$set\":[]},{\"$set\":[3]}]"), all);
    assertTrue(all.contains("\"s\":[{\"term\":1,\"cmd\":\"x\"},{\"term\":2,\"cmd\":\"y\"}]"), all);
    assertTrue(all.contains("\"v\":{\"n1\":{\"$seq\":[1,2]},\"n2\":{\"$seq\":[]}}"), all);
  }

  @Test
  void bothVerdictsReadEachFormAsTheSpecsValue(@TempDir Path dir) throws Exception {
    Path file = trace(dir, null);
    Validator.Result r = new Validator(TestTrace.SPECS).validate(List.of(file), Validator.Progress.NONE);
    assertNull(r.divergence(), () -> Report.text(List.of(file.toString()), r));
    assertEquals(javaValues().size(), r.actions());
    TraceSpec.Result tlc = TraceSpec.check(file, TestTrace.SPECS);
    assertTrue(tlc.conforms(), tlc::toString);
    assertEquals(javaValues().size(), tlc.matched());
  }

  @Test
  void aWrongValueOfEachFormDivergesInBothVerdicts(@TempDir Path dir) throws Exception {
    List<String> names = new ArrayList<>(javaValues().keySet());
    for (String wrong : List.of("intFn", "tupleFn", "recordFn", "bag", "deep", "seqOfSets")) {
      Path sub = Files.createDirectories(dir.resolve(wrong));
      Path file = trace(sub, wrong);
      Validator.Result r = new Validator(TestTrace.SPECS).validate(List.of(file), Validator.Progress.NONE);
      Divergence d = r.divergence();
      assertNotNull(d, wrong + ": the engine accepts a changed value");
      long line = names.indexOf(wrong) + 2;
      assertEquals(file + ":" + line, d.where(), wrong);
      assertFalse(d.closest().isEmpty(), wrong);
      assertEquals(SEQUENCES.contains(wrong) ? "s" : "v", d.closest().get(0).name(), wrong);
      TraceSpec.Result tlc = TraceSpec.check(file, TestTrace.SPECS);
      assertFalse(tlc.conforms(), wrong + ": TLC accepts a changed value");
      assertEquals(file + ":" + line, tlc.firstUnmatched(), wrong);
    }
  }
}
