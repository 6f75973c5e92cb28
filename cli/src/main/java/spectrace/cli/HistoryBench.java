package spectrace.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import spectrace.history.History;
import spectrace.history.HistoryGenerator;
import spectrace.history.LinearizabilityChecker;

/**
 * {@code spectrace bench history}: the linearizability checker's throughput on generated
 * linearizable histories of the key-value store (5 clients, 10 keys).
 */
final class HistoryBench {

  private HistoryBench() {}

  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

  private static final String ROW = "%10s  %6s  %-14s  %10s  %9s  %9s  %12s%n";

  /** Prints one row per size and kind of values; median of {@code rounds} checks after warm-ups. */
  static int run(PrintWriter out, java.util.List<Long> sizes, int rounds) {
    out.printf("client histories: 5 clients, 10 keys, invokes and returns up to 20 ticks from each point, 1%% info,"
        + " 1%% fail, seed 1; median of %d check%s after a warm-up (CPU time: this thread's)%n", rounds, rounds == 1 ? "" : "s");
    out.printf(ROW, "ops", "keys", "values", "states", "wall ms", "CPU ms", "ops/CPU s");
    out.flush();
    for (int values : new int[] {0, 5}) {
      for (long size : sizes) {
        History h = HistoryGenerator.linearizable(1, new HistoryGenerator.Params((int) size, 5, 10, values, 20, 0.01,
            0.01));
        LinearizabilityChecker<?> checker = LinearizabilityChecker.kv();
        long deadline = System.nanoTime() + 2_000_000_000L;
        do {
          check(checker, h);
        } while (System.nanoTime() < deadline && size <= 100_000);
        long[] nanos = new long[rounds];
        long[] cpu = new long[rounds];
        LinearizabilityChecker.Result r = null;
        for (int i = 0; i < rounds; i++) {
          long c0 = THREADS.getCurrentThreadCpuTime();
          r = check(checker, h);
          cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
          nanos[i] = r.nanos();
        }
        Arrays.sort(nanos);
        Arrays.sort(cpu);
        double wall = nanos[rounds / 2] / 1e9;
        double cpuSeconds = cpu[rounds / 2] / 1e9;
        out.printf(ROW, String.format("%,d", r.operations()), r.keys(), values == 0 ? "each write new" : "0 to " + (values - 1),
            String.format("%,d", r.states()), String.format("%.1f", wall * 1e3), String.format("%.1f", cpuSeconds * 1e3),
            String.format("%,.0f", size / cpuSeconds));
        out.flush();
      }
    }
    return Main.OK;
  }

  private static LinearizabilityChecker.Result check(LinearizabilityChecker<?> checker, History h) {
    LinearizabilityChecker.Result r = checker.check(h);
    if (!(r instanceof LinearizabilityChecker.Linearizable)) {
      throw new IllegalStateException("the generated history of " + h.operations().size() + " operations is not found"
          + " linearizable: " + r);
    }
    return r;
  }
}
