package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13, item 4: stopping {@code cluster} left its node processes running. However the
 * driver ends (SIGKILL, which no hook sees; SIGTERM; SIGINT), every node process it started must
 * be gone a few seconds later: a node stops when its standard input, a pipe from the driver,
 * ends, and the driver's shutdown hook stops them on a signal it can catch.
 */
class ClusterLeavesNoNodeIT {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"KILL", "TERM", "INT"})
  void noNodeProcessOutlivesTheDriver(String signal) throws Exception {
    Path run = tmp.resolve("run");
    Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
    // One tick a second: the RMs vote within 100 s, so the first round's nodes are up when the driver dies.
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmpdir, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "cluster", "twophase", "--tick-ms", "1000", "--duration", "600", "--round-timeout", "600", "--dir", run.toString());
    Process driver = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("driver.out").toFile()).start();
    List<ProcessHandle> nodes = List.of();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      List<String> ids = List.of("tm", "rm1", "rm2", "rm3");
      while (System.nanoTime() < deadline) {
        nodes = driver.descendants().filter(ClusterLeavesNoNodeIT::isNode).toList();
        if (nodes.size() == ids.size() && ids.stream().allMatch(id -> Files.exists(run.resolve("round-1/" + id + ".ndjson")))) {
          break;
        }
        assertTrue(driver.isAlive(), () -> "the driver ended early: " + read(tmp.resolve("driver.out")));
        Thread.sleep(100);
      }
      assertEquals(ids.size(), nodes.size(), () -> "node processes of the driver: " + read(tmp.resolve("driver.out")));
      assertTrue(nodes.stream().allMatch(ProcessHandle::isAlive), "every node runs when the driver is signalled");
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(driver.pid())).inheritIO().start();
      assertEquals(0, kill.waitFor());
      assertTrue(driver.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "the driver ends on SIG" + signal);

      long gone = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < gone && nodes.stream().anyMatch(ProcessHandle::isAlive)) {
        Thread.sleep(100);
      }
      List<ProcessHandle> left = nodes.stream().filter(ProcessHandle::isAlive).toList();
      assertEquals(List.of(), left.stream().map(ProcessHandle::pid).toList(),
          "node processes left 15 s after SIG" + signal + " of the driver");
    } finally {
      driver.destroyForcibly();
      nodes.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean isNode(ProcessHandle p) {
    return p.info().arguments().map(a -> List.of(a).contains("node") && List.of(a).contains("--peers")).orElse(false);
  }

  private static String read(Path p) {
    try {
      return Files.readAllLines(p).stream().collect(Collectors.joining(" | "));
    } catch (java.io.IOException e) {
      return "(no output)";
    }
  }
}
