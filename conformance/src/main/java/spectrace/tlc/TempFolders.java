package spectrace.tlc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The temporary folders of TLC runs, spec models and TLC's standard modules, so that none stays
 * in {@code java.io.tmpdir} after a run, however the run ends.
 *
 * <p>A folder is named {@code spectrace-<kind>-<pid>-<random>}, with the pid of the JVM that
 * made it. It is deleted
 * <ul>
 *   <li>by its owner when the work ends, normally or by an exception ({@link #delete}, from a
 *       {@code finally});
 *   <li>at the JVM's shutdown (SIGINT, SIGTERM, {@code System.exit} in the middle of a run), by
 *       one hook that first ends the child process working in the folder, if one is
 *       {@linkplain #attach attached}, then deletes the folder;
 *   <li>after a SIGKILL, which no hook sees, by the next JVM that makes one of these folders:
 *       it deletes every such folder whose pid names no live process (a pid that a live process
 *       has taken since keeps its folder, until that process is gone too).
 * </ul>
 */
public final class TempFolders {

  private static final Pattern NAME = Pattern.compile("spectrace-(stdlib|model|tlc|tracespec|bench)-(\\d+)-.+");
  /** Live folders of this JVM, each with the child process working in it, or none. */
  private static final Map<Path, Optional<Process>> LIVE = new ConcurrentHashMap<>();
  private static boolean started;

  private TempFolders() {}

  /**
   * A new folder {@code spectrace-<kind>-<pid>-...} in {@code java.io.tmpdir}, deleted at this
   * JVM's shutdown unless {@link #delete}d before.
   *
   * @param kind stdlib, model, tlc, tracespec or bench
   */
  public static Path create(String kind) throws IOException {
    if (!NAME.matcher("spectrace-" + kind + "-1-x").matches()) {
      throw new IllegalArgumentException("no temporary folder kind " + kind);
    }
    start();
    Path dir = Files.createTempDirectory("spectrace-" + kind + "-" + ProcessHandle.current().pid() + "-");
    LIVE.put(dir, Optional.empty());
    return dir;
  }

  /** At shutdown, {@code child} (which works in {@code dir}) is ended before {@code dir} is deleted. */
  public static void attach(Path dir, Process child) {
    LIVE.replace(dir, Optional.of(child));
  }

  /** Deletes {@code dir} and everything in it, quietly: a folder that cannot be removed is left to the system. */
  public static void delete(Path dir) {
    // Forgotten only once deleted: a shutdown hook that runs meanwhile still sees the folder, and
    // waits for this deletion (deleteQuietly is one at a time) before the JVM halts.
    deleteQuietly(dir);
    LIVE.remove(dir);
  }

  private static synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    Runtime.getRuntime().addShutdownHook(new Thread(TempFolders::shutdown, "spectrace-temp-folders"));
    sweep(Path.of(System.getProperty("java.io.tmpdir")));
  }

  private static void shutdown() {
    LIVE.values().forEach(p -> p.ifPresent(Process::destroyForcibly));
    for (Optional<Process> p : LIVE.values()) {
      if (p.isPresent()) {
        try {
          p.get().waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          break;
        }
      }
    }
    LIVE.keySet().forEach(TempFolders::deleteQuietly);
  }

  /** Deletes the folders in {@code tmp} that a JVM which is gone left behind; returns how many. */
  static int sweep(Path tmp) {
    int swept = 0;
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, "spectrace-*")) {
      for (Path p : entries) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches() || !Files.isDirectory(p)) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
          continue;
        }
        if (pid != self && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          deleteQuietly(p);
          swept++;
        }
      }
    } catch (IOException | SecurityException e) {
      // An unreadable temporary folder: nothing to sweep.
    }
    return swept;
  }

  /**
   * Deletes {@code root} and everything in it, one deletion at a time: at a SIGTERM the owner's
   * {@code finally} and the shutdown hook may both delete the same folder. The owner used to
   * forget the folder first and delete it after, so that a hook running in between skipped it
   * and the JVM halted with the folder half deleted (NoTempFolderLeftIT, once in CI).
   */
  private static synchronized void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // Left to the system.
    }
  }
}
