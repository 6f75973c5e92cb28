package spectrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.tlc.DistributedTlc;

/** {@code spectrace tlc-worker}: a worker of a TLC server on another machine. */
@Command(
    name = "tlc-worker",
    mixinStandardHelpOptions = true,
    description = {
        "Work for a TLC server on another machine (tlc-server, or check --distributed).",
        "",
        "The worker fetches the spec from the server, so nothing but spectrace is needed here.",
        "It waits for the server to come up, computes successor states and checks invariants",
        "for it, and ends when the server says the run is over. The server calls the worker",
        "back over Java RMI at --advertise, on ports of its choosing: the two machines must",
        "reach each other on any port (a network you trust: RMI is unauthenticated)."},
    footer = {"", "Exit codes: 0 the run ended; 2 bad usage, or the server cannot be reached."})
final class TlcWorkerCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "HOST[:PORT]",
      description = "The server's address and registry port (default port: TLC's " + DistributedTlc.DEFAULT_PORT + ").")
  String server;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--advertise", paramLabel = "ADDR", description = {"This machine's address as the server reaches it",
      "(default: the address this machine reaches the server from)."})
  String advertise;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    String host = server;
    int port = DistributedTlc.DEFAULT_PORT;
    int colon = server.lastIndexOf(':');
    if (colon >= 0 && server.indexOf(':') == colon) {
      host = server.substring(0, colon);
      try {
        port = Integer.parseInt(server.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new Main.UserError("HOST[:PORT]: '" + server.substring(colon + 1) + "' is not a port");
      }
    }
    if (host.isEmpty()) {
      throw new Main.UserError("HOST[:PORT]: no host in '" + server + "'");
    }
    if (port < 1 || port > 65535) {
      throw new Main.UserError("HOST[:PORT]: the port must be from 1 to 65535, not " + port);
    }
    if (threads < 1 || threads > CheckCommand.MAX_WORKERS) {
      throw new Main.UserError("--threads must be from 1 to " + CheckCommand.MAX_WORKERS + ", not " + threads);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new Main.UserError("HOST[:PORT]: no such host " + host);
    }
    String self = advertise != null ? advertise : localAddressTowards(address, port);
    PrintWriter out = command.commandLine().getOut();
    out.printf("TLC worker of %s:%d, %d thread%s, called back at %s%n", host, port, threads, threads == 1 ? "" : "s",
        self);
    out.flush();
    int exit = DistributedTlc.work(host, port, threads, self, line -> {
      out.println("  " + line);
      out.flush();
    });
    out.println(exit == 0 ? "the server ended the run" : "the worker ended with exit code " + exit);
    return exit == 0 ? Main.OK : Main.USAGE;
  }

  /**
   * The address of this machine on the route to {@code server}: a datagram socket "connected"
   * there (no packet is sent) is bound to it. RMI's own default, the address of this
   * machine's name, is often 127.0.1.1, which the server cannot call back.
   */
  private static String localAddressTowards(InetAddress server, int port) {
    if (server.isLoopbackAddress()) {
      return "127.0.0.1";
    }
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(new InetSocketAddress(server, port));
      InetAddress local = s.getLocalAddress();
      if (local == null || local.isAnyLocalAddress()) {
        throw new Main.UserError("no route to " + server.getHostAddress() + " to find this machine's address: give"
            + " --advertise ADDR");
      }
      return local.getHostAddress();
    } catch (IOException e) {
      throw new Main.UserError("no route to " + server.getHostAddress() + " (" + e.getMessage() + "): give --advertise"
          + " ADDR");
    }
  }
}
