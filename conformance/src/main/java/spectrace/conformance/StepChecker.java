package spectrace.conformance;

/**
 * Checks a trace's events, one at a time, against a spec: the frontier of candidate spec
 * states. Implemented inside a spec's own class loader ({@link SpecLoader}); this interface
 * and the records it takes are shared with the caller.
 */
public interface StepChecker extends AutoCloseable {

  /**
   * Takes one event: null while some candidate state agrees with the trace so far, or the
   * divergence at this event, after which the checker must not be used again.
   *
   * @throws TraceException for bad input at this event: an unknown action or variable, a
   *     parameter the action does not have, a value of the wrong type
   */
  Divergence step(TraceEvent event) throws TraceException;

  /**
   * By the trace's own account, no copy of these messages is in transit any more: every copy
   * sent was received or lost, so no later event receives one (until one is sent again). Each
   * is {@code [from, to, msg]}, msg as logged. A checker may forget them; by default it keeps
   * them.
   */
  default void noneInTransit(java.util.List<java.util.List<Object>> messages) {}

  /** The number of candidate states now. */
  int frontier();

  /** Starts over, for another trace with the same header: the frontier is the initial states again. */
  void restart();

  @Override
  void close();
}
