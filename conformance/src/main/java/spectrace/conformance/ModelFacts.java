package spectrace.conformance;

import java.util.List;

/**
 * What TLC reads in a model before it checks it, for a caller that must know ahead: TLC's
 * distributed mode checks no temporal property, applies action constraints too late, and does
 * not read {@code CHECK_DEADLOCK}.
 * Read by {@link SpecLoader#modelFacts}.
 *
 * @param temporalProperties the configuration's properties that are temporal formulas (checked
 *                           by liveness checking), as TLC names them
 * @param actionConstraints  the configuration's {@code ACTION_CONSTRAINT}s, by name
 * @param checkDeadlock      whether a state with no successor is an error ({@code CHECK_DEADLOCK})
 */
public record ModelFacts(List<String> temporalProperties, List<String> actionConstraints, boolean checkDeadlock) {
  public ModelFacts {
    temporalProperties = List.copyOf(temporalProperties);
    actionConstraints = List.copyOf(actionConstraints);
  }
}
