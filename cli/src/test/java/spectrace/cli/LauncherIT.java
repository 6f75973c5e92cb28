package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script {@code ./spectrace}, run on a scratch project whose {@code mvn} and
 * {@code java} are stand-ins: a build that takes half a second and fails when another build of
 * the same tree runs at once (as two Maven builds writing one {@code target/} do), and a
 * {@code java} that prints the jar it was given.
 *
 * <p>Regression: two launchers started together after a source change both rebuilt, and one
 * of them failed while the other's build rewrote its jars.
 */
class LauncherIT {

  @TempDir Path tmp;
  private Path project;
  private Path bin;

  @BeforeEach
  void scratchProject() throws IOException {
    Path launcher = Path.of(System.getProperty("spectrace.specs")).getParent().resolve("spectrace");
    project = Files.createDirectories(tmp.resolve("project"));
    Files.copy(launcher, project.resolve("spectrace"));
    Files.writeString(project.resolve("pom.xml"), "<project/>\n");
    Files.createDirectories(project.resolve("cli/src/main/java"));
    Files.writeString(project.resolve("cli/pom.xml"), "<project/>\n");
    Files.writeString(project.resolve("cli/src/main/java/A.java"), "class A {}\n");
    bin = Files.createDirectories(tmp.resolve("bin"));
    script(bin.resolve("mvn"), """
        #!/bin/sh
        mkdir .building 2>/dev/null || { echo "another build of this tree is running" >&2; exit 1; }
        echo build >> builds.log
        rm -rf cli/target/lib cli/target/spectrace.jar
        mkdir -p cli/target/lib
        sleep 0.5
        echo "dependency" > cli/target/lib/dep.jar
        echo "build $(wc -l < builds.log | tr -d ' ')" > cli/target/spectrace.jar
        rmdir .building
        """);
    script(bin.resolve("java"), """
        #!/bin/sh
        for a; do [ "$prev" = -jar ] && jar="$a"; prev="$a"; done
        echo "$(cat "$jar") $(cat "$(dirname "$jar")/lib/dep.jar")"
        if [ "$prev" = hold ]; then sleep 2; echo "$(cat "$jar") $(cat "$(dirname "$jar")/lib/dep.jar")"; fi
        """);
  }

  private static void script(Path p, String text) throws IOException {
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Process start(String... args) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", project.resolve("spectrace").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    return pb.start();
  }

  /** Waits for a launcher; returns its output, asserting it succeeded. */
  private static String finish(Process p) throws Exception {
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private int builds() throws IOException {
    return Files.readAllLines(project.resolve("builds.log")).size();
  }

  @Test
  void twoLaunchersStartedTogetherShareOneBuildAndBothRun() throws Exception {
    Process a = start("--version");
    Process b = start("--version");
    String outA = finish(a);
    String outB = finish(b);
    assertEquals(1, builds(), outA + outB);
    assertTrue(outA.endsWith("build 1 dependency\n"), outA);
    assertTrue(outB.endsWith("build 1 dependency\n"), outB);

    // After a source change, again one build for two launchers.
    Files.writeString(project.resolve("cli/src/main/java/A.java"), "class A { int x; }\n");
    a = start("--version");
    b = start("--version");
    outA = finish(a);
    outB = finish(b);
    assertEquals(2, builds(), outA + outB);
    assertTrue(outA.endsWith("build 2 dependency\n") && outB.endsWith("build 2 dependency\n"), outA + outB);

    // Nothing changed: no build.
    assertEquals("build 2 dependency\n", finish(start("--version")));
    assertEquals(2, builds());
  }

  @Test
  void aRunningCliKeepsItsJarsWhileALaterBuildReplacesThem() throws Exception {
    assertTrue(finish(start("--version")).endsWith("build 1 dependency\n"));
    Process running = start("hold");
    Thread.sleep(500);
    Files.writeString(project.resolve("cli/src/main/java/A.java"), "class A { int y; }\n");
    assertTrue(finish(start("--version")).endsWith("build 2 dependency\n"));
    String held = finish(running);
    assertEquals("build 1 dependency\nbuild 1 dependency\n", held, "the running CLI's jars changed under it");

    // Once no CLI holds it, the next build removes the old folder.
    Files.writeString(project.resolve("cli/src/main/java/A.java"), "class A { int z; }\n");
    finish(start("--version"));
    try (var dirs = Files.list(project.resolve("cli/target/launcher"))) {
      assertEquals(1, dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).count());
    }
  }
}
