package spectrace.tlc;

/**
 * A snapshot of a running model check.
 *
 * @param distinct  distinct states found so far
 * @param generated states generated so far
 * @param queue     states waiting on the queue
 * @param seconds   time since the run started
 */
public record Progress(long distinct, long generated, long queue, double seconds) {

  /** A listener of progress snapshots, called about once a second from a reader thread. */
  @FunctionalInterface
  public interface Listener {
    void onProgress(Progress progress);

    /** A listener that ignores progress. */
    Listener NONE = p -> {};
  }
}
