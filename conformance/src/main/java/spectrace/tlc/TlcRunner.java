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
  /** TLC's {@code -fpmem}, the share of its heap for the fingerprint set, or null for TLC's default. */
  private final String fpmem;
  /** Whether the child JVM compiles with C1 only: for runs of a second or two, which C2 never pays back. */
  private final boolean quick;

  /** A runner whose TLC uses {@code workers} threads: a number, or {@code auto}. */
  public TlcRunner(String workers) {
    this(workers, null, false);
  }

  private TlcRunner(String workers, String fpmem, boolean quick) {
    this.workers = workers;
    this.fpmem = fpmem;
    this.quick = quick;
  }

  /**
   * A one-worker runner for a model of few states, such as a trace specification: its
   * fingerprint set is given 2% of the heap, not TLC's quarter, whose allocation (1.5 GB on a
   * 24 GB machine) cost half a second of every run, longer than the search of most traces.
   *
   * @param quick true for a run expected to last a second or two (a short trace): the child
   *     JVM then compiles with C1 only, which took a third off such runs; a long run keeps C2
   */
  public static TlcRunner fewStates(boolean quick) {
    return new TlcRunner("1", "0.02", quick);
  }

  /**
   * TLC's simulation mode: {@code traces} random behaviours of at most {@code depth} states,
   * drawn from {@code seed}, which replays them.
   */
  public record Simulation(long traces, int depth, long seed) {
    public Simulation {
      if (traces < 1 || depth < 1) {
        throw new IllegalArgumentException("a simulation needs at least one behaviour of at least one state");
      }
    }
  }

  /**
   * Checks {@code module} with configuration {@code config}, both in {@code specDir}.
   *
   * @throws IOException when the child JVM cannot be started or read
   */
  public Verdict check(Path specDir, String module, String config, Progress.Listener listener)
      throws IOException, InterruptedException {
    return run(specDir, module, config, listener, null);
  }

  /**
   * Checks {@code module} with {@code config} by TLC's simulation mode: the invariants on
   * random behaviours, not on every state. Its verdict has no distinct-state count or depth.
   */
  public Verdict simulate(Path specDir, String module, String config, Simulation sim, Progress.Listener listener)
      throws IOException, InterruptedException {
    return run(specDir, module, config, listener, sim);
  }

  /**
   * Checks a manifest's {@code model} of the spec in {@code specDir} as the manifest says: by
   * simulation when it names one (with one worker, so that its seed replays it), else in full.
   */
  public static Verdict check(Path specDir, Manifest.Model model, String workers, Progress.Listener listener)
      throws IOException, InterruptedException {
    return model.simulate() != null
        ? new TlcRunner("1").simulate(specDir, model.module(), model.config(), model.simulate(), listener)
        : new TlcRunner(workers).check(specDir, model.module(), model.config(), listener);
  }

  private Verdict run(Path specDir, String module, String config, Progress.Listener listener, Simulation sim)
      throws IOException, InterruptedException {
    Path run = TempFolders.create("tlc");
    try {
      return check(specDir, module, config, listener, run, sim);
    } finally {
      TempFolders.delete(run);
    }
  }

  private Verdict check(Path specDir, String module, String config, Progress.Listener listener, Path run,
                        Simulation sim) throws IOException, InterruptedException {
    Path tmp = Files.createDirectories(run.resolve("tmp"));
    List<String> cmd = java(tmp, quick, List.of());
    cmd.addAll(List.of("-tool", "-workers", workers, "-metadir", run.resolve("meta").toString()));
    if (fpmem != null) {
      cmd.addAll(List.of("-fpmem", fpmem));
    }
    if (sim != null) {
      cmd.addAll(List.of("-simulate", "num=" + sim.traces(), "-depth", Integer.toString(sim.depth()),
          "-seed", Long.toString(sim.seed())));
    }
    cmd.addAll(List.of("-config", config, module));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(specDir.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    // The child's standard input stays open: it ends the child when this JVM is gone (TlcMain).
    TempFolders.attach(run, p);
    TlcOutput output = new TlcOutput(specDir, config);
    if (sim != null) {
      output.simulation();
    }
    try {
      int exit = follow(p, output, start, listener, line -> false);
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

  /**
   * Reads a TlcMain child's output until it ends: its progress lines on standard error go to
   * {@code listener}, any other line that {@code otherErr} does not take, and every line of
   * standard output, to {@code output}. Returns the child's exit code.
   */
  static int follow(Process p, TlcOutput output, long start, Progress.Listener listener,
                    java.util.function.Predicate<String> otherErr) throws IOException, InterruptedException {
    Thread err = readLines(p.getErrorStream(), line -> {
      if (line.startsWith(TlcMain.PROGRESS)) {
        String[] f = line.substring(TlcMain.PROGRESS.length()).split(" ");
        listener.onProgress(new Progress(Long.parseLong(f[0]), Long.parseLong(f[1]),
            Long.parseLong(f[2]), (System.nanoTime() - start) / 1e9));
      } else if (!otherErr.test(line)) {
        synchronized (output) {
          output.accept(line);
        }
      }
    });
    try (BufferedReader out = reader(p.getInputStream())) {
      for (String line; (line = out.readLine()) != null; ) {
        synchronized (output) {
          output.accept(line);
        }
      }
    }
    int exit = p.waitFor();
    err.join();
    return exit;
  }

  /**
   * The command line of a child JVM that runs {@link TlcMain} with {@code properties} (each
   * {@code -Dname=value}), up to TlcMain's arguments: its temporary folder is {@code tmp}, and
   * TLC's classes come from the class archive when there is one.
   */
  static List<String> java(Path tmp, boolean quick, List<String> properties) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+UseParallelGC");
    if (quick) {
      cmd.add("-XX:TieredStopAtLevel=1");
    }
    cmd.add("-Dfile.encoding=UTF-8");
    cmd.add("-Djava.io.tmpdir=" + tmp);
    cmd.addAll(properties);
    Path archive = TlcClassArchive.get();
    if (archive != null) {
      // Made with TLC's jar alone on the class path, which must begin this one's.
      cmd.add("-XX:SharedArchiveFile=" + archive);
      cmd.add("-Xlog:cds=off");
      cmd.add("-Xlog:cds+dynamic=off");
    }
    cmd.add("-cp");
    cmd.add(codeSource(tlc2.TLC.class) + java.io.File.pathSeparator + codeSource(TlcMain.class));
    cmd.add(TlcMain.class.getName());
    return cmd;
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

  static BufferedReader reader(InputStream in) {
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
