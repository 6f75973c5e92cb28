package spectrace.sim;

/**
 * A run stopped because it outgrew what it may use: the heap, or the trace's room on disk.
 * Not a property of the protocol: the events before the stop are sound, the trace written so
 * far ends with a whole line, and the message says what to change.
 */
public final class RunTooLarge extends RuntimeException {

  /** What the run outgrew. */
  public enum Bound { HEAP, TRACE }

  private final Bound bound;

  RunTooLarge(Bound bound, String message) {
    super(message);
    this.bound = bound;
  }

  /** What the run outgrew. */
  public Bound bound() {
    return bound;
  }
}
