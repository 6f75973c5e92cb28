package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate} on a run too large for its trace's room: it stops with one line and exit 2,
 * never the exit of a violation, and the trace written so far stays readable, line by line.
 */
class BoundedRunTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path tmp;

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void aTracePastItsLimitStopsTheRunWithItsWholeLinesKept() throws Exception {
    Path trace = tmp.resolve("t.ndjson");
    assertEquals(2, run("simulate", "erb", "--nodes", "50", "--max-trace-size", "100K", "--trace", trace.toString()));
    String e = err.toString();
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.startsWith("error: stopped at event "), e);
    assertTrue(e.contains("the trace passed its limit of 100 KiB") && e.contains("(--max-trace-size 100K)"), e);
    long size = Files.size(trace);
    assertTrue(size > 100 * 1024 && size < 1024 * 1024, "stopped at the first line past the limit: " + size);
    byte[] bytes = Files.readAllBytes(trace);
    assertEquals('\n', bytes[bytes.length - 1]);
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(trace);
    for (String line : lines) {
      json.readTree(line); // each line whole
    }
    assertTrue(e.contains(lines.size() + " lines written"), e);
    // The same run with room for its trace runs to its end.
    assertEquals(0, run("simulate", "erb", "--nodes", "50", "--trace", tmp.resolve("u.ndjson").toString()),
        err::toString);
  }

  @Test
  void aDiskThatIsFullIsOneLineAndExitTwo() {
    assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full");
    assertEquals(2, run("simulate", "erb", "--nodes", "20", "--trace", "/dev/full"));
    String e = err.toString();
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.startsWith("error: cannot write the trace /dev/full ("), e);
    assertFalse(e.contains("internal error"), e);
  }

  @Test
  void aSizeThatIsNoSizeIsRefused() {
    for (String bad : List.of("12X", "0", "-5M", "G", "")) {
      err.getBuffer().setLength(0);
      assertEquals(2, run("simulate", "erb", "--max-trace-size", bad), bad);
      assertTrue(err.toString().startsWith("error: --max-trace-size must be a"), err::toString);
    }
    assertEquals(500L << 20, Main.parseSize("--x", "500M"));
    assertEquals(2L << 30, Main.parseSize("--x", "2GiB"));
    assertEquals(1536, Main.parseSize("--x", "1536"));
    assertEquals(3L << 10, Main.parseSize("--x", "3kb"));
  }
}
