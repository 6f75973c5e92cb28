package spectrace.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.PriorityQueue;
import spectrace.core.Clients;
import spectrace.history.History;
import spectrace.history.LinearizabilityChecker;

/**
 * A replicated service's {@link Clients} driven in real time against a {@link LocalCluster}: the
 * runtime of the clients that the simulator is in virtual time. One thread (the cluster's
 * driver) calls {@link #pump} in its loop; each call hands the clients the replies the nodes
 * reported since the last one and the timers that are due, and sends the requests they make
 * over the cluster's client connections. Time is in ticks of the cluster's tick, counted from
 * {@link #start}. A request to a node that is down is lost, as a request to a crashed node is
 * in the simulator: the client's timeout finds it.
 */
final class ClusterClients {

  private record Due(long tick, long token) {}

  private final Clients clients;
  private final LocalCluster cluster;
  private final long tickNanos;
  private final PriorityQueue<Due> timers =
      new PriorityQueue<>((a, b) -> a.tick != b.tick ? Long.compare(a.tick, b.tick) : Long.compare(a.token, b.token));
  private final Clients.Out out = new Clients.Out() {
    @Override
    public void request(String node, Object request) {
      sent++;
      if (!cluster.running(node) || !cluster.request(node, (Record) request)) {
        lost++;
      }
    }

    @Override
    public void timer(long delay, long token) {
      timers.add(new Due(now + Math.max(1, delay), token));
    }
  };
  private long t0;
  private long now;
  private long sent;
  private long lost;
  private boolean ended;

  ClusterClients(Clients clients, LocalCluster cluster, long tickMillis) {
    this.clients = clients;
    this.cluster = cluster;
    this.tickNanos = Math.max(1, tickMillis) * 1_000_000;
  }

  /** The clients begin: their first requests go out. */
  void start() {
    t0 = System.nanoTime();
    cluster.forwardDeliveries();
    clients.start(0, out);
  }

  /** Hands the clients what happened since the last call: replies, then due timers. */
  void pump() {
    if (ended) {
      return;
    }
    now = (System.nanoTime() - t0) / tickNanos;
    for (LocalCluster.Delivered d : cluster.takeDelivered()) {
      if (clients.isReply(d.value())) {
        clients.onReply(now, d.node(), d.value(), out);
      }
    }
    while (!timers.isEmpty() && timers.peek().tick <= now) {
      clients.onTimer(now, timers.poll().token, out);
    }
  }

  /** The workload is over: the clients read back what the service holds ({@link Clients#readBack}). */
  boolean readBack() {
    pump();
    return !ended && clients.readBack(now, out);
  }

  /** What was read back, or null. */
  String readBackSummary() {
    return clients.readBackSummary();
  }

  boolean allReadBack() {
    return clients.allReadBack();
  }

  /** The run is over: what is still outstanding is of unknown outcome. */
  void end() {
    if (!ended) {
      pump();
      ended = true;
      clients.end(now);
    }
  }

  /** True once the clients are done, or ended. */
  boolean done() {
    return ended || clients.done();
  }

  /** Requests sent, and of them those that could not reach their node. */
  String requests() {
    return String.format("%,d client requests (%,d to nodes that were down)", sent, lost);
  }

  /**
   * Writes the history to {@code file} and checks it: "linearizable: ..." or what is wrong, in
   * one line, with the witness after it on lines of its own.
   *
   * @return null when linearizable, or the verdict's first line
   */
  String check(Path file, String source, StringBuilder report) throws IOException {
    byte[] written = ClientHistory.text(clients, source);
    Files.write(file, written);
    History h = ClientHistory.read(file.toString(), written);
    StringWriter text = new StringWriter();
    int code;
    try (java.io.PrintWriter w = new java.io.PrintWriter(text)) {
      code = LinearizableCommand.report(LinearizabilityChecker.kv().check(h), w);
    }
    String[] lines = text.toString().split("\n", 2);
    report.append(lines[0]);
    if (code == Main.OK) {
      return null;
    }
    if (lines.length > 1) {
      report.append('\n').append(lines[1].stripTrailing());
    }
    return lines[0];
  }
}
