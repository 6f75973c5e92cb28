package spectrace.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import spectrace.core.Reports;

/**
 * What a replica delivers to its application for each entry it applies, in log order: the
 * entry's index (Raft's log index, VR's op-number) and its command. A replica that restarts
 * applies its log again from index 1.
 */
public record AppliedEntry(int index, Command command) {
  public AppliedEntry {
    if (index < 1) {
      throw new IllegalArgumentException("an applied index is at least 1, not " + index);
    }
  }

  /**
   * What the replicas of a run reported applying, checked: no two apply different commands at
   * one index (the reports of a real run carry the index with the command). One line per
   * disagreement, named by {@code invariant}.
   */
  public static List<String> disagreements(Reports r, String invariant) {
    Map<Integer, Command> at = new TreeMap<>();
    List<String> out = new ArrayList<>();
    for (String node : r.nodes()) {
      for (Object d : r.deliveries().get(node)) {
        if (d instanceof AppliedEntry a) {
          Command before = at.putIfAbsent(a.index(), a.command());
          if (before != null && !before.equals(a.command())) {
            out.add(invariant + ": " + node + " applied " + a.command() + " at index " + a.index() + ", where "
                + before + " was applied");
          }
        }
      }
    }
    return out;
  }

  /**
   * Null once every live replica applied the same number of entries, at least one; otherwise
   * what each applied up to.
   */
  public static String awaiting(Reports r) {
    Map<String, Integer> highest = new TreeMap<>();
    for (String node : r.live()) {
      int max = 0;
      for (Object d : r.deliveries().get(node)) {
        if (d instanceof AppliedEntry a) {
          max = Math.max(max, a.index());
        }
      }
      highest.put(node, max);
    }
    boolean done = !highest.isEmpty() && highest.values().stream().distinct().count() == 1
        && highest.values().iterator().next() > 0;
    return done ? null : "applied up to, per replica: " + highest;
  }
}
