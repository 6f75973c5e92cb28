package spectrace.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the nodes of a real run reported to their driver, and what the driver gave them: the
 * facts a run over TCP can be judged by, where a simulated run would look at the nodes'
 * states. {@link Workloads#awaiting} and {@link Workloads#violations} judge them.
 *
 * @param nodes      every node of the run, in the run's order
 * @param requests   per node, the client requests it was given, in order
 * @param deliveries per node, the values it reported delivered, in order (decoded with
 *                   {@link Workloads#reportTypes()}, a plain string otherwise)
 * @param decisions  per node, the values it reported decided, in order
 * @param crashed    the nodes down for good (crash-stop), which a liveness property leaves out
 */
public record Reports(List<String> nodes, Map<String, List<Object>> requests, Map<String, List<Object>> deliveries,
                      Map<String, List<Object>> decisions, Set<String> crashed) {

  public Reports {
    nodes = List.copyOf(nodes);
    requests = copy(nodes, requests);
    deliveries = copy(nodes, deliveries);
    decisions = copy(nodes, decisions);
    crashed = Set.copyOf(crashed);
  }

  private static Map<String, List<Object>> copy(List<String> nodes, Map<String, List<Object>> m) {
    Map<String, List<Object>> out = new TreeMap<>();
    for (String n : nodes) {
      out.put(n, List.copyOf(m.getOrDefault(n, List.of())));
    }
    return out;
  }

  /** The nodes not down for good, in the run's order. */
  public List<String> live() {
    List<String> live = new ArrayList<>();
    for (String n : nodes) {
      if (!crashed.contains(n)) {
        live.add(n);
      }
    }
    return live;
  }

  /** The requests node {@code node} was given that are of type {@code type}. */
  public long requests(String node, Class<?> type) {
    return requests.get(node).stream().filter(type::isInstance).count();
  }
}
