package spectrace.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.core.Protocol;
import spectrace.net.ClusterSecret;
import spectrace.net.Frame;
import spectrace.net.PeerAuth;
import spectrace.net.WireCodec;
import spectrace.protocols.Protocols;

/** {@code spectrace client}: a protocol's workload, sent to the nodes of a cluster run by hand. */
@Command(name = "client", mixinStandardHelpOptions = true,
    description = {"Send a protocol's workload to the nodes of a cluster run by hand.",
        "",
        "The nodes are './spectrace node' processes started by hand (or by any other means).",
        "Each client request of the workload goes to its node at its time (in ticks of --tick-ms",
        "from now), over a client connection. With --stop, the client then waits --wait seconds",
        "and stops every node with a STOP frame, so that their traces are complete and can be",
        "given to './spectrace validate'. ('./spectrace cluster' does all of this itself.)"},
    footer = {"", "Exit codes: 0 every request sent (and every node stopped, with --stop); 2 bad usage, or a",
        "node that could not be reached within --connect-timeout."})
final class ClientCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "PROTOCOL", description = "The protocol, e.g. twophase.")
  String protocolName;

  @Option(names = "--peers", required = true, paramLabel = "ID=HOST:PORT,...",
      description = "Every node of the run, in the run's order: the --peers the nodes were given.")
  String peers;

  @Option(names = "--secret", required = true, paramLabel = "FILE",
      description = "The cluster's secret, the file the nodes were given: the client proves it holds it.")
  Path secret;

  @CommandLine.Mixin WorkloadOptions workload;

  @Option(names = "--stop", description = "Stop every node once the workload is sent and --wait is over.")
  boolean stop;

  @Option(names = "--wait", paramLabel = "S", defaultValue = "2",
      description = "With --stop: seconds between the last request and the STOP frames (default: ${DEFAULT-VALUE}).")
  double waitSeconds;

  @Option(names = "--connect-timeout", paramLabel = "S", defaultValue = "10",
      description = "Seconds to keep trying to reach a node that is not up yet (default: ${DEFAULT-VALUE}).")
  double connectTimeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    Protocol<?> protocol;
    try {
      protocol = Protocols.get(protocolName);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    Map<String, InetSocketAddress> addresses = NodeCommand.parsePeers(peers);
    List<String> ids = new ArrayList<>(addresses.keySet());
    try {
      List<String> expected = protocol.nodeIds(ids.size());
      if (!new java.util.TreeSet<>(expected).equals(new java.util.TreeSet<>(ids))) {
        throw new Main.UserError("--peers: " + protocol.name() + " with " + ids.size() + " nodes has the nodes "
            + String.join(", ", expected) + ", not " + String.join(", ", ids));
      }
    } catch (IllegalArgumentException e) {
      throw new Main.UserError("--peers: " + e.getMessage());
    }
    workload.check(protocol);
    PeerAuth auth;
    try {
      auth = new PeerAuth(ClusterSecret.read(secret), protocol.name());
    } catch (ClusterSecret.BadSecret e) {
      throw new Main.UserError("--secret " + e.getMessage());
    }
    Main.checkNumber("--wait", waitSeconds, 0, true);
    Main.checkNumber("--connect-timeout", connectTimeout, 0, false);

    List<WorkloadOptions.Due> due = workload.schedule(protocol, ids, workload.seed);
    WireCodec codec = new WireCodec(protocol.messageType(), protocol.requestTypes());
    Map<String, Connection> connections = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    try {
      for (WorkloadOptions.Due d : due) {
        long wait = d.atMillis() - (System.nanoTime() - t0) / 1_000_000;
        if (wait > 0) {
          Thread.sleep(wait);
        }
        Connection c = connections.get(d.node());
        if (c == null) {
          c = connect(auth, d.node(), addresses.get(d.node()));
          connections.put(d.node(), c);
        }
        c.send(Frame.Kind.REQUEST, codec.encode(d.request()), d.node());
      }
      out.printf("sent %d request%s of %s's workload %s (seed %d) to %d node%s%n", due.size(), due.size() == 1 ? "" : "s",
          protocol.name(), workload.name, workload.seed, connections.size(), connections.size() == 1 ? "" : "s");
      out.flush();
      if (stop) {
        Thread.sleep((long) (waitSeconds * 1000));
        for (String id : ids) {
          Connection c = connections.get(id);
          if (c == null) {
            c = connect(auth, id, addresses.get(id));
            connections.put(id, c);
          }
          c.send(Frame.Kind.STOP, new byte[0], id);
        }
        out.printf("stopped %d nodes%n", ids.size());
      }
    } finally {
      for (Connection c : connections.values()) {
        c.close();
      }
    }
    return Main.OK;
  }

  /** A client connection to one node, authenticated. */
  private record Connection(Socket socket, DataOutputStream out, PeerAuth.Session session) {
    void send(Frame.Kind kind, byte[] body, String id) {
      try {
        session.seal(kind, body).write(out);
        out.flush();
      } catch (IOException e) {
        throw new Main.UserError("node " + id + " closed the connection: " + e.getMessage());
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** Connects to node {@code id}, trying again until --connect-timeout. */
  private Connection connect(PeerAuth auth, String id, InetSocketAddress addr) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (connectTimeout * 1e9);
    while (true) {
      Socket s = new Socket();
      try {
        s.connect(addr, 1000);
        s.setSoTimeout(5000);
        DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream()));
        PeerAuth.Session session = auth.connect(new java.io.DataInputStream(
            new java.io.BufferedInputStream(s.getInputStream())), o, Frame.CLIENT, id);
        return new Connection(s, o, session);
      } catch (Frame.BadFrame e) {
        try {
          s.close();
        } catch (IOException ignored) {
          // refused anyway
        }
        throw new Main.UserError("node " + id + " at " + addr.getHostString() + ":" + addr.getPort()
            + " refused the client: " + e.getMessage());
      } catch (IOException e) {
        try {
          s.close();
        } catch (IOException ignored) {
          // it did not open
        }
        if (System.nanoTime() >= deadline) {
          throw new Main.UserError("cannot reach node " + id + " at " + addr.getHostString() + ":" + addr.getPort()
              + " (" + e.getMessage() + ") after " + connectTimeout + " s");
        }
        Thread.sleep(100);
      }
    }
  }
}
