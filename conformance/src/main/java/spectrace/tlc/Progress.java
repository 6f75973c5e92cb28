package spectrace.tlc;

/**
 * A snapshot of a running model check. A simulation (TLC's simulation mode) finds no distinct
 * states: its {@code distinct} is -1, and {@code queue} counts the behaviours checked so far.
 *
 * @param distinct  distinct states found so far, or -1 in a simulation
 * @param generated states generated so far
 * @param queue     states waiting on the queue, or a simulation's behaviours so far
 * @param seconds   time since the run started
 */
public record Progress(long distinct, long generated, long queue, double seconds) {

  /** True for a simulation's progress. */
  public boolean simulation() {
    return distinct < 0;
  }

  /** A listener of progress snapshots, called about once a second from a reader thread. */
  @FunctionalInterface
  public interface Listener {
    void onProgress(Progress progress);

    /** A listener that ignores progress. */
    Listener NONE = p -> {};
  }
}
