package spectrace.sim;

import java.util.Map;
import java.util.SortedMap;

/**
 * What a simulated run did.
 *
 * @param events      events of the run: node starts, message deliveries, timers, requests, crashes,
 *                    recoveries, failure notifications, partitions and heals (not the fault
 *                    injector's ticks, which are its own work)
 * @param actions     spec actions the nodes completed, crashes the spec names included; counted
 *                    only when tracing (the woven code reports actions only then), 0 otherwise
 * @param endTime     the virtual time of the last event, in ticks
 * @param faults      faults injected, by name
 * @param decisions   each node's decisions, in order, by node
 * @param deliveries  how many values each node delivered
 * @param quiescent   true when the run ended because nothing was left to happen
 */
public record RunResult(long events, long actions, long endTime, SortedMap<String, Long> faults,
                        SortedMap<String, java.util.List<Object>> decisions, SortedMap<String, Long> deliveries,
                        boolean quiescent) {

  /** Faults injected in all. */
  public long faultCount() {
    return faults.values().stream().mapToLong(Long::longValue).sum();
  }

  /** How many times {@code fault} was injected. */
  public long faults(String fault) {
    return faults.getOrDefault(fault, 0L);
  }

  /** The decisions of every node, as {@code node: d1 d2}. */
  public Map<String, java.util.List<Object>> decisionsByNode() {
    return decisions;
  }
}
