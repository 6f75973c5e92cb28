package spectrace.sim;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import spectrace.core.Fault;

/**
 * One simulated run's settings.
 *
 * @param seed       the seed: one seed is one run, byte for byte
 * @param nodes      the number of nodes
 * @param maxSteps   the run stops after this many events
 * @param faults     the faults to inject (each must be allowed by the protocol's system model)
 * @param keepGoing  keep injecting crashes and partitions after the protocol has gone quiet,
 *                   until {@code maxSteps} (long runs); otherwise the run ends when quiet
 * @param checkInvariants check the protocol's safety properties after every event
 * @param rates      how often each fault strikes
 */
public record SimConfig(long seed, int nodes, long maxSteps, Set<Fault> faults, boolean keepGoing,
                        boolean checkInvariants, Rates rates) {

  public SimConfig {
    faults = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be at least 1");
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("steps must be at least 1");
    }
  }

  /**
   * Fault rates: probabilities per message ({@code loss}, {@code duplicate}, {@code delay}) or
   * per fault tick ({@code partition}, {@code crash}), and the timings in ticks.
   */
  public record Rates(double loss, double duplicate, double delay, double partition, double crash,
                      double loseUnflushed, long latency, long jitter, long longDelay, long faultTick,
                      long downtime, long detection) {

    /** The rates the command line uses. */
    public static final Rates DEFAULT = new Rates(0.1, 0.1, 0.05, 0.2, 0.15, 0.5, 10, 40, 400, 25, 150, 30);
  }

  /** The faults as the command line writes them, e.g. {@code duplicate,reorder}; "none" for none. */
  public String faultList() {
    return faults.isEmpty() ? "none" : faults.stream().map(Fault::word).collect(Collectors.joining(","));
  }
}
