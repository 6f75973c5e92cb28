package spectrace.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import spectrace.core.Message;

/**
 * The writer reuses the bytes of an immutable message for an equal one, and never those of a
 * message whose value can change after it was written.
 */
class MessageBytesTest {

  record Fixed(String from, int k) implements Message {}

  record Nested(Fixed inner, boolean flag) implements Message {}

  record Growing(List<Integer> items) implements Message {}

  private static List<String> lines(ThrowingWrites writes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      w.header("p", "P", Map.of(), List.of("a", "b"), 1, Map.of());
      writes.write(w);
    }
    List<String> all = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    return all.subList(1, all.size());
  }

  private interface ThrowingWrites {
    void write(TraceWriter w) throws IOException;
  }

  @Test
  void equalImmutableMessagesAreWrittenAlikeAndDistinctOnesApart() throws IOException {
    List<String> lines = lines(w -> {
      w.fault(0, 1, "loss", null, "a", "b", new Fixed("a", 1));
      w.fault(1, 1, "loss", null, "a", "b", new Fixed("a", 1));
      w.fault(2, 1, "loss", null, "a", "b", new Fixed("a", 2));
      w.fault(3, 1, "loss", null, "a", "b", new Nested(new Fixed("b", 3), true));
    });
    assertEquals(List.of(
        "{\"seq\":0,\"time\":1,\"kind\":\"fault\",\"fault\":\"loss\",\"from\":\"a\",\"to\":\"b\",\"msg\":{\"type\":\"Fixed\",\"from\":\"a\",\"k\":1}}",
        "{\"seq\":1,\"time\":1,\"kind\":\"fault\",\"fault\":\"loss\",\"from\":\"a\",\"to\":\"b\",\"msg\":{\"type\":\"Fixed\",\"from\":\"a\",\"k\":1}}",
        "{\"seq\":2,\"time\":1,\"kind\":\"fault\",\"fault\":\"loss\",\"from\":\"a\",\"to\":\"b\",\"msg\":{\"type\":\"Fixed\",\"from\":\"a\",\"k\":2}}",
        "{\"seq\":3,\"time\":1,\"kind\":\"fault\",\"fault\":\"loss\",\"from\":\"a\",\"to\":\"b\",\"msg\":{\"type\":\"Nested\",\"inner\":{\"type\":\"Fixed\",\"from\":\"b\",\"k\":3},\"flag\":true}}"),
        lines);
  }

  @Test
  void aMessageThatChangesAfterItIsWrittenIsWrittenAsItIsNow() throws IOException {
    List<Integer> items = new ArrayList<>(List.of(1));
    Growing m = new Growing(items);
    List<String> lines = lines(w -> {
      w.fault(0, 1, "loss", null, "a", "b", m);
      items.add(2);
      w.fault(1, 1, "loss", null, "a", "b", m);
    });
    assertEquals(true, lines.get(0).endsWith("\"msg\":{\"type\":\"Growing\",\"items\":[1]}}"), lines.get(0));
    assertEquals(true, lines.get(1).endsWith("\"msg\":{\"type\":\"Growing\",\"items\":[1,2]}}"), lines.get(1));
  }
}
