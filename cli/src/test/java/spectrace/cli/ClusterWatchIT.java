package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster} watches its nodes: a node process that dies without the driver killing it
 * (here, a SIGKILL from outside) is reported by name with the last line of its log, and is
 * restarted where the system model lets it recover; where the model has no crashes, the
 * round fails and says so.
 */
class ClusterWatchIT {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /**
   * Runs {@code cluster} with {@code args} (its --dir {@code dir}) in a thread, and SIGKILLs node
   * {@code victim} from outside once it is up (its trace has its header, and a moment has passed).
   */
  private int runAndKill(Path dir, String victim, String... args) throws Exception {
    AtomicInteger code = new AtomicInteger(-1);
    Thread driver = new Thread(() -> code.set(Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args)));
    driver.start();
    Path trace = dir.resolve("round-1").resolve(victim + ".ndjson");
    ProcessHandle node = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (node == null && System.nanoTime() < deadline && driver.isAlive()) {
      if (Files.exists(trace) && Files.size(trace) > 0) {
        Thread.sleep(500); // booted: it reports ready at once, and the driver starts the round
        node = ProcessHandle.current().descendants()
            .filter(h -> h.info().arguments().map(a -> List.of(a).contains(victim) && List.of(a).contains("node"))
                .orElse(false))
            .findFirst().orElse(null);
      }
      Thread.sleep(10);
    }
    assertTrue(node != null, () -> "node " + victim + " never started: " + out + err);
    node.destroyForcibly();
    driver.join(Duration.ofSeconds(120).toMillis());
    assertTrue(!driver.isAlive(), "the driver did not end");
    return code.get();
  }

  @Test
  void aTmThatDiesByItselfIsReportedAndRestarted() throws Exception {
    // At 50 ms a tick the RMs vote within 5 s, and the recovered TM, which lost their votes, aborts after 10 s.
    int code = runAndKill(tmp.resolve("twophase"), "tm", "cluster", "twophase", "--nodes", "3", "--duration", "0.1",
        "--tick-ms", "50", "--workload", "all-yes", "--dir", tmp.resolve("twophase").toString());
    String o = out.toString();
    assertEquals(0, code, () -> o + err);
    assertTrue(o.matches("(?s).*round 1: node tm died \\(exit 137\\), not killed by the driver: [^\\n]*; restarting it\n.*"),
        o);
    String summary = o.strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(summary.matches("1 rounds: 1 (committed|aborted); 0 kills, 1 recoveries, 1 unexpected deaths; .*"
        + " every round finished, kept its properties and conforms"), summary);
  }

  @Test
  void aNodeThatDiesWhereTheModelHasNoCrashesFailsTheRound() throws Exception {
    int code = runAndKill(tmp.resolve("maekawa"), "n2", "cluster", "maekawa", "--duration", "0.1", "--tick-ms", "20",
        "--dir", tmp.resolve("maekawa").toString());
    String o = out.toString();
    assertEquals(1, code, () -> o + err);
    assertTrue(o.matches("(?s).*round 1: node n2 died \\(exit 137\\), not killed by the driver: [^\\n]*; the model"
        + " \\(reliable FIFO links; no process failures\\) does not allow it\n.*"), o);
    assertTrue(o.contains("round 1: FAILED: n2 died; "), o);
  }
}
