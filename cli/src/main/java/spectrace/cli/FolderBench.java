package spectrace.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import spectrace.conformance.TraceFolder;
import spectrace.core.Fault;
import spectrace.protocols.Protocols;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;
import spectrace.tlc.TempFolders;
import spectrace.trace.TraceWriter;

/**
 * {@code spectrace bench folder}: a folder of simulated traces validated as CI would, by
 * {@code validate DIR --jobs N} in one JVM, against one {@code validate} JVM per trace, N at a
 * time.
 */
final class FolderBench {

  private FolderBench() {}

  private static final String ROW = "%-34s  %9s  %9s  %10s  %12s  %7s%n";

  /**
   * Writes {@code traces} runs of {@code protocol} (seeds 1 to {@code traces}, {@code steps}
   * steps, every fault of its model) into {@code dir} (a temporary folder when null), then times
   * their validation: in this JVM with one thread and with {@code jobs}, and with one JVM per
   * trace, {@code jobs} at a time, on the first {@code jvmTraces}.
   */
  static int run(PrintWriter out, PrintWriter err, String protocol, int nodes, int traces, long steps, int jobs,
                 int jvmTraces, Path dir)
      throws IOException, InterruptedException {
    Path folder = dir != null ? Main.createFolder("--dir", dir) : TempFolders.create("bench");
    try {
      Set<Fault> faults = Protocols.get(protocol).model().faults();
      out.printf("%s, %d nodes, %,d steps, faults %s; %,d traces, seeds 1 to %,d, in %s%n", protocol, nodes, steps,
          faults.stream().sorted().map(Fault::word).collect(java.util.stream.Collectors.joining(",")), traces, traces,
          folder);
      out.flush();
      long bytes = 0;
      long t0 = System.nanoTime();
      for (int seed = 1; seed <= traces; seed++) {
        Path file = folder.resolve(String.format("seed-%05d.ndjson", seed));
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             TraceWriter w = new TraceWriter(o)) {
          new Simulator(Protocols.get(protocol), new SimConfig(seed, nodes, steps, faults, false, false,
              SimConfig.Rates.DEFAULT), w).operations(steps / BenchCommand.STEPS_PER_OPERATION).run();
        }
        bytes += Files.size(file);
      }
      out.printf("written in %.1f s: %,.1f MB%n", (System.nanoTime() - t0) / 1e9, bytes / 1048576.0);
      out.printf(ROW, "", "traces", "wall s", "traces/s", "events/s", "ratio");
      out.flush();

      List<TraceFolder.Item> items = TraceFolder.find(folder);
      Path specs = Specs.locate().root();
      double[] baseline = {0};
      long events = 0;
      for (int j : jobs == 1 ? new int[] {1} : new int[] {1, jobs}) {
        long start = System.nanoTime();
        List<TraceFolder.Outcome> outcomes = TraceFolder.check(items, specs, j, (d, t, n, s) -> {});
        double wall = (System.nanoTime() - start) / 1e9;
        for (TraceFolder.Outcome o : outcomes) {
          if (!o.ok()) {
            throw new IllegalStateException("a benchmark trace is not fine: " + o.item().name() + ": "
                + (o.error() != null ? o.error() : o.trace().divergence().where()));
          }
        }
        events = outcomes.stream().mapToLong(o -> o.trace().events()).sum();
        if (j == 1) {
          baseline[0] = wall / traces;
        }
        row(out, "validate DIR --jobs " + j + " (one JVM)", traces, wall, events, baseline[0] * traces / wall);
      }
      int k = Math.min(jvmTraces, traces);
      long jvmEvents = events * k / traces; // the first k traces are about as long as the rest
      double jvmWall = perJvm(items.subList(0, k), jobs, err);
      row(out, "validate FILE, a JVM each, " + jobs + " at once", k, jvmWall, jvmEvents, baseline[0] * k / jvmWall);
      out.printf("ratio: one thread in one JVM's time per trace over the row's; %,d events in all, %,.0f per trace%n",
          events, (double) events / traces);
      return Main.OK;
    } finally {
      if (dir == null) {
        TempFolders.delete(folder);
      }
    }
  }

  private static void row(PrintWriter out, String what, int traces, double wall, long events, double ratio) {
    out.printf(ROW, what, String.format("%,d", traces), String.format("%.1f", wall),
        String.format("%,.1f", traces / wall), String.format("%,.0f", events / wall), String.format("%.2fx", ratio));
    out.flush();
  }

  /**
   * Wall seconds to validate each item in a {@code validate} JVM of its own, {@code jobs} at
   * once; how many are done goes to {@code err} every ten seconds.
   */
  private static double perJvm(List<TraceFolder.Item> items, int jobs, PrintWriter err) throws InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String specs = Specs.locate().root().toString();
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    long start = System.nanoTime();
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (TraceFolder.Item item : items) {
        runs.add(pool.submit(() -> {
          Process p = new ProcessBuilder(java, "-Dspectrace.specs=" + specs, "-cp", System.getProperty("java.class.path"),
              Main.class.getName(), "validate", item.files().get(0).toString())
              .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
          return p.waitFor();
        }));
      }
      long nextReport = System.nanoTime() + 10_000_000_000L;
      for (int i = 0; i < runs.size(); i++) {
        int exit;
        try {
          exit = runs.get(i).get();
          if (System.nanoTime() > nextReport) {
            err.printf("  %,d of %,d validate JVMs done, %.0f s%n", i + 1, runs.size(), (System.nanoTime() - start) / 1e9);
            err.flush();
            nextReport = System.nanoTime() + 10_000_000_000L;
          }
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("cannot start a validate JVM: " + e.getCause().getMessage(), e.getCause());
        }
        if (exit != Main.OK) {
          throw new IllegalStateException("validate " + items.get(i).name() + " in a JVM of its own exited " + exit);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
