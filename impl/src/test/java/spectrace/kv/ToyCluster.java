package spectrace.kv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A stand-in for a replicated cluster, to drive {@link KvClients} as a runtime would: one
 * {@link KvStore} that whichever node is leader applies a request to at once; the leader
 * changes at random and is sometimes missing; requests and replies are lost, duplicated and
 * delayed at random; a non-leader answers NotLeader with a right, a wrong or no hint. It is
 * linearizable by construction, so what it tests is the clients: their retries, give-ups and
 * history. Every send the clients make is kept in {@link #sends}.
 */
final class ToyCluster {

  static final List<String> NODES = List.of("n1", "n2", "n3");

  /** A send by the clients: when, and how many history events there were when it was made. */
  record Sent(long time, int events, KvRequest request, String node) {}

  private sealed interface Event permits Fire, Request, Reply {}

  private record Fire(KvClients.Timer timer) implements Event {}

  private record Request(String node, KvRequest request) implements Event {}

  private record Reply(String from, KvReply reply) implements Event {}

  private record Scheduled(long time, long order, Event event) {}

  final KvClients clients;
  final List<Sent> sends = new ArrayList<>();
  /** The store's result for each (client, seq), the first time it saw it. */
  final Map<String, Result> applied = new HashMap<>();
  private final SplittableRandom random;
  private final KvStore store = new KvStore();
  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
      (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
  private long order;
  private String leader = "n1";
  private long now;

  ToyCluster(long seed, KvClients.Config config) {
    SplittableRandom root = new SplittableRandom(seed);
    this.random = root.split();
    this.clients = new KvClients(NODES, config, root.split());
  }

  /** Runs until the clients are done or {@code horizon}, then finishes them. */
  ToyCluster run(long horizon) {
    effects(clients.start(0));
    while (!queue.isEmpty() && !clients.done()) {
      Scheduled s = queue.poll();
      if (s.time > horizon) {
        break;
      }
      now = s.time;
      if (random.nextInt(50) == 0) { // an election, or a while with no leader
        leader = random.nextInt(4) == 0 ? null : NODES.get(random.nextInt(NODES.size()));
      }
      if (s.event instanceof Fire f) {
        effects(clients.onTimer(now, f.timer()));
      } else if (s.event instanceof Request r) {
        receive(r.node(), r.request());
      } else if (s.event instanceof Reply r) {
        effects(clients.onReply(now, r.from(), r.reply()));
      }
    }
    clients.finish(now);
    return this;
  }

  private void receive(String node, KvRequest request) {
    Command c = request.command();
    KvReply reply;
    if (node.equals(leader)) {
      Result r = store.apply(c);
      applied.putIfAbsent(c.client() + "/" + c.seq(), r);
      reply = KvReply.applied(c, r);
    } else {
      String hint = switch (random.nextInt(3)) {
        case 0 -> leader;
        case 1 -> NODES.get(random.nextInt(NODES.size()));
        default -> null;
      };
      reply = KvReply.notLeader(c, hint);
    }
    deliver(new Reply(node, reply));
  }

  private void effects(List<KvClients.Outbound> out) {
    for (KvClients.Outbound o : out) {
      if (o instanceof KvClients.Send s) {
        sends.add(new Sent(now, clients.history().size(), s.request(), s.node()));
        deliver(new Request(s.node(), s.request()));
      } else if (o instanceof KvClients.After a) {
        if (a.delay() < 1) {
          throw new AssertionError("a timer of " + a.delay() + " ticks");
        }
        schedule(now + a.delay(), new Fire(a.timer()));
      }
    }
  }

  /** A message on a lossy, duplicating, delaying link. */
  private void deliver(Event e) {
    if (random.nextInt(10) == 0) {
      return;
    }
    int copies = random.nextInt(20) == 0 ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      schedule(now + 1 + random.nextInt(40), e);
    }
  }

  private void schedule(long time, Event e) {
    queue.add(new Scheduled(time, order++, e));
  }
}
