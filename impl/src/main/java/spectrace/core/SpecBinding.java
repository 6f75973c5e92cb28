package spectrace.core;

import java.util.List;
import java.util.Map;

/**
 * How a protocol's runs are named in its TLA+ spec: the module, the node ids as the spec's
 * constants name them, the constants of a run, and the spec action a crash is. The trace of a
 * run is checked against this module with these constants.
 */
public interface SpecBinding {

  /** The TLA+ module whose actions and variables the implementation's names follow. */
  String specModule();

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
   * The most nodes of a run of {@code nodes} that may be faulty at once, where the spec's bound
   * depends on the run's size (VR: F of 2F+1); the system model's {@code maxFaulty} applies too.
   */
  default int maxFaulty(int nodes) {
    return Integer.MAX_VALUE;
  }

  /**
   * Whether {@code node}, up and running, still counts among the faulty: VR's recovering
   * replica, which the spec's failure assumption counts with the crashed ones until its recovery
   * completes. No runtime crashes a node while the crashed and these reach the bound.
   */
  default boolean stillFaulty(ProtocolNode<?> node) {
    return false;
  }
}
