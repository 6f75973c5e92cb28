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

  /**
   * A worker of a distributed run and its share so far.
   *
   * @param worker   the worker's address, as TLC names it ({@code rmi://host:port})
   * @param sent     states the server handed it to explore
   * @param returned successor states it sent back
   */
  public record Share(String worker, long sent, long returned) {}

  /** A listener of progress snapshots, called about once a second from a reader thread. */
  @FunctionalInterface
  public interface Listener {
    void onProgress(Progress progress);

    /** A distributed run's workers and their shares, about once a second (none connected: empty). */
    default void onWorkers(java.util.List<Share> shares) {}

    /**
     * What happened to a distributed run, as a line for its user: the server waits for
     * workers, a worker joined, a worker was lost.
     */
    default void onEvent(String event) {}

    /** A listener that ignores progress. */
    Listener NONE = p -> {};
  }
}
