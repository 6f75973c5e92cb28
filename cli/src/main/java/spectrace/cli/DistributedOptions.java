package spectrace.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;
import spectrace.tlc.DistributedTlc;

/** The options of a run on TLC's distributed mode: {@code check --distributed} and {@code tlc-server}. */
final class DistributedOptions {

  @Option(names = "--local-workers", paramLabel = "N",
      description = "Start N worker JVMs on this machine, on loopback (default: 0 for tlc-server; 2 for check).")
  Integer localWorkers;

  @Option(names = "--host", paramLabel = "ADDR", description = {"The server's address as workers on other machines",
      "reach it (default: 127.0.0.1 with local workers only, else this machine's name)."})
  String host;

  @Option(names = "--port", paramLabel = "P", description = {"The port of the server's RMI registry (default: a free",
      "one on loopback, else TLC's " + DistributedTlc.DEFAULT_PORT + ")."})
  Integer port;

  @Option(names = "--worker-threads", paramLabel = "T",
      description = "Threads of each local worker (default: the cores over the local workers, at least 1).")
  Integer workerThreads;

  /** True when any of these options was given. */
  boolean any() {
    return localWorkers != null || host != null || port != null || workerThreads != null;
  }

  /** The options, checked, with the defaults filled in; {@code defaultWorkers} local workers unless given. */
  DistributedTlc.Options resolve(int defaultWorkers) {
    int n = localWorkers != null ? localWorkers : defaultWorkers;
    if (n < 0 || n > 64) {
      throw new Main.UserError("--local-workers must be from 0 to 64, not " + n);
    }
    if (port != null && (port < 1 || port > 65535)) {
      throw new Main.UserError("--port must be from 1 to 65535, not " + port);
    }
    if (workerThreads != null && (workerThreads < 1 || workerThreads > CheckCommand.MAX_WORKERS)) {
      throw new Main.UserError("--worker-threads must be from 1 to " + CheckCommand.MAX_WORKERS + ", not "
          + workerThreads);
    }
    if (workerThreads != null && n == 0) {
      throw new Main.UserError("--worker-threads sets the threads of local workers, and there are none"
          + " (--local-workers 0); a remote worker takes --threads");
    }
    String h = host;
    if (h == null) {
      h = n > 0 ? "127.0.0.1" : localName();
    }
    try {
      InetAddress.getByName(h);
    } catch (UnknownHostException e) {
      throw new Main.UserError("--host " + h + ": no such host");
    }
    int threads = workerThreads != null ? workerThreads
        : Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, n));
    DistributedTlc.Options o = new DistributedTlc.Options(h, port != null ? port : 0, n, threads);
    if (port == null && !o.loopbackOnly()) {
      o = new DistributedTlc.Options(h, DistributedTlc.DEFAULT_PORT, n, threads);
    }
    if (n == 0 && o.loopbackOnly()) {
      throw new Main.UserError(host != null
          ? "a server on loopback (--host " + h + ") can have local workers only, and --local-workers is 0: give"
              + " local workers, or a --host that other machines reach"
          : "this machine's name resolves to a loopback address (" + h + "), which other machines cannot reach:"
              + " give --host ADDR, an address they reach, or --local-workers N");
    }
    return o;
  }

  private static String localName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      throw new Main.UserError("this machine has no name that resolves (" + e.getMessage() + "): give --host ADDR");
    }
  }
}
