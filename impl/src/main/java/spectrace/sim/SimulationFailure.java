package spectrace.sim;

/**
 * A safety property failed in a simulated run. The message names the property, the event,
 * the seed, and the command that replays the run.
 */
public final class SimulationFailure extends RuntimeException {

  private final long seed;
  private final String replay;

  SimulationFailure(String message, long seed, String replay) {
    super(message + "\n  seed " + seed + "; replay with: " + replay);
    this.seed = seed;
    this.replay = replay;
  }

  /** The seed of the failing run. */
  public long seed() {
    return seed;
  }

  /** The command line that replays the failing run. */
  public String replay() {
    return replay;
  }
}
