package spectrace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import spectrace.conformance.TraceEvent;
import spectrace.conformance.TraceException;
import spectrace.conformance.TraceReader;

/**
 * Mutual exclusion over a real run's traces, by their vector clocks: for any two stays in the
 * critical section by different nodes, one left before the other entered (its exit happened
 * before the other's entry). The merged trace that validation checks is one order of the
 * events, in which the spec's MutualExclusionInv holds; this holds in every order the clocks
 * allow, so two stays that were concurrent are caught even where the merge put them apart.
 */
final class CriticalSections {

  private CriticalSections() {}

  /**
   * A node's stay in the critical section.
   *
   * @param node  the node
   * @param enter the clock of its entry
   * @param exit  the clock of its exit, or null if it never left
   * @param where the entry's file and line
   */
  record Stay(String node, Map<String, Long> enter, Map<String, Long> exit, String where) {}

  /**
   * What the traces show.
   *
   * @param stays    every stay, in the order read
   * @param overlaps one line per two stays that may have been at once
   */
  record Result(List<Stay> stays, List<String> overlaps) {}

  /** Reads the stays between the actions {@code enter} and {@code exit} of each node in {@code traces}. */
  static Result check(List<Path> traces, String enter, String exit) throws TraceException {
    List<Stay> stays = new ArrayList<>();
    for (Path p : traces) {
      try (TraceReader r = new TraceReader(p)) {
        Map<String, Stay> open = new java.util.HashMap<>();
        for (TraceEvent e; (e = r.next()) != null; ) {
          if (!e.isAction() || e.node() == null) {
            continue;
          }
          if (enter.equals(e.action())) {
            open.put(e.node(), new Stay(e.node(), e.vc(), null, e.where()));
          } else if (exit.equals(e.action()) && open.containsKey(e.node())) {
            Stay s = open.remove(e.node());
            stays.add(new Stay(s.node(), s.enter(), e.vc(), s.where()));
          }
        }
        stays.addAll(open.values());
      } catch (java.io.IOException e) {
        throw new TraceException(p + ": cannot read (" + e.getMessage() + ")");
      }
    }
    List<String> overlaps = new ArrayList<>();
    for (int i = 0; i < stays.size(); i++) {
      for (int j = i + 1; j < stays.size(); j++) {
        Stay s = stays.get(i);
        Stay t = stays.get(j);
        if (!s.node().equals(t.node()) && !before(s, t) && !before(t, s)) {
          overlaps.add(s.node() + " (entered at " + s.where() + ") and " + t.node() + " (entered at " + t.where()
              + ") may have been in the critical section at once: neither left before the other entered");
        }
      }
    }
    return new Result(stays, overlaps);
  }

  /** True when {@code s} ended before {@code t} began: s's exit happened before t's entry. */
  private static boolean before(Stay s, Stay t) {
    if (s.exit() == null || s.exit().isEmpty() || t.enter().isEmpty()) {
      return false;
    }
    for (Map.Entry<String, Long> c : s.exit().entrySet()) {
      if (c.getValue() > t.enter().getOrDefault(c.getKey(), 0L)) {
        return false;
      }
    }
    return true;
  }
}
