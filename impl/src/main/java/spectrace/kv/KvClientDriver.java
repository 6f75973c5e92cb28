package spectrace.kv;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import spectrace.core.Clients;

/**
 * The key-value store's {@link KvClients} as the {@link Clients} a runtime drives: the one
 * adapter between the clients' effects ({@link KvClients.Outbound}) and a runtime's requests
 * and timers, shared by every replicated protocol (Raft, VR, PBFT) and every runtime. A timer
 * goes to the runtime as a number and comes back as the {@link KvClients.Timer} it stands for.
 */
public final class KvClientDriver implements Clients {

  private final KvClients clients;
  private final Map<Long, KvClients.Timer> timers = new HashMap<>();
  private long nextToken;

  /** Drives {@code clients}. */
  public KvClientDriver(KvClients clients) {
    this.clients = clients;
  }

  /** Drives new clients of {@code nodes} with {@code config}, drawing from {@code random}. */
  public static KvClientDriver of(List<String> nodes, KvClients.Config config, SplittableRandom random) {
    return new KvClientDriver(new KvClients(nodes, config, random));
  }

  /** The same, with clients that take a result once {@code matching} nodes reply with it. */
  public static KvClientDriver of(List<String> nodes, KvClients.Config config, SplittableRandom random,
                                  int matching) {
    return new KvClientDriver(new KvClients(nodes, config, random, e -> { }, matching));
  }

  /** The clients driven. */
  public KvClients clients() {
    return clients;
  }

  @Override
  public void start(long now, Out out) {
    carryOut(clients.start(now), out);
  }

  @Override
  public void onReply(long now, String node, Object reply, Out out) {
    carryOut(clients.onReply(now, node, (KvReply) reply), out);
  }

  @Override
  public void onTimer(long now, long token, Out out) {
    KvClients.Timer t = timers.remove(token);
    if (t != null) {
      carryOut(clients.onTimer(now, t), out);
    }
  }

  @Override
  public boolean isReply(Object value) {
    return value instanceof KvReply;
  }

  @Override
  public boolean readBack(long now, Out out) {
    carryOut(clients.readBack(now), out);
    return true;
  }

  @Override
  public String readBackSummary() {
    return clients.readBackSummary();
  }

  @Override
  public boolean allReadBack() {
    return clients.allReadBack();
  }

  @Override
  public void end(long now) {
    clients.finish(now);
  }

  @Override
  public boolean done() {
    return clients.done();
  }

  @Override
  public void writeHistory(OutputStream out, String source) throws IOException {
    HistoryWriter w = new HistoryWriter(out, source);
    for (HistoryEvent e : clients.history()) {
      w.write(e); // each line flushed; out stays open, the caller's to close
    }
  }

  private void carryOut(List<KvClients.Outbound> effects, Out out) {
    for (KvClients.Outbound o : effects) {
      if (o instanceof KvClients.Send s) {
        out.request(s.node(), s.request());
      } else if (o instanceof KvClients.After a) {
        long token = nextToken++;
        timers.put(token, a.timer());
        out.timer(a.delay(), token);
      }
    }
  }
}
