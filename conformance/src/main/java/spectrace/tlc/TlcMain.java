package spectrace.tlc;

import tlc2.TLCGlobals;
import tlc2.tool.ModelChecker;

/**
 * Entry point of the child JVM that runs TLC for {@link TlcRunner}.
 *
 * <p>TLC prints progress once a minute, a compile-time constant of this build. This wrapper
 * starts TLC's own {@code main} and, once a second, writes the model checker's counters (or, in
 * simulation mode, the simulator's: -1, the states generated, the behaviours) to
 * standard error as {@code @@progress <distinct> <generated> <queue>}, which the parent turns
 * into live progress. TLC keeps its model checker in a static field; it is only read here.
 */
public final class TlcMain {

  /** The prefix of a progress line on standard error. */
  public static final String PROGRESS = "@@progress ";

  private TlcMain() {}

  public static void main(String[] args) throws Exception {
    Thread reporter = new Thread(TlcMain::report, "spectrace-progress");
    reporter.setDaemon(true);
    reporter.start();
    Thread parent = new Thread(TlcMain::exitWithParent, "spectrace-parent");
    parent.setDaemon(true);
    parent.start();
    tlc2.TLC.main(args);
  }

  /**
   * Halts when standard input, a pipe the parent holds open, ends: the parent is gone (even by
   * SIGKILL), and nobody reads the verdict; its temporary folder is swept by the next run.
   */
  private static void exitWithParent() {
    try {
      while (System.in.read() >= 0) {
        // the parent writes nothing
      }
    } catch (java.io.IOException e) {
      // an input that breaks has ended
    }
    Runtime.getRuntime().halt(2);
  }

  /** A LongAdder field of TLC's simulator, read by reflection (it has no getter in this build). */
  private static long counter(Object simulator, String field) {
    try {
      java.lang.reflect.Field f = simulator.getClass().getDeclaredField(field);
      f.setAccessible(true);
      return ((java.util.concurrent.atomic.LongAdder) f.get(simulator)).sum();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("no counter " + field + " in TLC's simulator", e);
    }
  }

  private static void report() {
    try {
      while (true) {
        Thread.sleep(1000);
        if (TLCGlobals.mainChecker instanceof ModelChecker mc) {
          System.err.println(PROGRESS + mc.getDistinctStatesGenerated() + " "
              + mc.getStatesGenerated() + " " + mc.getStateQueueSize());
        } else if (TLCGlobals.simulator != null) {
          // Simulation mode: states and behaviours so far, which this build keeps private.
          System.err.println(PROGRESS + "-1 " + counter(TLCGlobals.simulator, "numOfGenStates") + " "
              + counter(TLCGlobals.simulator, "numOfGenTraces"));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The checker is not yet (or no longer) in a state to be read: no progress to report.
    }
  }
}
