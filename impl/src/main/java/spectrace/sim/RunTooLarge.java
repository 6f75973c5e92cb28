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

  /** A size in bytes, as people write it: 1.5 GiB, 300 MiB, 12 KiB, 900 bytes. */
  public static String size(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format("%.1f GiB", bytes / (double) (1L << 30));
    } else if (bytes >= 1L << 20) {
      return String.format("%.0f MiB", bytes / (double) (1L << 20));
    } else if (bytes >= 1L << 10) {
      return String.format("%.0f KiB", bytes / 1024.0);
    }
    return bytes + " bytes";
  }
}
