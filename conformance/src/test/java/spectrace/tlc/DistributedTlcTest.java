package spectrace.tlc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a local worker's end is read. A worker the server ended as the run closed must not be
 * taken for one lost mid-run, however long the server takes to sum up after ending it (a
 * clean-clone CI run once failed a verdict so: the server was still closing its files 200 ms
 * after its last worker had gone).
 */
class DistributedTlcTest {

  @TempDir
  Path dir;

  @Test
  void aWorkerThatTheServerThankedWasEndedByTheServer() throws Exception {
    Path log = dir.resolve("worker-1.log");
    Files.writeString(log, """
        TLC worker with 1 threads ready at: Thu Dec 03 17:10:02 UTC 2026
        127.0.0.1, work completed at: Thu Dec 03 17:11:40 UTC 2026 Computed: 204037 and a cache hit ratio of 0.00, \
        Thank you!
        """);
    assertTrue(DistributedTlc.endedByServer(log));
  }

  @Test
  void aWorkerThatFailedToStartOrWasKilledWasNotEndedByTheServer() throws Exception {
    Path failed = dir.resolve("worker-1.log");
    Files.writeString(failed, """
        Error: Failed to start worker  for server 127.0.0.1.
        Connection refused to host: 127.0.0.1
        """);
    assertFalse(DistributedTlc.endedByServer(failed));
    Path killed = dir.resolve("worker-2.log");
    Files.writeString(killed, "TLC worker with 1 threads ready at: Thu Dec 03 17:10:02 UTC 2026\n");
    assertFalse(DistributedTlc.endedByServer(killed));
    assertFalse(DistributedTlc.endedByServer(dir.resolve("no-such.log")));
  }
}
