package spectrace.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The key-value store's clients: a fixed number of workers, each running one operation at a
 * time against the cluster, as a pure state machine that a runtime drives. The simulator and
 * the TCP cluster alike call {@link #start}, then {@link #onReply} for each reply that reaches
 * a client and {@link #onTimer} for each timer that fires, and carry out the {@link Outbound}
 * effects each call returns: send a request to a node, or set a timer. Nothing here reads a
 * clock, sleeps, or draws from an unseeded random source: the same seed and the same calls
 * give the same requests and the same history.
 *
 * <p>The workload (a closed loop, like a Jepsen worker's): after a random think time, a worker
 * issues put, get or cas (in the configured mix) on a key of {@code k1..kK}. Every value
 * written (a put's, a cas's new one) is unique in the run, so a read names the write it saw;
 * a cas expects the value the clients last saw for its key, or sometimes an older one, so that
 * both outcomes occur.
 *
 * <p>Routing and retries, as the dissertation's clients do (§6.2, §6.3): the request goes to the
 * node the worker believes leads (the last node that answered it, or a hint). A {@link KvReply.NotLeader} from
 * that node sends the same command, same (client, seq), to the hinted node at once, or, with no
 * usable hint, to the next node after a back-off (twice as long each time, up to a timeout); a
 * timeout sends it to the next node. After {@link Config#attempts} sends that no reply answered
 * the worker gives up: the operation is {@code info} (it may still
 * take effect: a copy may sit in some log), and the worker continues under a new process name
 * (the history retires a process after an info), which is also its new session id, so that a
 * history's processes and the store's sessions stay one to one: the lost command, if it is
 * applied later, is applied under its own session as itself. Process names: worker w
 * (0-based) runs as {@code c(w+1)}, then {@code c(w+1+N)}, {@code c(w+1+2N)}, ... for N workers.
 *
 * <p>The history (the events of {@link HistoryEvent}): {@code invoke} when an operation is
 * first sent; {@code ok} or {@code fail} when the first {@link KvReply.Applied} for its
 * (client, seq) arrives; {@code info} when the worker gives up, and for every operation still
 * outstanding at {@link #finish}. Each process has at most one operation outstanding and
 * issues nothing after an {@code info}. Replies for any other (client, seq) are ignored, and
 * so is a {@link Result.Outcome#STALE} result (no correct store gives one for a client's
 * latest seq: the worker keeps waiting and retries).
 *
 * <p>A runtime drives it like this (times in its own ticks):
 * <pre>{@code
 * KvClients clients = new KvClients(nodes, KvClients.Config.of(3, 1000), random.split(), history.listener());
 * carryOut(clients.start(now));
 * // a KvReply r from node n reaches the clients:   carryOut(clients.onReply(now, n, r));
 * // a timer t they set fires:                      carryOut(clients.onTimer(now, t));
 * // the run ends (or clients.done()):              clients.finish(now);
 * // carryOut: a Send(node, request) goes to node as a client request; an After(delay, timer)
 * // calls onTimer(now + delay, timer) unless the run is over by then.
 * }</pre>
 *
 * <p>Not thread-safe: a runtime calls it from one thread, with non-decreasing times.
 */
public final class KvClients {

  /**
   * The workload's settings; times are in the runtime's ticks.
   *
   * @param clients    workers running at once (N)
   * @param keys       keys {@code k1..kKeys}
   * @param operations operations issued in all, over all workers; then they stop
   * @param thinkTime  a worker waits a uniform 0..thinkTime before each operation
   * @param timeout    how long a worker waits for a reply to a send before it sends again
   * @param backoff    how long it waits after a {@link KvReply.NotLeader} with no usable hint
   * @param attempts   sends of one operation that may go unanswered (no reply before the timeout),
   *                   then it gives up
   * @param puts       the weight of put in the mix
   * @param gets       the weight of get
   * @param cases      the weight of cas
   */
  public record Config(int clients, int keys, long operations, long thinkTime, long timeout, long backoff,
                       int attempts, int puts, int gets, int cases) {

    /** Checks the settings: one line naming the one that is wrong. */
    public Config {
      if (clients < 1) {
        throw new IllegalArgumentException("clients must be at least 1, not " + clients);
      }
      if (keys < 1) {
        throw new IllegalArgumentException("keys must be at least 1, not " + keys);
      }
      if (operations < 0) {
        throw new IllegalArgumentException("operations must be at least 0, not " + operations);
      }
      if (thinkTime < 0 || backoff < 1 || timeout < 1) {
        throw new IllegalArgumentException("think time must be at least 0, timeout and back-off at least 1 (think "
            + thinkTime + ", timeout " + timeout + ", back-off " + backoff + ")");
      }
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
      }
      if (puts < 0 || gets < 0 || cases < 0 || puts + gets + cases == 0) {
        throw new IllegalArgumentException("the mix's weights must be at least 0 and not all 0 (put " + puts
            + ", get " + gets + ", cas " + cases + ")");
      }
    }

    /**
     * {@code clients} workers on 5 keys, {@code operations} operations, put/get/cas 2:2:1,
     * think time 20, timeout 300, back-off 50, 5 attempts: in the simulator's ticks (a message
     * takes 10 to 50), a timeout is a few round trips, and a worker gives up after about 1,500
     * ticks without an answer, longer than an election.
     */
    public static Config of(int clients, long operations) {
      return new Config(clients, 5, operations, 20, 300, 50, 5, 2, 2, 1);
    }
  }

  /** An effect of a call, for the runtime to carry out. */
  public sealed interface Outbound permits Send, After {}

  /** Send {@code request} to {@code node}. */
  public record Send(String node, KvRequest request) implements Outbound {}

  /** Call {@link #onTimer} with {@code timer} after {@code delay} ticks (at least 1). */
  public record After(long delay, Timer timer) implements Outbound {}

  /** A timer a worker set; the runtime hands it back as it was. */
  public sealed interface Timer permits Think, Retry {}

  /** The think time of {@code process} before its next operation is over. */
  public record Think(String process) implements Timer {}

  /**
   * The wait of {@code process}'s operation {@code seq} is over: a send's timeout, or a
   * back-off; {@code round} tells it from an earlier wait of the same operation, which is void.
   */
  public record Retry(String process, long seq, int round) implements Timer {}

  /** One worker: its current process (session), its next seq, whom it believes leads, its operation. */
  private static final class Worker {
    final int index;
    int generation;
    String process;
    long nextSeq = 1;
    String leader;
    Pending op;

    Worker(int index, String process, String leader) {
      this.index = index;
      this.process = process;
      this.leader = leader;
    }
  }

  /** An operation outstanding: its command, how often it was sent, to whom last, its wait. */
  private static final class Pending {
    final Command command;
    /** Whether it is a read-back ({@link #readBack}), not an operation of the workload. */
    final boolean readBack;
    /** Sends that no reply answered before their timeout: the command may be in some log. */
    int unanswered;
    /** Back-offs after a NotLeader with no usable hint, which grow each time. */
    int refusals;
    String target;
    int round;
    /** True while a back-off runs (no send outstanding), false while a send's timeout does. */
    boolean backingOff;
    /** With {@link #matching} above 1: the nodes that answered with each result. */
    final Map<Result, java.util.Set<String>> votes = new java.util.HashMap<>();

    Pending(Command command, boolean readBack) {
      this.command = command;
      this.readBack = readBack;
    }
  }

  private final List<String> nodes;
  private final Config config;
  private final SplittableRandom random;
  private final Consumer<HistoryEvent> listener;
  /**
   * The replies with one result, from distinct nodes, that complete an operation: 1 where nodes
   * fail only by crashing; F+1 against F Byzantine nodes (PBFT, OSDI sec. 4.1), which makes
   * each send go to every node.
   */
  private final int matching;
  private final Worker[] workers;
  private final Map<String, Worker> byProcess = new TreeMap<>();
  private final List<HistoryEvent> history = new ArrayList<>();
  /** Per key, the value the clients last saw it hold (written or read): what a cas expects. */
  private final Map<String, Long> lastSeen = new TreeMap<>();
  private long issued;
  /** Whether {@link #readBack} began; then the keys still to read, and the keys read (an ok get). */
  private boolean readingBack;
  private final java.util.ArrayDeque<String> toRead = new java.util.ArrayDeque<>();
  private final java.util.Set<String> readBack = new java.util.TreeSet<>();
  private long nextValue = 1;
  private long lastTime = Long.MIN_VALUE;
  private boolean started;
  private boolean finished;

  /** Clients of the cluster {@code nodes}, drawing from {@code random}, recording the history only here. */
  public KvClients(List<String> nodes, Config config, SplittableRandom random) {
    this(nodes, config, random, e -> { });
  }

  /**
   * Clients of the cluster {@code nodes}, drawing from {@code random}, handing each history
   * event to {@code listener} as it happens (a {@link HistoryWriter#listener()}, so that a
   * crash of the runtime loses no event already recorded) as well as keeping it in
   * {@link #history}.
   */
  public KvClients(List<String> nodes, Config config, SplittableRandom random, Consumer<HistoryEvent> listener) {
    this(nodes, config, random, listener, 1);
  }

  /**
   * Clients that take a result only once {@code matching} distinct nodes reply with it, and send
   * each operation to every node: the clients of a protocol that tolerates {@code matching - 1}
   * Byzantine nodes. With 1, the clients of the constructor above.
   */
  public KvClients(List<String> nodes, Config config, SplittableRandom random, Consumer<HistoryEvent> listener,
                   int matching) {
    if (matching < 1 || matching > nodes.size()) {
      throw new IllegalArgumentException("a result needs between 1 and " + nodes.size() + " matching replies, not "
          + matching);
    }
    this.matching = matching;
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("clients need at least one node to send to");
    }
    this.nodes = List.copyOf(nodes);
    this.config = config;
    this.random = random;
    this.listener = listener;
    this.workers = new Worker[config.clients()];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Worker(w, processName(w, 0), this.nodes.get(w % this.nodes.size()));
      byProcess.put(workers[w].process, workers[w]);
    }
  }

  private String processName(int worker, int generation) {
    return "c" + (worker + 1 + (long) generation * config.clients());
  }

  /** Starts every worker: its think time before its first operation (or the operation, with none). */
  public List<Outbound> start(long now) {
    advance(now);
    if (started) {
      throw new IllegalStateException("the clients have started already");
    }
    started = true;
    List<Outbound> out = new ArrayList<>();
    for (Worker w : workers) {
      next(w, now, out);
    }
    return out;
  }

  /**
   * A reply from {@code fromNode} reached the client it names ({@link KvReply#client}): an
   * {@link KvReply.Applied} completes the operation if it is that client's outstanding one; a
   * {@link KvReply.NotLeader} from the node last sent to redirects it.
   */
  public List<Outbound> onReply(long now, String fromNode, KvReply reply) {
    advance(now);
    List<Outbound> out = new ArrayList<>();
    Worker w = byProcess.get(reply.client());
    if (finished || w == null || w.op == null || w.op.command.seq() != reply.seq()) {
      return out; // a late reply: for an operation completed, given up, or never issued
    }
    Pending op = w.op;
    if (reply instanceof KvReply.Applied a) {
      if (a.result().outcome() == Result.Outcome.STALE) {
        return out;
      }
      if (matching > 1) {
        java.util.Set<String> said = op.votes.computeIfAbsent(a.result(), k -> new java.util.TreeSet<>());
        said.add(fromNode);
        if (said.size() < matching) {
          return out; // not yet F+1 replicas that say the same: one of them may lie
        }
      }
      record(HistoryEvent.completion(op.command, a.result(), now));
      see(op.command, a.result());
      if (op.readBack) {
        readBack.add(op.command.key());
      }
      w.leader = fromNode;
      w.op = null;
      next(w, now, out);
    } else if (reply instanceof KvReply.NotLeader n) {
      if (matching > 1 || op.backingOff || !fromNode.equals(op.target)) {
        return out; // an answer to an earlier send: the latest one may still succeed
      }
      if (nodes.contains(n.leaderHint()) && !n.leaderHint().equals(fromNode)) {
        w.leader = n.leaderHint();
        sendOrGiveUp(w, now, out);
      } else {
        // No leader known (an election may be on): back off longer each time, up to a timeout.
        w.leader = after(fromNode);
        op.backingOff = true;
        op.round++;
        long wait = Math.min(config.timeout(), config.backoff() << Math.min(op.refusals++, 20));
        out.add(new After(wait, new Retry(w.process, op.command.seq(), op.round)));
      }
    }
    return out;
  }

  /** A timer set by an earlier call fired: a think time ends, or a wait (a timeout or back-off) does. */
  public List<Outbound> onTimer(long now, Timer timer) {
    advance(now);
    List<Outbound> out = new ArrayList<>();
    if (finished) {
      return out;
    }
    if (timer instanceof Think t) {
      Worker w = byProcess.get(t.process());
      if (w != null && w.op == null) {
        issue(w, now, out);
      }
    } else if (timer instanceof Retry r) {
      Worker w = byProcess.get(r.process());
      if (w != null && w.op != null && w.op.command.seq() == r.seq() && w.op.round == r.round()) {
        if (!w.op.backingOff) {
          w.leader = after(w.op.target); // the node did not answer: try the next one
          w.op.unanswered++;
        }
        sendOrGiveUp(w, now, out);
      }
    }
    return out;
  }

  /**
   * Ends the run: every operation still outstanding is {@code info}, and the clients issue
   * nothing more (later calls return no effects and record nothing).
   */
  public void finish(long now) {
    advance(now);
    if (finished) {
      return;
    }
    for (Worker w : workers) {
      if (w.op != null) {
        record(HistoryEvent.info(w.op.command, now));
        w.op = null;
      }
    }
    finished = true;
  }

  /** Whether every operation has been issued and has completed (or the run is finished). */
  public boolean done() {
    if (finished) {
      return true;
    }
    for (Worker w : workers) {
      if (w.op != null) {
        return false;
      }
    }
    return started && !more();
  }

  /** The operations issued so far. */
  public long issued() {
    return issued;
  }

  /** The history so far, in order. */
  public List<HistoryEvent> history() {
    return Collections.unmodifiableList(history);
  }

  /**
   * The workload is over: the clients invoke no further operation of it, and read every key
   * back, each an ordinary get in the history, by the workers as they become free (a read
   * that is given up is tried again by the worker's next process). A linearizable history with
   * these reads answered loses no acknowledged write: each read returns the key's last write,
   * or one whose outcome is unknown. {@link #done} once every key is read back.
   */
  public List<Outbound> readBack(long now) {
    advance(now);
    List<Outbound> out = new ArrayList<>();
    if (finished || readingBack || !started) {
      return out;
    }
    readingBack = true;
    for (int k = 1; k <= config.keys(); k++) {
      toRead.add("k" + k);
    }
    for (Worker w : workers) {
      if (w.op == null) {
        issue(w, now, out);
      }
    }
    return out;
  }

  /** After {@link #readBack}: "5 of 5 keys read back", else null. */
  public String readBackSummary() {
    return readingBack ? readBack.size() + " of " + config.keys() + " keys read back" : null;
  }

  /** Whether every key was read back ({@link #readBack}). */
  public boolean allReadBack() {
    return readingBack && readBack.size() == config.keys();
  }

  /** Whether the worker has something left to issue: an operation of the workload, or a read-back. */
  private boolean more() {
    return readingBack ? !toRead.isEmpty() : issued < config.operations();
  }

  /** The worker's next operation: after a think time, or at once with none. */
  private void next(Worker w, long now, List<Outbound> out) {
    if (!more()) {
      return;
    }
    long think = config.thinkTime() == 0 ? 0 : random.nextLong(config.thinkTime() + 1);
    if (think == 0) {
      issue(w, now, out);
    } else {
      out.add(new After(think, new Think(w.process)));
    }
  }

  /** Draws the worker's next operation (or read-back), records its invoke and sends it. */
  private void issue(Worker w, long now, List<Outbound> out) {
    if (!more()) {
      return;
    }
    if (readingBack) {
      Command c = Command.get(w.process, w.nextSeq++, toRead.poll());
      w.op = new Pending(c, true);
      record(HistoryEvent.invoke(c, now));
      sendOrGiveUp(w, now, out);
      return;
    }
    issued++;
    String key = "k" + (1 + random.nextInt(config.keys()));
    long seq = w.nextSeq++;
    int pick = random.nextInt(config.puts() + config.gets() + config.cases());
    Command c;
    if (pick < config.puts()) {
      c = Command.put(w.process, seq, key, nextValue++);
    } else if (pick < config.puts() + config.gets()) {
      c = Command.get(w.process, seq, key);
    } else {
      // Mostly the value last seen (a cas that may well succeed), sometimes an older write.
      Long seen = lastSeen.get(key);
      long expected = seen != null && random.nextInt(4) != 0 ? seen
          : nextValue == 1 ? 0 : 1 + random.nextLong(nextValue - 1);
      c = Command.cas(w.process, seq, key, expected, nextValue++);
    }
    w.op = new Pending(c, false);
    record(HistoryEvent.invoke(c, now));
    sendOrGiveUp(w, now, out);
  }

  /**
   * Sends the operation to the node the worker believes leads, or gives up once
   * {@link Config#attempts} sends went unanswered. (A send answered "not the leader" counts
   * for nothing: that node did not append the command, and the worker keeps trying, backing
   * off, while the cluster has no leader.)
   */
  private void sendOrGiveUp(Worker w, long now, List<Outbound> out) {
    Pending op = w.op;
    if (op.unanswered >= config.attempts()) {
      record(HistoryEvent.info(op.command, now));
      if (op.readBack && !readBack.contains(op.command.key())) {
        toRead.add(op.command.key());
      }
      w.op = null;
      byProcess.remove(w.process);
      w.generation++;
      w.process = processName(w.index, w.generation);
      w.nextSeq = 1;
      byProcess.put(w.process, w);
      next(w, now, out);
      return;
    }
    op.target = w.leader;
    op.backingOff = false;
    op.round++;
    if (matching > 1) {
      for (String node : nodes) {
        out.add(new Send(node, new KvRequest(op.command)));
      }
    } else {
      out.add(new Send(op.target, new KvRequest(op.command)));
    }
    out.add(new After(config.timeout(), new Retry(w.process, op.command.seq(), op.round)));
  }

  /** What a completed operation showed of its key: the value cas will expect next. */
  private void see(Command c, Result r) {
    if (r.present()) {
      lastSeen.put(c.key(), r.value());
    } else {
      lastSeen.remove(c.key());
    }
  }

  /** The node after {@code node} in the cluster's order. */
  private String after(String node) {
    int i = nodes.indexOf(node);
    return nodes.get((i + 1) % nodes.size());
  }

  private void advance(long now) {
    if (now < lastTime) {
      throw new IllegalArgumentException("time went back, from " + lastTime + " to " + now);
    }
    lastTime = now;
  }

  private void record(HistoryEvent e) {
    history.add(e);
    listener.accept(e);
  }
}
