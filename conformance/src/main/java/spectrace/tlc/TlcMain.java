package spectrace.tlc;

import java.util.List;
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
 *
 * <p>With {@value #SERVER} first, it runs TLC's distributed server ({@link DistributedServer})
 * on the rest of the arguments instead, prints the counterexample this build's server leaves
 * out ({@link DistributedCounterexample}), and reports, besides the counters, each connected worker's
 * share as {@code @@workers <uri> <states sent> <states returned> ...}; with {@value #WORKER}
 * first, a distributed worker ({@code TLCWorker}) of the server named next.
 */
public final class TlcMain {

  /** The prefix of a progress line on standard error. */
  public static final String PROGRESS = "@@progress ";
  /** The prefix of a line of the distributed server's workers, on standard error. */
  public static final String WORKERS = "@@workers";
  /** The first argument that makes this JVM TLC's distributed server. */
  public static final String SERVER = "--server";
  /** The first argument that makes this JVM a worker of TLC's distributed server. */
  public static final String WORKER = "--worker";

  private TlcMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    Thread parent = new Thread(TlcMain::exitWithParent, "spectrace-parent");
    parent.setDaemon(true);
    parent.start();
    String[] rest = java.util.Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    if (mode.equals(WORKER)) {
      // The worker's threads run on after main returns, until the server ends them.
      tlc2.tool.distributed.TLCWorker.main(rest);
      return;
    }
    Thread reporter = new Thread(mode.equals(SERVER) ? TlcMain::reportServer : TlcMain::report, "spectrace-progress");
    reporter.setDaemon(true);
    reporter.start();
    if (mode.equals(SERVER)) {
      DistributedServer.run(rest);
      // Its RMI registry would keep this JVM alive: the verdict is printed, the run is over.
      System.out.flush();
      System.exit(0);
    }
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

  /**
   * The distributed server's counters and its workers' shares, once a second: each connected
   * worker thread has a server thread ({@code TLCServerThread}) that counts the states it sent
   * and received. With no worker connected, the line of workers is empty and no counter is
   * printed.
   */
  private static void reportServer() {
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        DistributedServer server = DistributedServer.current;
        if (server == null) {
          continue;
        }
        List<tlc2.tool.distributed.TLCServerThread> threads = server.workers();
        StringBuilder line = new StringBuilder(WORKERS);
        for (tlc2.tool.distributed.TLCServerThread t : threads) {
          line.append(' ').append(t.getUri()).append(' ').append(t.getSentStates()).append(' ')
              .append(t.getReceivedStates());
        }
        if (!threads.isEmpty()) {
          System.err.println(PROGRESS + server.fpSetManager.size() + " " + server.getStatesGenerated() + " "
              + server.getNewStates());
        }
        System.err.println(line);
      } catch (RuntimeException e) {
        // The server is between states (a worker just lost, the run ending): the next second tells.
      }
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
