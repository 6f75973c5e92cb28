package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.conformance.Report;
import spectrace.conformance.Validator;
import spectrace.core.Reports;
import spectrace.protocols.Protocols;
import spectrace.tlc.Specs;

/**
 * {@code client}: the workload of a protocol sent to nodes that something else started (here
 * {@link LocalCluster}, as a user would by hand with {@code ./spectrace node}), then STOP.
 */
class ClientCommandIT {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void theWorkloadReachesTheNodesAndStopLeavesTracesThatConform() throws Exception {
    try (LocalCluster c = new LocalCluster(Protocols.get("fifo"), 3, tmp.resolve("fifo"), 2, 7)) {
      c.startAll(Duration.ofSeconds(60));
      Path stranger = tmp.resolve("another-secret");
      spectrace.net.ClusterSecret.create(stranger);
      assertEquals(2, run("client", "fifo", "--peers", c.peers(), "--secret", stranger.toString(), "--connect-timeout",
          "2"));
      assertTrue(err.toString().strip().matches("error: node p\\d at 127\\.0\\.0\\.1:\\d+ refused the client: .*"),
          err::toString);
      assertEquals(1, err.toString().strip().lines().count(), err::toString);
      assertEquals("", out.toString(), "a client without the cluster's secret sent nothing");
      int code = run("client", "fifo", "--peers", c.peers(), "--secret", c.secretFile().toString(), "--tick-ms", "2",
          "--seed", "7", "--stop", "--wait", "1");
      assertEquals(0, code, () -> out + "" + err);
      assertTrue(out.toString().matches("(?s)sent \\d+ requests? of fifo's workload default \\(seed 7\\) to \\d nodes?\n"
          + "stopped 3 nodes\n"), out::toString);
      c.stop(Duration.ofSeconds(10)); // they are stopping already: this waits for them
      int sent = Integer.parseInt(out.toString().split(" ")[1]);
      assertTrue(sent > 0, out::toString);
      // The requests the client sent: the workload of its seed.
      Map<String, List<Object>> requests = new TreeMap<>();
      Protocols.get("fifo").workload("default", c.ids(), new SplittableRandom(7),
          (time, node, request) -> requests.computeIfAbsent(node, k -> new ArrayList<>()).add(request));
      Reports got = c.reports(Set.of());
      Reports reports = new Reports(c.ids(), requests, got.deliveries(), got.decisions(), Set.of());
      assertEquals(sent * 3L, reports.deliveries().values().stream().mapToLong(List::size).sum(), reports::toString);
      assertEquals(null, Protocols.get("fifo").awaiting(reports));
      assertEquals(List.of(), Protocols.get("fifo").violations(reports));
      Validator.Result r = new Validator(Specs.locate().root()).validate(c.traces(), Validator.Progress.NONE);
      assertTrue(r.conforms(), () -> Report.text(c.traces().stream().map(Path::toString).toList(), r));
    }
  }

  @Test
  void aNodeThatCannotBeReachedIsOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path secret = tmp.resolve("secret");
    spectrace.net.ClusterSecret.create(secret);
    int code = run("client", "beb", "--peers", "p1=127.0.0.1:" + port + ",p2=127.0.0.1:" + (port == 65535 ? 1 : port + 1),
        "--secret", secret.toString(), "--connect-timeout", "0.3");
    assertEquals(2, code);
    String e = err.toString().strip();
    assertTrue(e.matches("error: cannot reach node p\\d at 127\\.0\\.0\\.1:\\d+ \\(.*\\) after 0\\.3 s"), e);
    assertEquals(1, e.lines().count(), e);
    err.getBuffer().setLength(0);
    assertEquals(2, run("client", "beb", "--peers", "p1=127.0.0.1:7001,x=127.0.0.1:7002", "--secret", secret.toString()));
    assertEquals("error: --peers: beb with 2 nodes has the nodes p1, p2, not p1, x", err.toString().strip());
  }
}
