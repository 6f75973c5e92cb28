package spectrace.tlc;

import tlc2.TLCGlobals;
import tlc2.tool.ModelChecker;

/**
 * Entry point of the child JVM that runs TLC for {@link TlcRunner}.
 *
 * <p>TLC prints progress once a minute, a compile-time constant of this build. This wrapper
 * starts TLC's own {@code main} and, once a second, writes the model checker's counters to
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
    tlc2.TLC.main(args);
  }

  private static void report() {
    try {
      while (true) {
        Thread.sleep(1000);
        if (TLCGlobals.mainChecker instanceof ModelChecker mc) {
          System.err.println(PROGRESS + mc.getDistinctStatesGenerated() + " "
              + mc.getStatesGenerated() + " " + mc.getStateQueueSize());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The checker is not yet (or no longer) in a state to be read: no progress to report.
    }
  }
}
