package spectrace.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import spectrace.core.Fault;
import spectrace.protocols.broadcast.gossip.GossipBroadcast;
import spectrace.sim.RunResult;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;

/**
 * How many processes push gossip reaches, measured on the simulator with tracing off: for N
 * processes and fanout t, p1 broadcasts one message, seed after seed, and each run counts the
 * processes that deliver it. Which processes a run reaches does not depend on message timing
 * (each process forwards once, on its first copy, to targets it draws), so the runs inject
 * no delay; the lossy runs drop each packet with probability {@link #LOSS}.
 */
final class GossipCoverage {

  /** The probability that a lossy run's link drops a packet. */
  static final double LOSS = 0.1;

  /**
   * One measured point.
   *
   * @param nodes         N, the processes of a run
   * @param fanout        t, to how many processes each forwards the message
   * @param runs          runs measured, with seeds 1 to runs
   * @param coverage      the mean fraction of processes that delivered the message
   * @param everyone      the fraction of runs in which every process delivered it
   * @param lossyCoverage the mean fraction, with each packet lost with probability {@link #LOSS}
   */
  record Point(int nodes, int fanout, int runs, double coverage, double everyone, double lossyCoverage) {

    /** The fanout's distance from the ln N rule: c in t = ln N + c. */
    double c() {
      return fanout - Math.log(nodes);
    }
  }

  private GossipCoverage() {}

  /** The fanouts measured for N processes: 1 to twice ln N, rounded up, and at most N - 1. */
  static List<Integer> fanouts(int nodes) {
    List<Integer> out = new ArrayList<>();
    int top = Math.min(nodes - 1, (int) Math.ceil(2 * Math.log(nodes)));
    for (int t = 1; t <= top; t++) {
      out.add(t);
    }
    return out;
  }

  /** Measures N = {@code nodes} and fanout {@code fanout} over {@code runs} seeds. */
  static Point measure(int nodes, int fanout, int runs) {
    SimConfig.Rates rates = SimConfig.Rates.DEFAULT;
    SimConfig.Rates lossy = new SimConfig.Rates(LOSS, rates.duplicate(), rates.delay(), rates.partition(), rates.crash(),
        rates.loseUnflushed(), rates.latency(), rates.jitter(), rates.longDelay(), rates.faultTick(), rates.downtime(),
        rates.detection());
    double sum = 0;
    double lossySum = 0;
    int everyone = 0;
    for (long seed = 1; seed <= runs; seed++) {
      double covered = covered(nodes, fanout, seed, EnumSet.noneOf(Fault.class), rates);
      sum += covered;
      if (covered == nodes) {
        everyone++;
      }
      lossySum += covered(nodes, fanout, seed, EnumSet.of(Fault.LOSS), lossy);
    }
    return new Point(nodes, fanout, runs, sum / runs / nodes, (double) everyone / runs, lossySum / runs / nodes);
  }

  /** How many processes deliver p1's message in one run. */
  private static int covered(int nodes, int fanout, long seed, Set<Fault> faults, SimConfig.Rates rates) {
    RunResult r = new Simulator(GossipBroadcast.coverage(fanout),
        new SimConfig(seed, nodes, Long.MAX_VALUE, faults, false, false, rates), null).run();
    if (!r.quiescent()) {
      throw new IllegalStateException("a coverage run did not end: N " + nodes + ", fanout " + fanout + ", seed " + seed);
    }
    return r.deliveries().size();
  }

  /** Every fanout of every size, {@code runs} seeds each; {@code progress} hears of each point. */
  static List<Point> sweep(int[] sizes, int runs, java.util.function.Consumer<Point> progress) {
    List<Point> out = new ArrayList<>();
    for (int n : sizes) {
      for (int t : fanouts(n)) {
        Point p = measure(n, t, runs);
        out.add(p);
        progress.accept(p);
      }
    }
    return out;
  }

  /** The ln N rule's prediction of the chance that every process delivers: exp(-N exp(-t)) = exp(-exp(-c)). */
  static double predictedEveryone(int nodes, int fanout) {
    return Math.exp(-nodes * Math.exp(-fanout));
  }

  /**
   * The fraction of processes an infect-and-die epidemic with fanout t reaches in a large
   * system: the positive root of x = 1 - exp(-t x) (0 for t at most 1).
   */
  static double predictedCoverage(double fanout) {
    if (fanout <= 1) {
      return 0;
    }
    double x = 1;
    for (int i = 0; i < 200; i++) {
      x = 1 - Math.exp(-fanout * x);
    }
    return x;
  }
}
