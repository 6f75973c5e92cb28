package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 4: no TLC temporary folder or spec-model folder stays in the temporary folder
 * after a run, even one killed or failing to load. Each command runs as a JVM of its own with a
 * private {@code java.io.tmpdir}, which must be empty when it has ended: after a validation, a
 * validation whose spec does not parse (its model folder was left behind), a {@code check} whose
 * spec does not parse, a {@code check} stopped by SIGTERM; after a SIGKILL, which no JVM can
 * clean up after, the TLC child must still end, and the next run sweeps the folder away.
 */
class NoTempFolderLeftIT {

  private static final Path SPECS = Path.of(System.getProperty("spectrace.specs", "specs")).toAbsolutePath();
  private static final Path TRACE = SPECS.resolveSibling("traces").resolve("twophase").resolve("conforming-seed7.ndjson");

  @TempDir Path tmp;
  private Path tmpdir;
  private Path broken;

  @BeforeEach
  void setUp() throws IOException {
    tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
    // A copy of the specs in which TwoPhase.tla does not parse.
    broken = tmp.resolve("broken-specs");
    try (Stream<Path> walk = Files.walk(SPECS)) {
      for (Path p : walk.toList()) {
        Path to = broken.resolve(SPECS.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Path tla = broken.resolve("twophase").resolve("TwoPhase.tla");
    Files.writeString(tla, Files.readString(tla).replace("Init ==", "Init == ((("));
  }

  @Test
  void aValidationAndRunsThatFailToLoadLeaveNoFolder() throws Exception {
    assertEquals(0, run(SPECS, "validate", TRACE.toString()).exitValue(), this::output);
    assertEquals(List.of(), left(), "after a validation");
    assertEquals(0, run(SPECS, "validate", "--tlc", TRACE.toString()).exitValue(), this::output);
    assertEquals(List.of(), left(), "after a validation with TLC's second verdict");
    Process p = run(broken, "validate", TRACE.toString());
    assertEquals(2, p.exitValue(), this::output);
    assertTrue(output().contains("TwoPhase"), "the load error names the module: " + output());
    assertEquals(List.of(), left(), "after a validation whose spec does not parse");
    Path mc = broken.resolve("twophase").resolve("MCTwoPhase.tla");
    assertEquals(2, run(broken, "check", mc.toString()).exitValue(), this::output);
    assertEquals(List.of(), left(), "after a check whose spec does not parse");
  }

  @Test
  void aCheckStoppedBySigtermLeavesNoFolderAndNoTlcProcess() throws Exception {
    Process check = startSlowCheck();
    List<ProcessHandle> tlc = awaitTlc(check);
    signal(check, "TERM");
    assertTrue(check.waitFor(20, TimeUnit.SECONDS), "check ends on SIGTERM");
    assertGone(tlc, "TERM");
    assertEquals(List.of(), left(), "after a check stopped by SIGTERM");
  }

  @Test
  void aCheckKilledBySigkillLeavesNoTlcProcessAndTheNextRunSweepsItsFolder() throws Exception {
    Process check = startSlowCheck();
    List<ProcessHandle> tlc = awaitTlc(check);
    signal(check, "KILL");
    assertTrue(check.waitFor(20, TimeUnit.SECONDS), "check ends on SIGKILL");
    assertGone(tlc, "KILL");
    assertEquals(1, left().size(), "a SIGKILL leaves its TLC folder: " + left());
    assertEquals(0, run(SPECS, "validate", TRACE.toString()).exitValue(), this::output);
    assertEquals(List.of(), left(), "the next run swept the folder of the killed one");
  }

  /** A model TLC takes minutes over: a counter to a billion. */
  private Process startSlowCheck() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("slow"));
    Files.writeString(dir.resolve("Slow.tla"), "---- MODULE Slow ----\nEXTENDS Naturals\nVARIABLE x\n"
        + "Init == x = 0\nNext == x < 1000000000 /\\ x' = x + 1\n====\n");
    Files.writeString(dir.resolve("Slow.cfg"), "INIT Init\nNEXT Next\n");
    return start(SPECS, "check", "--workers", "1", dir.resolve("Slow.tla").toString());
  }

  /** The TLC child of {@code check}, once its folder exists. */
  private List<ProcessHandle> awaitTlc(Process check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      List<ProcessHandle> tlc = check.descendants()
          .filter(h -> h.info().arguments().map(a -> List.of(a).contains("spectrace.tlc.TlcMain")).orElse(false))
          .toList();
      if (!tlc.isEmpty() && !left().isEmpty()) {
        Thread.sleep(500); // let TLC get going: its states folder, its workers
        return tlc;
      }
      assertTrue(check.isAlive(), this::output);
      Thread.sleep(50);
    }
    throw new AssertionError("no TLC child of check: " + output());
  }

  private static void assertGone(List<ProcessHandle> processes, String signal) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline && processes.stream().anyMatch(ProcessHandle::isAlive)) {
      Thread.sleep(50);
    }
    List<Long> left = processes.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    processes.forEach(ProcessHandle::destroyForcibly);
    assertEquals(List.of(), left, "TLC processes left 10 s after SIG" + signal + " of check");
  }

  private static void signal(Process p, String signal) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor());
  }

  private List<String> left() throws IOException {
    try (Stream<Path> s = Files.list(tmpdir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Process run(Path specs, String... args) throws Exception {
    Process p = start(specs, args);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", args));
    }
    return p;
  }

  private Process start(Path specs, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmpdir, "-Dspectrace.specs=" + specs, "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile()).start();
  }

  private String output() {
    try {
      return Files.readAllLines(tmp.resolve("out.txt")).stream().collect(Collectors.joining(" | "));
    } catch (IOException e) {
      return "(no output)";
    }
  }
}
