package spectrace.core;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The client requests a protocol's runs are given, by name: one protocol's own, or shared by
 * several (the replicated key-value store's clients drive Raft, VR and PBFT alike).
 */
public interface Workloads {

  /** Where a workload puts requests. */
  @FunctionalInterface
  interface Workload {
    void request(long time, String node, Object request);
  }

  /** The client requests of a run: {@code schedule.request(time, node, request)} for each. */
  void workload(List<String> nodes, SplittableRandom random, Workload schedule);

  /** The names of the workloads {@link #workload(String, List, SplittableRandom, Workload)} knows. */
  default List<String> workloads() {
    return List.of("default");
  }

  /**
   * The workload named {@code name}: {@code default} is {@link #workload(List, SplittableRandom, Workload)}.
   *
   * @throws IllegalArgumentException for a name not in {@link #workloads()}
   */
  default void workload(String name, List<String> nodes, SplittableRandom random, Workload schedule) {
    if (!name.equals("default")) {
      throw new IllegalArgumentException("no workload '" + name + "' (workloads: " + String.join(", ", workloads())
          + ")");
    }
    workload(nodes, random, schedule);
  }

  /** The record types of the requests, which the TCP runtime takes from clients. */
  default List<Class<? extends Record>> requestTypes() {
    return List.of();
  }
}
