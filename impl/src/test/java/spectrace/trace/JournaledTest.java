package spectrace.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import spectrace.core.Message;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecLog;
import spectrace.core.SpecMap;
import spectrace.core.VarSink;

/**
 * The journaled types and what the trace writer makes of them (traces/README.md, "Updates in
 * place"): the whole value first, then updates; whole again after the node's crash.
 */
class JournaledTest {

  record None() implements Message {}

  /** A node with a whole log and an indexed map. */
  static final class Node extends ProtocolNode<None> {
    final SpecLog<Integer> log = new SpecLog<>();
    final SpecMap<Integer, Set<String>> votes = new SpecMap<>();

    Node(String id) {
      super(id);
    }

    @Override
    public void onMessage(String from, None msg) {}

    @Override
    public void $specVars(VarSink sink) {
      sink.whole("log", log);
      sink.indexed("votes", votes);
    }
  }

  @Test
  void aLogRemembersOnlyHowFarItWasCutBack() {
    SpecLog<String> log = new SpecLog<>(List.of("a", "b", "c"));
    assertFalse(log.journaling());
    log.add("d");
    assertEquals(0, log.kept(), "not journaling: everything is new");
    log.mark();
    log.append("e");
    assertEquals(4, log.kept());
    assertEquals(List.of("e"), log.appended());
    log.truncate(2);
    log.append("x");
    log.set(0, "z");
    assertEquals(0, log.kept());
    assertEquals(List.of("z", "b", "x"), log.appended());
    log.mark();
    assertEquals(List.of(), log.appended());
  }

  @Test
  void aMapRemembersTheKeysItChanged() {
    SpecMap<String, Integer> m = new SpecMap<>(Map.of("a", 1));
    m.put("b", 2);
    assertTrue(m.changed().isEmpty(), "not journaling yet");
    m.mark();
    m.put("c", 3);
    m.remove("a");
    m.remove("zz");
    m.merge("b", 1, Integer::sum);
    assertEquals(Set.of("a", "b", "c"), m.changed());
    assertEquals(Map.of("b", 3, "c", 3), m);
  }

  @Test
  void theWriterLogsWholeThenUpdatesThenWholeAfterACrash() throws IOException {
    Node n = new Node("n1");
    n.log.add(1);
    n.votes.put(2, Set.of("n1"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> nodes = List.of("n1");
    try (TraceWriter w = new TraceWriter(out)) {
      w.header("p", "P", Map.of(), nodes, 0, Map.of("log", "whole", "votes", "indexed"));
      w.action(0, 0, n, "A", "", new Object[0], null, null, List.of(), List.of(), new long[] {1}, nodes);
      n.log.add(2);
      n.log.add(3);
      n.votes.put(2, Set.of("n1", "n2"));
      n.votes.put(5, Set.of());
      w.action(1, 1, n, "A", "", new Object[0], null, null, List.of(), List.of(), new long[] {2}, nodes);
      n.log.truncate(1);
      n.log.add(9);
      n.votes.remove(5);
      w.action(2, 2, n, "A", "", new Object[0], null, null, List.of(), List.of(), new long[] {3}, nodes);
      w.action(3, 3, n, "A", "", new Object[0], null, null, List.of(), List.of(), new long[] {4}, nodes);
      w.crash(4, 4, "n1", null, true, new long[] {5}, nodes);
      w.action(5, 5, n, "A", "", new Object[0], null, null, List.of(), List.of(), new long[] {6}, nodes);
    }
    List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    assertTrue(lines.get(0).startsWith("{\"format\":\"spectrace-trace/2\""), lines.get(0));
    assertTrue(lines.get(1).contains("\"vars\":{\"log\":[1],\"votes\":{\"n1\":{\"$fn\":[[2,{\"$set\":[\"n1\"]}]]}}}"),
        lines.get(1));
    assertTrue(lines.get(2).contains("\"vars\":{\"log\":{\"$append\":[2,3]},\"votes\":{\"n1\":{\"$put\":"
        + "[[2,{\"$set\":[\"n1\",\"n2\"]}],[5,{\"$set\":[]}]]}}}"), lines.get(2));
    assertTrue(lines.get(3).contains("\"vars\":{\"log\":{\"$truncate\":1,\"$append\":[9]},\"votes\":{\"n1\":"
        + "{\"$put\":[],\"$remove\":[5]}}}"), lines.get(3));
    assertTrue(lines.get(4).contains("\"vars\":{\"log\":{\"$append\":[]},\"votes\":{\"n1\":{\"$put\":[]}}}"),
        lines.get(4));
    assertTrue(lines.get(6).contains("\"vars\":{\"log\":[1,9],\"votes\":{\"n1\":{\"$fn\":[[2,"), lines.get(6));
  }
}
