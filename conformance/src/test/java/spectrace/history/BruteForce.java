package spectrace.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The definition of linearizability, checked by brute force for the tests: every subset of the
 * optional operations, every order of the chosen operations that respects real time, run through
 * the model. No memoization, no pruning, no just-in-time list: an oracle independent of {@link Search}.
 */
final class BruteForce {

  private BruteForce() {}

  /** Whether every key's operations of {@code h} have a linearization (fail ones left out, info ones optional). */
  static boolean linearizable(History h) {
    Map<String, List<Operation>> byKey = new java.util.LinkedHashMap<>();
    for (Operation op : h.operations()) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    for (List<Operation> part : byKey.values()) {
      List<Operation> required = new ArrayList<>();
      List<Operation> optional = new ArrayList<>();
      for (Operation op : part) {
        if (op.completion() == Operation.Completion.OK) {
          required.add(op);
        } else if (op.completion() == Operation.Completion.INFO) {
          optional.add(op);
        }
      }
      if (!linearizable(required, optional)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the required operations, with some subset of the optional ones (each taking effect
   * within its own interval, with its result unknown), have a linearization.
   */
  static boolean linearizable(List<Operation> required, List<Operation> optional) {
    if (optional.size() > 16) {
      throw new IllegalArgumentException("too many optional operations for brute force: " + optional.size());
    }
    KvModel model = new KvModel();
    for (int mask = 0; mask < 1 << optional.size(); mask++) {
      List<Operation> chosen = new ArrayList<>(required);
      List<Boolean> unknown = new ArrayList<>();
      required.forEach(r -> unknown.add(false));
      for (int i = 0; i < optional.size(); i++) {
        if ((mask >> i & 1) == 1) {
          chosen.add(optional.get(i));
          unknown.add(true);
        }
      }
      if (order(model, chosen, unknown, new boolean[chosen.size()], 0, model.init())) {
        return true;
      }
    }
    return false;
  }

  private static boolean order(KvModel model, List<Operation> ops, List<Boolean> unknown, boolean[] placed, int count,
      Map<String, Long> state) {
    if (count == ops.size()) {
      return true;
    }
    for (int i = 0; i < ops.size(); i++) {
      if (placed[i]) {
        continue;
      }
      boolean ready = true;
      for (int j = 0; j < ops.size() && ready; j++) {
        ready = placed[j] || j == i || !(ops.get(j).ret() < ops.get(i).invoke());
      }
      if (!ready) {
        continue;
      }
      Map<String, Long> after = unknown.get(i) ? model.stepUnknown(state, ops.get(i)) : model.step(state, ops.get(i));
      if (after == null) {
        continue;
      }
      placed[i] = true;
      if (order(model, ops, unknown, placed, count + 1, after)) {
        return true;
      }
      placed[i] = false;
    }
    return false;
  }
}
