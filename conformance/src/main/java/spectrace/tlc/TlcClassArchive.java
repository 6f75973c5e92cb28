package spectrace.tlc;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLC's classes as a class-data-sharing archive of the JDK ({@code -XX:SharedArchiveFile}), so
 * that each TLC child JVM maps them instead of loading and verifying them again: a quarter off
 * a run of a small model or a short trace, where start-up is most of the run.
 *
 * <p>The archive is made once per TLC jar and JDK, by a TLC run on a small module of its own
 * ({@code -XX:ArchiveClassesAtExit}, about two seconds), and kept in the user's cache folder
 * ({@code $XDG_CACHE_HOME/spectrace}, else {@code ~/.cache/spectrace}), named by a digest of the
 * jar (path, size, time) and the JDK, so that another jar or JDK gets another archive; a JDK
 * that cannot map an archive ignores it. Where TLC is not in a jar, where the folder cannot be
 * written, or with {@code SPECTRACE_CDS=off}, runs go without one; an archive that a JVM cannot
 * start with (damaged) is made again.
 */
final class TlcClassArchive {

  private TlcClassArchive() {}

  private static Path archive;
  private static boolean tried;

  /** The archive's file, made on first use; null when there is none to give. */
  static synchronized Path get() {
    if (!tried) {
      tried = true;
      try {
        archive = make();
      } catch (IOException | RuntimeException e) {
        archive = null; // runs go without it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        archive = null;
      }
    }
    return archive;
  }

  private static Path make() throws IOException, InterruptedException {
    if ("off".equalsIgnoreCase(System.getenv("SPECTRACE_CDS"))) {
      return null;
    }
    Path jar;
    try {
      jar = Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      return null;
    }
    if (!Files.isRegularFile(jar)) {
      return null; // classes in a folder: the JDK archives classes from jars only
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    return make(jar, (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
        .resolve("spectrace"));
  }

  /** The archive of {@code jar}'s TLC in folder {@code cache}, made if it is missing or damaged; null if it cannot be. */
  static Path make(Path jar, Path cache) throws IOException, InterruptedException {
    Path file = cache.resolve("tlc-" + digest(jar) + ".jsa");
    if (Files.isRegularFile(file)) {
      if (maps(file, jar)) {
        return file;
      }
      Files.deleteIfExists(file); // damaged: made again below
    }
    Files.createDirectories(cache);
    Path work = Files.createTempDirectory(cache, "cds-");
    try {
      Files.writeString(work.resolve("SpectraceWarmup.tla"), WARMUP, StandardCharsets.UTF_8);
      Files.writeString(work.resolve("SpectraceWarmup.cfg"), "INIT Init\nNEXT Next\nINVARIANT Inv\n",
          StandardCharsets.UTF_8);
      Path made = work.resolve("tlc.jsa");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:ArchiveClassesAtExit=" + made, "-Xlog:disable", "-Djava.io.tmpdir=" + work, "-cp", jar.toString(),
          "tlc2.TLC", "-workers", "1", "-metadir", work.resolve("meta").toString(), "-config",
          "SpectraceWarmup.cfg", "SpectraceWarmup")
          .directory(work.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      if (!Files.isRegularFile(made) || Files.size(made) == 0) {
        return null;
      }
      if (!maps(made, jar)) {
        return null;
      }
      try {
        Files.move(made, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        return null;
      }
      return file;
    } finally {
      TempFolders.delete(work);
    }
  }

  /**
   * Whether a JVM starts with {@code archive} (a damaged archive aborts it, where one of another
   * JDK or class path is only ignored): checked once a process, before any TLC run relies on it.
   */
  private static boolean maps(Path archive, Path jar) throws IOException, InterruptedException {
    // An aborted JVM writes its crash report where it is told, not in the working folder.
    Path report = archive.resolveSibling(archive.getFileName() + ".hs_err");
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:SharedArchiveFile=" + archive, "-XX:ErrorFile=" + report,
          "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-cp", jar.toString(), "-version")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } finally {
      Files.deleteIfExists(report);
    }
  }

  /** What names the archive: the jar (path, size, time) and the JDK. */
  private static String digest(Path jar) throws IOException {
    String key = String.join("\n", List.of(jar.toAbsolutePath().toString(), Long.toString(Files.size(jar)),
        Long.toString(Files.getLastModifiedTime(jar).toMillis()), System.getProperty("java.home"),
        System.getProperty("java.vm.version")));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A small module that takes TLC through parsing, the standard modules, and checking records, functions, sets and sequences. */
  private static final String WARMUP = String.join("\n",
      "---- MODULE SpectraceWarmup ----",
      "EXTENDS Naturals, Integers, Sequences, FiniteSets, TLC",
      "VARIABLES x, f, s, m",
      "Init == x = 0 /\\ f = [i \\in 1..2 |-> [a |-> 0, b |-> \"p\"]] /\\ s = <<>> /\\ m = {}",
      "Next == /\\ x < 4",
      "        /\\ \\E k \\in DOMAIN f : f' = [f EXCEPT ![k].a = @ + 1]",
      "        /\\ x' = x + 1",
      "        /\\ s' = Append(s, [t |-> x, u |-> {x}])",
      "        /\\ m' = m \\cup {CHOOSE y \\in 0..x : y = x}",
      "Inv == /\\ Len(s) <= 4 /\\ Cardinality(m) <= 4",
      "       /\\ \\A i \\in DOMAIN f : f[i].a \\in Nat /\\ f[i].b = \"p\"",
      "       /\\ (s = <<>> \\/ SelectSeq(s, LAMBDA e : e.t > 0) = Tail(s))",
      "====", "");
}
