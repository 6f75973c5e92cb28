package spectrace.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import spectrace.core.Clients;
import spectrace.core.Protocol;
import spectrace.kv.Command;
import spectrace.kv.KvReply;
import spectrace.kv.KvRequest;
import spectrace.kv.Result;
import spectrace.protocols.Protocols;

/**
 * Regression: {@code ./spectrace cluster beb} waited 31 s and said "undecided", its nodes
 * logging {@code unknown type 'BroadcastRequest' (known: Data)}: the broadcast family and
 * Maekawa declared no request types, so the TCP runtime could not decode their workloads.
 * Every request of every workload of every protocol must be a declared request type and cross
 * the wire unchanged; so must the requests of a replicated service's clients, and the replies
 * its nodes report.
 */
class WorkloadWireTypesTest {

  @Test
  void everyWorkloadsRequestsCrossTheWire() throws Exception {
    for (String name : Protocols.names()) {
      Protocol<?> p = Protocols.get(name);
      WireCodec codec = new WireCodec(p.messageType(), p.requestTypes());
      List<String> nodes = p.nodeIds(p.defaultNodes());
      for (String workload : p.workloads()) {
        List<Object> requests = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
          p.workload(workload, nodes, new SplittableRandom(seed), (time, node, request) -> requests.add(request));
          clientRequests(p, nodes, seed, requests);
        }
        assertFalse(requests.isEmpty(), name + " " + workload + " has no requests");
        for (Object r : requests) {
          assertTrue(p.requestTypes().contains(r.getClass()), name + " " + workload + ": " + r.getClass().getName()
              + " is not among its request types " + p.requestTypes());
          assertEquals(r, codec.decode(codec.encode((Record) r)), name);
        }
      }
    }
  }

  /** The first requests of {@code p}'s clients, if it has clients, and what their replies would be. */
  private static void clientRequests(Protocol<?> p, List<String> nodes, long seed, List<Object> requests) {
    Clients clients = p.clients(nodes, 20, new SplittableRandom(seed));
    if (clients == null) {
      return;
    }
    WireCodec reports = new WireCodec(p.messageType(), p.reportTypes());
    java.util.ArrayDeque<Long> timers = new java.util.ArrayDeque<>();
    Clients.Out out = new Clients.Out() {
      @Override
      public void request(String node, Object request) {
        requests.add(request);
        Command c = ((KvRequest) request).command();
        for (KvReply reply : List.of(KvReply.applied(c, Result.ok(7)), KvReply.notLeader(c, node))) {
          try {
            assertEquals(reply, reports.decode(reports.encode((Record) reply)), p.name() + " reports " + reply);
          } catch (WireCodec.WireException e) {
            throw new AssertionError(p.name() + ": its report " + reply + " does not cross the wire: " + e.getMessage(), e);
          }
        }
      }

      @Override
      public void timer(long delay, long token) {
        timers.add(token);
      }
    };
    clients.start(0, out);
    // Their think times over, and then their timeouts: the first requests, and retries.
    for (int k = 0; k < 50 && !timers.isEmpty(); k++) {
      clients.onTimer(1000L * (k + 1), timers.poll(), out);
    }
  }
}
