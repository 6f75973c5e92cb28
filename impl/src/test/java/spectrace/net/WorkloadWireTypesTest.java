package spectrace.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;

/**
 * Regression: {@code ./spectrace cluster beb} waited 31 s and said "undecided", its nodes
 * logging {@code unknown type 'BroadcastRequest' (known: Data)}: the broadcast family and
 * Maekawa declared no request types, so the TCP runtime could not decode their workloads.
 * Every request of every workload of every protocol must be a declared request type and cross
 * the wire unchanged.
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
}
