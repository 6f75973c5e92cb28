package spectrace.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.core.Protocol;
import spectrace.net.ClusterSecret;
import spectrace.net.TcpNode;
import spectrace.protocols.Protocols;

/** {@code spectrace node}: one protocol node as a process, over TCP. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Run one node of a protocol as a process, over TCP.",
        "",
        "The node has TCP links to its peers, durable state in --data (fsynced before any",
        "effect that depends on it), and a trace file of its own with vector clocks. After a",
        "crash, start it again with the same arguments: it recovers its state from --data and",
        "appends to its trace.",
        "",
        "Every connection, from a peer or a client, proves that it holds the cluster's secret",
        "(--secret) in the name it claims, and every frame carries a MAC: a frame that fails is",
        "dropped, its connection closed and logged on standard error.",
        "",
        "Standard output has one line per event a driver needs: ready, recovered, decided,",
        "delivered, stopped. A client stops the node with a STOP frame; SIGTERM stops it too."},
    footer = {"", "Exit codes: 0 stopped cleanly; 2 bad usage or setup (a bad peer list, a port in use,",
        "a data folder that cannot be used or whose storage file holds a corrupt record, a secret",
        "file that is missing, unreadable, too short or readable by others)."})
final class NodeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "PROTOCOL", description = "The protocol, e.g. twophase.")
  String protocolName;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "This node's id, e.g. tm.")
  String id;

  @Option(names = "--peers", required = true, paramLabel = "ID=HOST:PORT,...",
      description = "Every node of the run, this one included, in the run's order.")
  String peers;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "The node's durable state.")
  Path data;

  @Option(names = "--trace", required = true, paramLabel = "FILE", description = "The node's trace file (NDJSON).")
  Path trace;

  @Option(names = "--secret", required = true, paramLabel = "FILE",
      description = {"The cluster's secret, in hexadecimal (at least 32 digits), in a file readable by its owner"
          + " only: './spectrace cluster' writes one per run; by hand: (umask 077; openssl rand -hex 32 > FILE)."})
  Path secret;

  @Option(names = "--tick-ms", paramLabel = "MS", defaultValue = "1",
      description = "Milliseconds per protocol tick, the unit of its timers (default: ${DEFAULT-VALUE}).")
  long tickMillis;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "The seed the trace header records: the driver's workload seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--exit-with-parent",
      description = {"Stop, as on SIGTERM, when standard input ends or the process that started this one is gone:",
          "for a driver that gives the node a pipe on standard input (cluster does), so that no node",
          "outlives it, even after its SIGKILL. Not for a node run by hand with its input closed."})
  boolean exitWithParent;

  @Option(names = "--adversary", paramLabel = "NAME",
      description = {"Run this node Byzantine, for testing the others: it runs its own code but sends what the",
          "protocol's adversary NAME chooses (pbft: silent, equivocate, conflict, wrong-digest, forge, replay,",
          "lie-view-change); its trace holds its sends only. './spectrace cluster --byzantine' sets it."})
  String adversary;

  @Option(names = "--record-crash",
      description = "Do not run: log at the end of the trace that this node, killed, crashed for good (crash-stop),"
          + " and exit. The driver of a crash-stop model runs it on a node it killed.")
  boolean recordCrash;

  @Override
  public Integer call() throws Exception {
    Protocol<?> protocol;
    try {
      protocol = Protocols.get(protocolName);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    if (tickMillis < 1) {
      throw new Main.UserError("--tick-ms must be at least 1, not " + tickMillis);
    }
    ClusterSecret clusterSecret;
    try {
      clusterSecret = ClusterSecret.read(secret);
    } catch (ClusterSecret.BadSecret e) {
      throw new Main.UserError("--secret " + e.getMessage());
    }
    Main.checkOutputFile("--trace", trace);
    if (Files.exists(data) && !Files.isDirectory(data)) {
      throw new Main.UserError("--data " + data + " is a file, not a folder");
    }
    TcpNode<?> node;
    try {
      node = new TcpNode<>(protocol, id, parsePeers(peers), data, trace,
          new TcpNode.Options(tickMillis, TcpNode.Options.SEND_QUEUE, seed), clusterSecret, System.out, System.err);
    } catch (TcpNode.NodeSetupException e) {
      throw new Main.UserError(e.getMessage());
    }
    if (adversary != null) {
      java.util.List<spectrace.core.Adversary> menu = protocol.adversaries();
      spectrace.core.Adversary a = menu.stream().filter(x -> x.name().equals(adversary)).findFirst().orElse(null);
      try {
        if (a == null) {
          node.close();
          throw new Main.UserError("--adversary: " + protocol.name() + " has no adversary '" + adversary + "' ("
              + (menu.isEmpty() ? "it has none" : "adversaries: " + String.join(", ",
              menu.stream().map(spectrace.core.Adversary::name).toList())) + ")");
        }
        node.byzantine(a);
      } catch (TcpNode.NodeSetupException e) {
        node.close();
        throw new Main.UserError(e.getMessage());
      }
    }
    if (recordCrash) {
      try {
        if (!node.recordCrashStop()) {
          System.out.println("nothing to record: " + id + " never started");
        }
      } catch (TcpNode.NodeSetupException e) {
        throw new Main.UserError(e.getMessage());
      }
      return Main.OK;
    }
    // SIGTERM: stop after the step under way, with the trace and storage flushed.
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (done.getCount() > 0) {
        node.stop();
        try {
          done.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          // exiting anyway
        }
      }
    }));
    if (exitWithParent) {
      watchParent(node);
    }
    try {
      node.run();
    } catch (TcpNode.NodeSetupException e) {
      throw new Main.UserError(e.getMessage());
    } finally {
      done.countDown();
    }
    return Main.OK;
  }

  /**
   * Stops {@code node} when standard input reaches its end (the driver holding the pipe's other
   * end is gone, however it ended) or the parent process exits; halts the process if the node
   * has not stopped 10 s later.
   */
  private static void watchParent(TcpNode<?> node) {
    java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable orphaned = () -> {
      if (once.getAndSet(true)) {
        return;
      }
      System.err.println(node.id() + ": the process that started this node is gone: stopping");
      node.stop();
      Thread halt = new Thread(() -> {
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException e) {
          return;
        }
        System.err.println(node.id() + ": did not stop within 10 s of its parent's end: halting");
        Runtime.getRuntime().halt(Main.USAGE);
      }, "orphan-halt");
      halt.setDaemon(true);
      halt.start();
    };
    Thread stdin = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the driver writes nothing: only the end of the pipe matters
        }
      } catch (java.io.IOException e) {
        // a broken input is an ended one
      }
      orphaned.run();
    }, "watch-stdin");
    stdin.setDaemon(true);
    stdin.start();
    ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(orphaned));
  }

  /**
   * {@code id=host:port,...} in order.
   *
   * @throws Main.UserError naming the entry that is wrong
   */
  static Map<String, InetSocketAddress> parsePeers(String list) {
    Map<String, InetSocketAddress> out = new LinkedHashMap<>();
    for (String entry : list.split(",", -1)) {
      String e = entry.strip();
      int eq = e.indexOf('=');
      int colon = e.lastIndexOf(':');
      if (eq <= 0 || colon < eq + 2 || colon == e.length() - 1) {
        throw new Main.UserError("--peers: '" + e + "' is not ID=HOST:PORT");
      }
      String id = e.substring(0, eq);
      String host = e.substring(eq + 1, colon);
      int port;
      try {
        port = Integer.parseInt(e.substring(colon + 1));
      } catch (NumberFormatException x) {
        throw new Main.UserError("--peers: '" + e + "' has no port number");
      }
      if (port < 1 || port > 65535) {
        throw new Main.UserError("--peers: '" + e + "': port " + port + " is outside 1..65535");
      }
      InetSocketAddress addr = new InetSocketAddress(host, port);
      if (addr.isUnresolved()) {
        throw new Main.UserError("--peers: '" + e + "': cannot resolve the host " + host);
      }
      if (out.put(id, addr) != null) {
        throw new Main.UserError("--peers: node " + id + " appears twice");
      }
      for (Map.Entry<String, InetSocketAddress> other : out.entrySet()) {
        if (!other.getKey().equals(id) && other.getValue().equals(addr)) {
          throw new Main.UserError("--peers: " + other.getKey() + " and " + id + " have the same address " + host + ":"
              + port + ": give each node a port of its own");
        }
      }
    }
    return out;
  }
}
