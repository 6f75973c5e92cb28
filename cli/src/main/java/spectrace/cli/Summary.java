package spectrace.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One short line for what the nodes of a run decided or delivered, however many nodes and
 * decisions it had: node by node for a few nodes, counted per value with the first nodes
 * for many.
 */
final class Summary {

  /** Up to this many nodes are listed one by one. */
  static final int LISTED = 8;

  private Summary() {}

  /**
   * The decisions of {@code byNode}, nodes in the order of {@code nodes}: each value once per
   * node, however often the node decided it ({@code tm committed}, not four times), e.g.
   * {@code rm1 aborted, rm2 aborted, tm aborted}, or {@code aborted by 31 nodes (tm, rm1, rm2, ...)}.
   */
  static <V> String decisions(List<String> nodes, Map<String, ? extends List<V>> byNode, Function<V, String> word) {
    Map<String, Set<String>> values = new LinkedHashMap<>();
    for (String n : order(nodes, byNode.keySet())) {
      List<V> decided = byNode.get(n);
      if (decided != null && !decided.isEmpty()) {
        Set<String> distinct = new LinkedHashSet<>();
        decided.forEach(v -> distinct.add(word.apply(v)));
        values.put(n, distinct);
      }
    }
    if (values.isEmpty()) {
      return "none";
    }
    if (values.size() <= LISTED) {
      List<String> parts = new ArrayList<>();
      values.forEach((n, v) -> parts.add(n + " " + String.join(" then ", v)));
      return String.join(", ", parts);
    }
    Map<String, List<String>> byValue = new LinkedHashMap<>();
    values.forEach((n, vs) -> vs.forEach(v -> byValue.computeIfAbsent(v, k -> new ArrayList<>()).add(n)));
    List<String> parts = new ArrayList<>();
    byValue.forEach((v, ns) -> parts.add(v + " by " + some(ns)));
    return String.join("; ", parts);
  }

  /**
   * Counts per node, e.g. {@code p1 3, p2 3, p3 2}, or for many nodes
   * {@code 2,997 at 1,000 nodes, 2 to 3 each}.
   */
  static String counts(List<String> nodes, Map<String, Long> byNode) {
    List<String> order = order(nodes, byNode.keySet());
    if (order.size() <= LISTED) {
      List<String> parts = new ArrayList<>();
      order.forEach(n -> parts.add(n + " " + byNode.get(n)));
      return String.join(", ", parts);
    }
    long total = 0;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (String n : order) {
      long c = byNode.get(n);
      total += c;
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    return String.format("%,d at %,d nodes, %s each", total, order.size(),
        min == max ? String.format("%,d", min) : String.format("%,d to %,d", min, max));
  }

  /** {@code n nodes (a, b, c, ...)}, or the nodes themselves when they are few. */
  private static String some(List<String> nodes) {
    if (nodes.size() <= 3) {
      return String.join(", ", nodes);
    }
    return String.format("%,d nodes (%s, ...)", nodes.size(), String.join(", ", nodes.subList(0, 3)));
  }

  /** The keys, in the order of {@code nodes}, then any that it does not name. */
  private static List<String> order(List<String> nodes, Set<String> keys) {
    List<String> out = new ArrayList<>();
    for (String n : nodes) {
      if (keys.contains(n)) {
        out.add(n);
      }
    }
    for (String k : keys) {
      if (!out.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }
}
