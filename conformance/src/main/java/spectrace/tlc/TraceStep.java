package spectrace.tlc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One state of a counterexample as TLC printed it.
 *
 * @param number    the state's position in the behaviour, from 1
 * @param action    the action that produced it: {@code Initial predicate}, an action name,
 *                  {@code Stuttering}, or {@code Back to state N}
 * @param location  {@code Module.tla:line:col} of the action's definition, or null
 * @param variables each variable's value, in TLA+ syntax, in TLC's order (empty for
 *                  stuttering and back-to-state steps)
 */
public record TraceStep(int number, String action, String location, Map<String, String> variables) {

  public TraceStep {
    variables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables));
  }

  /** The variables whose value differs from {@code previous} (all of them when it is null). */
  public Map<String, String> changedSince(TraceStep previous) {
    Map<String, String> changed = new LinkedHashMap<>();
    variables.forEach((name, value) -> {
      if (previous == null || !value.equals(previous.variables().get(name))) {
        changed.put(name, value);
      }
    });
    return changed;
  }
}
