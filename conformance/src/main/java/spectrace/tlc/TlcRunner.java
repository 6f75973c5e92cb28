package spectrace.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs TLC on one model in a child JVM and returns its {@link Verdict}.
 *
 * <p>Each run gets its own temporary folder, used as TLC's {@code -metadir} and as the child's
 * {@code java.io.tmpdir}: TLC names its states folder by the second and copies the standard
 * modules flat into the temporary folder, so runs that shared either would race
 * (TLC-NOTES.md). The folder is deleted when the run ends, however it ends ({@link TempFolders}),
 * and the child ends with this JVM: its standard input, a pipe from here, reaches its end.
 */
public final class TlcRunner {

  private final String workers;

  /** A runner whose TLC uses {@code workers} threads: a number, or {@code auto}. */
  public TlcRunner(String workers) {
    this.workers = workers;
  }

  /**
   * Checks {@code module} with configuration {@code config}, both in {@code specDir}.
   *
   * @throws IOException when the child JVM cannot be started or read
   */
  public Verdict check(Path specDir, String module, String config, Progress.Listener listener)
      throws IOException, InterruptedException {
    Path run = TempFolders.create("tlc");
    try {
      return check(specDir, module, config, listener, run);
    } finally {
      TempFolders.delete(run);
    }
  }

  private Verdict check(Path specDir, String module, String config, Progress.Listener listener, Path run)
      throws IOException, InterruptedException {
    Path tmp = Files.createDirectories(run.resolve("tmp"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+UseParallelGC");
    cmd.add("-Dfile.encoding=UTF-8");
    cmd.add("-Djava.io.tmpdir=" + tmp);
    cmd.add("-cp");
    cmd.add(codeSource(TlcMain.class) + java.io.File.pathSeparator + codeSource(tlc2.TLC.class));
    cmd.add(TlcMain.class.getName());
    cmd.addAll(List.of("-tool", "-workers", workers, "-metadir", run.resolve("meta").toString(),
        "-config", config, module));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(specDir.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    // The child's standard input stays open: it ends the child when this JVM is gone (TlcMain).
    TempFolders.attach(run, p);
    TlcOutput output = new TlcOutput(specDir, config);
    Thread err = readLines(p.getErrorStream(), line -> {
      if (line.startsWith(TlcMain.PROGRESS)) {
        String[] f = line.substring(TlcMain.PROGRESS.length()).split(" ");
        listener.onProgress(new Progress(Long.parseLong(f[0]), Long.parseLong(f[1]),
            Long.parseLong(f[2]), (System.nanoTime() - start) / 1e9));
      } else {
        synchronized (output) {
          output.accept(line);
        }
      }
    });
    try {
      try (BufferedReader out = reader(p.getInputStream())) {
        for (String line; (line = out.readLine()) != null; ) {
          synchronized (output) {
            output.accept(line);
          }
        }
      }
      int exit = p.waitFor();
      err.join();
      synchronized (output) {
        return output.verdict((System.nanoTime() - start) / 1e9, exit);
      }
    } finally {
      p.destroyForcibly();
      try {
        p.getOutputStream().close();
      } catch (IOException ignored) {
        // the child is gone either way
      }
    }
  }

  private static Thread readLines(InputStream in, Consumer<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = reader(in)) {
        for (String line; (line = r.readLine()) != null; ) {
          sink.accept(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "tlc-stderr");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  private static String codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
    }
  }
}
