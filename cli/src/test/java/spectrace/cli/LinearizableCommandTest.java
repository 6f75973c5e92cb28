package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spectrace linearizable}: its verdicts, their exit codes, and bad input in one line. */
class LinearizableCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path tmp;

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private static final String HEADER = "{\"format\":\"spectrace-history/1\",\"model\":\"kv\",\"source\":\"test\"}\n";

  private static String event(String process, String type, String f, String key, String value, long time) {
    return "{\"process\":\"" + process + "\",\"type\":\"" + type + "\",\"f\":\"" + f + "\",\"key\":\"" + key
        + "\",\"value\":" + value + ",\"time\":" + time + "}\n";
  }

  private Path file(String text) throws Exception {
    Path p = tmp.resolve("h.ndjson");
    Files.writeString(p, text);
    return p;
  }

  private static final String WRITES = event("c1", "invoke", "put", "k1", "3", 120) + event("c1", "ok", "put", "k1", "3", 190)
      + event("c1", "invoke", "put", "k1", "4", 200) + event("c1", "ok", "put", "k1", "4", 250)
      + event("c3", "invoke", "put", "k2", "1", 250) + event("c3", "ok", "put", "k2", "1", 260);

  @Test
  void aLinearizableHistoryExitsZeroWithItsFigures() throws Exception {
    Path h = file(HEADER + WRITES + event("c2", "invoke", "get", "k1", "null", 300) + event("c2", "ok", "get", "k1", "4", 320));
    assertEquals(0, run("linearizable", h.toString()), err::toString);
    assertTrue(out.toString().matches("linearizable: 4 ops, 2 keys, \\d+ states, \\d+ ms\\n"), out::toString);
  }

  @Test
  void aStaleReadExitsOneWithItsWitness() throws Exception {
    Path h = file(HEADER + WRITES + event("c2", "invoke", "get", "k1", "null", 300) + event("c2", "ok", "get", "k1", "3", 320));
    assertEquals(1, run("linearizable", h.toString()), err::toString);
    String text = out.toString();
    assertTrue(text.startsWith("not linearizable: 4 ops, 2 keys, "), text);
    assertTrue(text.contains("key k1 not linearizable"), text);
    assertTrue(text.contains("c1     put k1 4               ok   [200, 250]  lines 4, 5"), text);
    assertTrue(text.contains("c2     get k1 -> 3            ok   [300, 320]  lines 8, 9"), text);
    assertTrue(text.contains("the writes of 3 to k1 (get k1 -> 3 finds it): c1 put k1 3 ok [120, 190]"), text);
  }

  @Test
  void badInputExitsTwoInOneLine() throws Exception {
    Path h = file(HEADER + event("c1", "ok", "put", "k1", "3", 190));
    assertEquals(2, run("linearizable", h.toString()));
    assertEquals("error: " + h + ":2: c1's ok has no invoke: c1 has no operation outstanding\n", err.toString());
  }

  @Test
  void theBoundExitsThreeWithNoVerdict() throws Exception {
    Path h = file(HEADER + WRITES);
    assertEquals(3, run("linearizable", "--max-states", "1", h.toString()));
    assertTrue(out.toString().startsWith("unknown: gave up after 1 state (the bound) on key k1 (3 ops, 2 keys, "), out::toString);
    assertEquals(2, run("linearizable", "--max-states", "0", h.toString()));
  }
}
