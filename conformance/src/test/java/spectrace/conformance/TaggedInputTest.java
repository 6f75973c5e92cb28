package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad tagged values and bad updates in place are bad input, reported by the reader at their
 * line (traces/README.md, "Values" and "Updates in place"); a /1 trace has neither.
 */
class TaggedInputTest {

  private static final String HEADER = "{\"format\":\"spectrace-trace/2\",\"protocol\":\"growlog\",\"module\":\"GrowLog\","
      + "\"constants\":{},\"nodes\":[\"n1\",\"n2\"],\"seed\":1,\"variables\":{\"ilog\":\"indexed\",\"log\":\"whole\"}}";

  private static String event(int seq, String node, String vars) {
    return "{\"seq\":" + seq + ",\"time\":" + seq + ",\"kind\":\"action\",\"node\":\"" + node + "\",\"action\":\"A\","
        + "\"params\":{},\"sent\":[],\"vars\":" + vars + ",\"vc\":{\"" + node + "\":" + (seq + 1) + "}}";
  }

  /** Reads every event of a trace made of {@code header} and {@code lines}. */
  private static void read(Path dir, String header, String... lines) throws Exception {
    List<String> all = new ArrayList<>(List.of(header));
    all.addAll(List.of(lines));
    Path file = dir.resolve("t.ndjson");
    Files.write(file, all);
    try (TraceReader r = new TraceReader(file)) {
      while (r.next() != null) {
        // read on
      }
    }
  }

  private static void refused(Path dir, String header, int line, String what, String... lines) {
    TraceException e = assertThrows(TraceException.class, () -> read(dir, header, lines));
    assertTrue(e.getMessage().startsWith(dir.resolve("t.ndjson") + ":" + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(what), e.getMessage());
  }

  @Test
  void wellFormedUpdatesAndTagsAreRead(@TempDir Path dir) throws Exception {
    read(dir, HEADER,
        event(0, "n1", "{\"log\":[{\"term\":1}],\"ilog\":{\"n1\":{\"$seq\":[]}}}"),
        event(1, "n1", "{\"log\":{\"$append\":[{\"term\":2}]},\"ilog\":{\"n1\":{\"$append\":[3]}}}"),
        event(2, "n1", "{\"log\":{\"$truncate\":0,\"$append\":[]},\"ilog\":{\"n1\":{\"$truncate\":1}}}"),
        event(3, "n2", "{\"ilog\":{\"n2\":{\"$fn\":[[1,{\"$bag\":[[\"a\",2]]}]]}}}"),
        event(4, "n2", "{\"ilog\":{\"n2\":{\"$put\":[[2,{\"$set\":[]}]],\"$remove\":[1]}}}"));
  }

  @Test
  void anUpdateNeedsAWholeValueBeforeIt(@TempDir Path dir) {
    refused(dir, HEADER, 2, "no whole value of log", event(0, "n1", "{\"log\":{\"$append\":[1]}}"));
    refused(dir, HEADER, 3, "no whole value of ilog (of n2)",
        event(0, "n1", "{\"ilog\":{\"n1\":[]}}"), event(1, "n2", "{\"ilog\":{\"n2\":{\"$append\":[1]}}}"));
  }

  @Test
  void aCrashForgetsTheBase(@TempDir Path dir) {
    String crash = "{\"seq\":1,\"time\":1,\"kind\":\"fault\",\"fault\":\"crash-recovery\",\"node\":\"n1\",\"vc\":{\"n1\":2}}";
    refused(dir, HEADER, 4, "first after the node's crash, must be whole",
        event(0, "n1", "{\"log\":[]}"), crash, event(2, "n1", "{\"log\":{\"$append\":[1]}}"));
  }

  @Test
  void anUpdateOfTheWrongKindOrLengthIsRefused(@TempDir Path dir) {
    refused(dir, HEADER, 3, "$put and $remove update a function",
        event(0, "n1", "{\"log\":[]}"), event(1, "n1", "{\"log\":{\"$put\":[[1,2]]}}"));
    refused(dir, HEADER, 3, "$truncate 3 of log, which has 2 entries",
        event(0, "n1", "{\"log\":[1,2]}"), event(1, "n1", "{\"log\":{\"$truncate\":3,\"$append\":[]}}"));
    refused(dir, HEADER, 4, "$truncate 2 of log, which has 1 entries",
        event(0, "n1", "{\"log\":[1,2]}"), event(1, "n1", "{\"log\":{\"$truncate\":1}}"),
        event(2, "n1", "{\"log\":{\"$truncate\":2}}"));
  }

  @Test
  void anUpdateIsAVariablesValueOnly(@TempDir Path dir) {
    refused(dir, HEADER, 2, "can only be the value of a variable",
        event(0, "n1", "{\"log\":[{\"$append\":[1]}]}"));
    String params = "{\"seq\":0,\"time\":0,\"kind\":\"action\",\"node\":\"n1\",\"action\":\"A\","
        + "\"params\":{\"x\":{\"$put\":[]}},\"sent\":[],\"vars\":{},\"vc\":{\"n1\":1}}";
    refused(dir, HEADER, 2, "can only be the value of a variable", params);
  }

  @Test
  void malformedTagsAreRefused(@TempDir Path dir) {
    refused(dir, HEADER, 2, "unknown tag '$map'", event(0, "n1", "{\"log\":{\"$map\":[]}}"));
    refused(dir, HEADER, 2, "$fn must hold pairs", event(0, "n1", "{\"log\":{\"$fn\":[[1,2,3]]}}"));
    refused(dir, HEADER, 2, "$fn holds the key 1 twice", event(0, "n1", "{\"log\":{\"$fn\":[[1,2],[1,3]]}}"));
    refused(dir, HEADER, 2, "copies must be a positive integer", event(0, "n1", "{\"log\":{\"$bag\":[[\"a\",0]]}}"));
    refused(dir, HEADER, 2, "no other field", event(0, "n1", "{\"log\":{\"$set\":[],\"x\":1}}"));
    refused(dir, HEADER, 2, "$truncate must be a length", event(0, "n1", "{\"log\":{\"$truncate\":-1}}"));
  }

  @Test
  void aFormatOneTraceHasNoTags(@TempDir Path dir) throws Exception {
    String one = HEADER.replace("spectrace-trace/2", "spectrace-trace/1");
    read(dir, one, event(0, "n1", "{\"log\":[1]}"));
    refused(dir, one, 2, "a spectrace-trace/1 trace has no tagged values", event(0, "n1", "{\"log\":{\"$set\":[1]}}"));
    TraceException e = assertThrows(TraceException.class, () -> read(dir, HEADER.replace("/2", "/3")));
    assertEquals(dir.resolve("t.ndjson") + ":1: unknown trace format 'spectrace-trace/3' (this reader reads"
        + " spectrace-trace/2 and spectrace-trace/1)", e.getMessage());
  }
}
