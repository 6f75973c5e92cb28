package spectrace.core;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * What a runtime needs to know of a protocol: its nodes, its spec, its system model, its
 * workload, and the safety properties the simulator checks after every event.
 *
 * @param <M> the protocol's sealed message type
 */
public interface Protocol<M extends Message> {

  /** The name the command line uses, e.g. {@code twophase}. */
  String name();

  /**
   * The variant of the implementation a run uses, when it is not the protocol's correct one:
   * the name of a deliberately broken mutant (the command line's {@code --mutant NAME}), or
   * null. {@link #name()} stays the protocol's, since the trace is checked against its spec.
   */
  default String variant() {
    return null;
  }

  /**
   * The protocol's sealed message type, for the wire encoding of the TCP runtime: by default
   * the type argument {@code M} with which the protocol's class implements this interface.
   */
  @SuppressWarnings("unchecked")
  default Class<? extends Message> messageType() {
    for (Class<?> c = getClass(); c != null; c = c.getSuperclass()) {
      for (java.lang.reflect.Type t : c.getGenericInterfaces()) {
        if (t instanceof java.lang.reflect.ParameterizedType p && p.getRawType() == Protocol.class
            && p.getActualTypeArguments()[0] instanceof Class<?> m) {
          return (Class<? extends Message>) m;
        }
      }
    }
    throw new IllegalStateException(getClass().getName() + " must override messageType()");
  }

  /** The record types of the workload's requests, which the TCP runtime takes from clients. */
  default List<Class<? extends Record>> requestTypes() {
    return List.of();
  }

  /** The TLA+ module whose actions and variables the implementation's names follow. */
  String specModule();

  /** The system model of the spec. */
  SystemModel model();

  /** The number of nodes of a run when none is given. */
  int defaultNodes();

  /**
   * The ids of a run with {@code n} nodes, as the spec's constants name them.
   *
   * @throws IllegalArgumentException when the protocol cannot run with {@code n} nodes
   */
  List<String> nodeIds(int n);

  /** The spec's constants for these nodes, e.g. {@code RM -> [rm1, rm2]}. */
  Map<String, Object> constants(List<String> nodes);

  /** A new node {@code id}, in a run of {@code nodes}: fresh, or about to recover. */
  ProtocolNode<M> newNode(String id, List<String> nodes);

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
      throw new IllegalArgumentException(name() + " has no workload '" + name + "' (workloads: "
          + String.join(", ", workloads()) + ")");
    }
    workload(nodes, random, schedule);
  }

  /** The spec action that a crash of {@code node} is, or null if the spec has none. */
  default String crashAction(String node) {
    return null;
  }

  /**
   * The parameter of the {@link #crashAction crash action} that names the crashed node
   * ({@code p} for a spec's {@code Crash(p)}), or null when the action takes none
   * (two-phase commit's {@code TMCrash}).
   */
  default String crashParam() {
    return null;
  }

  /**
   * The adversaries a Byzantine node of this protocol may have (see {@link Adversary}), when
   * its model has Byzantine processes: by default the protocol-independent ones.
   */
  default List<Adversary> adversaries() {
    return Adversary.GENERIC;
  }

  /** The safety properties the simulator checks after every event. */
  List<Invariant> invariants();

  /** Where the workload puts requests. */
  @FunctionalInterface
  interface Workload {
    void request(long time, String node, Object request);
  }

  /**
   * A safety property over the nodes' states.
   *
   * @param name  the name of the spec's invariant it mirrors
   * @param check given every node by id, in the run's order (null while a node is down):
   *              null when the property holds, or what is wrong
   */
  record Invariant(String name, Function<Map<String, ProtocolNode<?>>, String> check) {}
}
