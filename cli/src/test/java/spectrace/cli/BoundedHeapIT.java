package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate} on runs too large for a small heap, in a JVM of their own: each ends with
 * one line on standard error and exit 2, never a stack trace, never the exit of a violation,
 * and the trace written so far ends with a whole line.
 */
class BoundedHeapIT {

  @TempDir Path tmp;

  private record Ended(int exit, String err) {}

  private Ended simulate(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "simulate"));
    cmd.addAll(List.of(args));
    Path errFile = tmp.resolve("err.txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(errFile.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "simulate " + String.join(" ", args) + " did not end in 120 s");
    return new Ended(p.exitValue(), Files.readString(errFile, StandardCharsets.UTF_8));
  }

  @Test
  void eagerBroadcastAtAThousandNodesStopsBeforeTheHeapIsFull() throws Exception {
    Path trace = tmp.resolve("erb.ndjson");
    Ended e = simulate("erb", "--nodes", "1000", "--trace", trace.toString());
    assertEquals(2, e.exit(), e.err());
    assertEquals(1, e.err().lines().count(), e.err());
    assertTrue(e.err().matches("error: stopped at event [\\d,]+: (\\d+ MiB of the heap's \\d+ MiB stayed in use after a"
        + " collection|the heap \\(\\d+ MiB\\) filled), .*\\n"), e.err());
    byte[] bytes = Files.readAllBytes(trace);
    assertEquals('\n', bytes[bytes.length - 1], "the trace ends with a whole line");
  }

  @Test
  void causalBroadcastAtAThousandNodesEndsWithOneLine() throws Exception {
    // Each of its steps sends a vector of a thousand entries to each of a thousand nodes: the
    // heap fills between two of the simulator's checks, which the simulator reports too.
    // (With a trace, the trace's limit stops it first: BoundedRunTest.)
    Ended e = simulate("causal", "--nodes", "1000");
    assertEquals(2, e.exit(), e.err());
    assertEquals(1, e.err().lines().count(), e.err());
    assertTrue(e.err().matches("error: stopped at event [\\d,]+: .*heap.*\\n"), e.err());
    assertFalse(e.err().contains("Exception"), e.err());
  }
}
