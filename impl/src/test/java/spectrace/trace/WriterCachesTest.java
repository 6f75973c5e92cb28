package spectrace.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import spectrace.core.Message;
import spectrace.core.ProtocolNode;
import spectrace.core.VarSink;

/**
 * What the trace writer keeps from line to line and run to run (encoded strings, messages'
 * text, the header around its seed) never changes what it writes: every line here is compared
 * with its text written out by hand.
 */
class WriterCachesTest {

  record Note(String text, long n) implements Message {}

  /** A message with a component the trace cannot hold when it is null. */
  record Maybe(String text) implements Message {}

  static final class Node extends ProtocolNode<Message> {
    String state = "idle";

    Node(String id) {
      super(id);
    }

    @Override
    public void onMessage(String from, Message msg) {}

    @Override
    public void $specVars(VarSink sink) {
      sink.indexed("state", state);
    }
  }

  private static final List<String> IDS = List.of("a", "b");

  private static String lines(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aMessageWrittenAgainIsWrittenTheSame() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceWriter w = new TraceWriter(out);
    w.resume(IDS);
    Node a = new Node("a");
    Note note = new Note("say \"hi\"", 7);
    w.action(0, 1, a, "Send", "", new Object[0], null, null, List.of("b", "b"), List.of(note, note),
        new long[] {1, 0}, IDS);
    w.action(1, 2, a, "Recv", "", new Object[0], "b", note, List.of(), List.of(), new long[] {2, 0}, IDS);
    String msg = "{\"type\":\"Note\",\"text\":\"say \\\"hi\\\"\",\"n\":7}";
    w.close();
    String written = lines(out);
    assertEquals("{\"seq\":0,\"time\":1,\"kind\":\"action\",\"node\":\"a\",\"action\":\"Send\",\"params\":{},"
        + "\"sent\":[{\"to\":\"b\",\"msg\":" + msg + "},{\"to\":\"b\",\"msg\":" + msg + "}],"
        + "\"vars\":{\"state\":{\"a\":\"idle\"}},\"vc\":{\"a\":1}}\n"
        + "{\"seq\":1,\"time\":2,\"kind\":\"action\",\"node\":\"a\",\"action\":\"Recv\",\"params\":{},"
        + "\"recv\":{\"from\":\"b\",\"msg\":" + msg + "},\"sent\":[],"
        + "\"vars\":{\"state\":{\"a\":\"idle\"}},\"vc\":{\"a\":2}}\n",
        written);
  }

  @Test
  void aMessageThatFailedToEncodeDoesNotSpoilTheNextOneOfTheSameWriter() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceWriter w = new TraceWriter(out);
    w.resume(IDS);
    assertThrows(IllegalArgumentException.class, () -> w.fault(0, 1, "duplicate", null, "a", "b", new Maybe(null)));
    w.fault(1, 2, "duplicate", null, "a", "b", new Maybe("x"));
    w.close();
    String text = lines(out);
    String last = text.substring(text.indexOf("{\"seq\":1"));
    assertEquals("{\"seq\":1,\"time\":2,\"kind\":\"fault\",\"fault\":\"duplicate\",\"from\":\"a\",\"to\":\"b\","
        + "\"msg\":{\"type\":\"Maybe\",\"text\":\"x\"}}\n", last);
  }

  @Test
  void theHeaderKeptForTheNextRunChangesOnlyItsSeed() throws IOException {
    String first = header(Map.of("N", 3, "Names", List.of("x", "y")), IDS, 5);
    String second = header(Map.of("N", 3, "Names", List.of("x", "y")), IDS, 123456789);
    String other = header(Map.of("N", 4), List.of("a", "b", "c"), 5);
    String again = header(Map.of("N", 3, "Names", List.of("x", "y")), IDS, 5);
    String expected = "{\"format\":\"spectrace-trace/2\",\"protocol\":\"p\",\"module\":\"M\","
        + "\"constants\":{\"N\":3,\"Names\":[\"x\",\"y\"]},\"nodes\":[\"a\",\"b\"],\"seed\":%d,"
        + "\"variables\":{\"state\":\"indexed\"}}\n";
    assertEquals(String.format(expected, 5), first);
    assertEquals(String.format(expected, 123456789), second);
    assertEquals("{\"format\":\"spectrace-trace/2\",\"protocol\":\"p\",\"module\":\"M\",\"constants\":{\"N\":4},"
        + "\"nodes\":[\"a\",\"b\",\"c\"],\"seed\":5,\"variables\":{\"state\":\"indexed\"}}\n", other);
    assertEquals(first, again);
  }

  private static String header(Map<String, Object> constants, List<String> nodes, long seed) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      w.header("p", "M", constants, nodes, seed, Map.of("state", "indexed"));
    }
    return lines(out);
  }

  @Test
  void aStringIsWrittenTheSameTheFirstTimeTheSecondAndAfterAndAsAnIdOrAnEqualCopy() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceWriter w = new TraceWriter(out);
    w.resume(IDS);
    Node a = new Node("a");
    String odd = "tab\there \u00e9";
    String idCopy = new String("b".toCharArray());
    for (int i = 0; i < 3; i++) {
      a.state = odd;
      w.action(i, i, a, "Step", "p,q", new Object[] {idCopy, odd}, null, null, List.of(), List.of(),
          new long[] {i + 1, 0}, IDS);
    }
    w.close();
    String[] lines = lines(out).split("\n");
    assertEquals(3, lines.length);
    for (int i = 0; i < 3; i++) {
      assertEquals("{\"seq\":" + i + ",\"time\":" + i + ",\"kind\":\"action\",\"node\":\"a\",\"action\":\"Step\","
          + "\"params\":{\"p\":\"b\",\"q\":\"tab\\there \u00e9\"},\"sent\":[],"
          + "\"vars\":{\"state\":{\"a\":\"tab\\there \u00e9\"}},\"vc\":{\"a\":" + (i + 1) + "}}", lines[i]);
    }
  }
}
