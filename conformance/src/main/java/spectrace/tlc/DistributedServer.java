package spectrace.tlc;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import tlc2.TLCGlobals;
import tlc2.output.EC;
import tlc2.output.MP;
import tlc2.tool.distributed.TLCApp;
import tlc2.tool.distributed.TLCServer;
import tlc2.tool.distributed.TLCServerThread;

/**
 * TLC's distributed server, started as {@code TLCServer.main} starts it, less what this project
 * does not use (the result mail, the Toolbox's JMX bean, distributed fingerprint servers), so
 * that the server object stays in hand: its counters for live progress, its workers' shares,
 * and, once the run is over, what {@link DistributedCounterexample} needs. A subclass only to
 * reach {@code modelCheck}, which is protected; it changes nothing of the server.
 */
final class DistributedServer extends TLCServer {

  /** The server of this JVM, once made (null before). */
  static volatile DistributedServer current;

  private DistributedServer(TLCApp app) throws java.io.IOException, java.rmi.NotBoundException {
    super(app);
  }

  /**
   * Runs the server on TLC's command-line arguments; the server, or null when it could not be
   * made. A run that ends ends the JVM before this returns (TLC's fingerprint set exits it).
   */
  static DistributedServer run(String[] args) {
    TLCGlobals.setNumWorkers(0); // as TLCServer.main: the server itself computes no successors
    DistributedServer server = null;
    try {
      TLCApp app = TLCApp.create(args);
      if (app == null) {
        return null; // the arguments or the model did not load: TLC has said why
      }
      server = new DistributedServer(app);
      current = server;
      // The run ends this JVM from inside modelCheck (DiskFPSet.exit): what comes after it
      // must be a shutdown hook.
      DistributedServer s = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        DistributedCounterexample.print(s);
        System.out.flush();
      }, "spectrace-counterexample"));
      server.modelCheck();
    } catch (Throwable e) {
      if (e instanceof StackOverflowError) {
        MP.printError(EC.SYSTEM_STACK_OVERFLOW, e);
      } else if (e instanceof OutOfMemoryError) {
        MP.printError(EC.SYSTEM_OUT_OF_MEMORY, e);
      } else {
        MP.printError(EC.GENERAL, e);
      }
      if (server != null) {
        try {
          server.close(false);
        } catch (Exception e1) {
          MP.printError(EC.GENERAL, e1);
        }
      }
    }
    return server;
  }

  /** The server's threads, one per connected worker thread ({@code getThreads}, package-private in TLC). */
  List<TLCServerThread> workers() {
    try {
      Method m = TLCServer.class.getDeclaredMethod("getThreads");
      m.setAccessible(true);
      return List.of((TLCServerThread[]) m.invoke(this));
    } catch (ReflectiveOperationException e) {
      return new ArrayList<>();
    }
  }
}
