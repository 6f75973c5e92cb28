package spectrace.core;

/**
 * Receives the events that woven {@link SpecAction} methods emit. Implemented by the runtime;
 * protocol code never calls it.
 */
public interface Tracer {

  /**
   * The action {@code action} of {@code node} has completed.
   *
   * @param paramNames the action's parameter names, comma-separated (a constant per method)
   * @param params     their values, in the same order
   */
  void action(ProtocolNode<?> node, String action, String paramNames, Object[] params);
}
