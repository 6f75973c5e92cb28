package spectrace.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 4: the folders a SIGKILLed JVM left are swept by the next one, and only those:
 * a folder whose pid is alive, this JVM's own, one in the naming of older versions (no pid), and
 * a cluster's output folder stay.
 */
class TempFoldersTest {

  @TempDir Path tmp;

  @Test
  void onlyTheFoldersOfGoneProcessesAreSwept() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.waitFor();
    long dead = p.pid();
    long alive = ProcessHandle.current().parent().orElseThrow().pid();
    long self = ProcessHandle.current().pid();
    Path deadModel = Files.createDirectories(tmp.resolve("spectrace-model-" + dead + "-123"));
    Files.writeString(Files.createDirectories(deadModel.resolve("sub")).resolve("MC.tla"), "x");
    Path deadTlc = Files.createDirectories(tmp.resolve("spectrace-tlc-" + dead + "-456"));
    Path aliveModel = Files.createDirectories(tmp.resolve("spectrace-model-" + alive + "-1"));
    Path own = Files.createDirectories(tmp.resolve("spectrace-stdlib-" + self + "-2"));
    Path legacy = Files.createDirectories(tmp.resolve("spectrace-model-" + dead));
    Path cluster = Files.createDirectories(tmp.resolve("spectrace-cluster-" + dead + "-3"));

    assertEquals(2, TempFolders.sweep(tmp));
    assertFalse(Files.exists(deadModel), "a gone process's model folder, with what it holds");
    assertFalse(Files.exists(deadTlc), "a gone process's TLC folder");
    assertTrue(Files.exists(aliveModel), "a live process's folder");
    assertTrue(Files.exists(own), "this JVM's own folder");
    assertTrue(Files.exists(legacy), "a folder named without a pid");
    assertTrue(Files.exists(cluster), "a cluster's files, which are kept on purpose");
  }

  @Test
  void aFolderIsDeletedWithItsContents() throws Exception {
    Path dir = TempFolders.create("model");
    assertTrue(dir.getFileName().toString().startsWith("spectrace-model-" + ProcessHandle.current().pid() + "-"), dir::toString);
    Files.writeString(Files.createDirectories(dir.resolve("states")).resolve("f"), "x");
    TempFolders.delete(dir);
    assertFalse(Files.exists(dir));
  }
}
