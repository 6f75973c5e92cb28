package spectrace.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive of TLC's jar: made once in its cache folder, used by a JVM that then
 * loads TLC's classes from it, and made again when damaged (a JVM given a damaged archive
 * aborts, so a damaged one must never reach a TLC run).
 */
class TlcClassArchiveIT {

  @TempDir Path cache;

  private static Path jar() throws Exception {
    return Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Where a JVM given {@code archive} loads {@code tlc2.TLC} from, as its class-loading log says. */
  private static String source(Path archive) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info", "-cp", jar().toString(), "tlc2.TLC", "-h")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return out.lines().filter(l -> l.contains(" tlc2.TLC source: ")).findFirst().orElse(out);
  }

  @Test
  void anArchiveIsMadeOnceUsedAndMadeAgainWhenDamaged() throws Exception {
    Path jar = jar();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("TLC is not in a jar here: " + jar);
    }
    Path first = TlcClassArchive.make(jar, cache);
    assertNotNull(first, "an archive is made");
    assertTrue(source(first).contains("source: shared objects file"), () -> "TLC's classes come from it: " + first);
    long made = Files.getLastModifiedTime(first).toMillis();
    assertEquals(first, TlcClassArchive.make(jar, cache), "the same archive is kept");
    assertEquals(made, Files.getLastModifiedTime(first).toMillis(), "and not made again");

    first.toFile().setWritable(true);
    byte[] head = new byte[5000];
    System.arraycopy(Files.readAllBytes(first), 0, head, 0, head.length);
    Files.write(first, head); // cut short, as a full disk would leave it
    Path again = TlcClassArchive.make(jar, cache);
    assertNotNull(again, "a damaged archive is made again");
    assertNotEquals(head.length, Files.size(again));
    assertTrue(source(again).contains("source: shared objects file"), () -> "and used: " + again);
    try (var left = Files.list(cache)) {
      assertEquals(1, left.count(), "no work folder or crash report is left in the cache");
    }
    try (var reports = Files.list(Path.of(""))) {
      assertEquals(0, reports.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).count(),
          "the JVM that aborted on the damaged archive left no crash report in the working folder");
    }
  }
}
