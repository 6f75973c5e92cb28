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

  /**
   * The clients of a replicated service, which react to its replies ({@link Clients}), made
   * afresh for a run of {@code nodes} with the seeded {@code random}: they invoke
   * {@code operations} operations in all, or keep going until the runtime ends them when it is
   * {@link Clients#UNBOUNDED}. Null (the default) for a protocol whose requests are all
   * scheduled ahead by {@link #workload}. A runtime that gets clients runs them besides the
   * workload's requests.
   */
  default Clients clients(List<String> nodes, long operations, SplittableRandom random) {
    return null;
  }

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

  /**
   * The record types of the values its nodes deliver or decide, which a real runtime reports
   * in the wire encoding so that its driver can judge them ({@link #violations}): none by
   * default, and a driver sees each value as its text.
   */
  default List<Class<? extends Record>> reportTypes() {
    return List.of();
  }

  /**
   * What a run of this workload still waits for, judged from what its nodes reported: null
   * once every request it was given has been served as the protocol promises (every
   * broadcast delivered by every live node, every node decided, every critical section
   * entered), or else what is missing, naming the node and the value. A real runtime's driver
   * ends its round when this is null, and says why when the round times out.
   *
   * <p>By default a run is over when every live node has decided at least once.
   */
  default String awaiting(Reports r) {
    List<String> undecided = r.live().stream().filter(n -> r.decisions().get(n).isEmpty()).toList();
    return undecided.isEmpty() ? null : String.join(", ", undecided) + (undecided.size() == 1 ? " has" : " have")
        + " not decided";
  }

  /**
   * The safety properties a finished run's reports must have, the protocol's own (those its
   * simulator checks on the nodes' states, applied to what the nodes reported): one line per
   * violation, none when they hold. By default: no node decides two different values, and no
   * two nodes decide differently.
   */
  default List<String> violations(Reports r) {
    java.util.Set<Object> values = new java.util.LinkedHashSet<>();
    r.decisions().values().forEach(values::addAll);
    return values.size() <= 1 ? List.of() : List.of("the nodes decided differently: " + r.decisions());
  }

  /**
   * A critical section that at most one node may be in at a time, named by the spec actions
   * that enter and leave it: a real runtime's driver checks it on the nodes' traces, whose
   * vector clocks order any two stays (reports, with no common clock, cannot). None by default.
   *
   * @param enter     the action that enters the section
   * @param exit      the action that leaves it
   * @param invariant the spec's name for the property
   */
  record CriticalSection(String enter, String exit, String invariant) {}

  /** The protocol's critical section, if it has one ({@link CriticalSection}). */
  default java.util.Optional<CriticalSection> criticalSection() {
    return java.util.Optional.empty();
  }
}
