package spectrace.core;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A protocol's system model, as its spec states it: its links, how its processes may fail and
 * how many, its timing, and so which faults the simulator may inject. The simulator injects
 * exactly these faults, and refuses the others; the constructor refuses a fault the links or
 * the processes of the model cannot have (a loss on perfect links, a recovery in a crash-stop
 * model).
 *
 * @param description the model in the field's words, e.g. "reliable links; crash-recovery TM"
 * @param links       what a link promises
 * @param failures    how the processes may fail (none: every process is correct)
 * @param timing      what the model assumes of time
 * @param faults      the faults the simulator may inject in a run of this model
 * @param mayFail     which nodes may fail (crash, or turn Byzantine)
 * @param maxFaulty   how many nodes may be faulty at once: down, or Byzantine (the bound
 *                    {@code f})
 */
public record SystemModel(String description, Links links, Set<Failure> failures, Timing timing, Set<Fault> faults,
                          Predicate<String> mayFail, int maxFaulty) {

  /** What a link between two processes promises. */
  public enum Delivery {
    /**
     * Fair-loss: a message may be lost, duplicated, delayed and reordered; one sent infinitely
     * often is delivered infinitely often.
     */
    FAIR_LOSS,
    /**
     * Reliable: a message between correct processes is never lost, but may be duplicated,
     * delayed and reordered.
     */
    RELIABLE,
    /** Perfect: a message between correct processes is delivered exactly once. */
    PERFECT
  }

  /**
   * A model's links.
   *
   * @param delivery      what a link promises of delivery
   * @param authenticated true when a receiver knows the true sender of every message: no
   *                      process, Byzantine or not, can send a message under another's name
   */
  public record Links(Delivery delivery, boolean authenticated) {
    /** Fair-loss links. */
    public static Links fairLoss() {
      return new Links(Delivery.FAIR_LOSS, false);
    }

    /** Reliable links, which may duplicate. */
    public static Links reliable() {
      return new Links(Delivery.RELIABLE, false);
    }

    /** Perfect links. */
    public static Links perfect() {
      return new Links(Delivery.PERFECT, false);
    }

    /** The same links, authenticated. */
    public Links authenticate() {
      return new Links(delivery, true);
    }

    @Override
    public String toString() {
      return (authenticated ? "authenticated " : "") + delivery.name().toLowerCase().replace('_', '-') + " links";
    }
  }

  /** How a process may fail. */
  public enum Failure {
    /** It halts and never takes another step. */
    CRASH_STOP,
    /** It halts, and may later recover with its durable state (what it had flushed). */
    CRASH_RECOVERY,
    /** It halts, and may later recover with no state at all: its storage is lost too. */
    CRASH_AMNESIA,
    /** It halts and never recovers, and a perfect failure detector tells every live process. */
    FAIL_STOP,
    /** It sends whatever an adversary chooses (up to {@code maxFaulty} such processes). */
    BYZANTINE
  }

  /** What the model assumes of time. */
  public enum Timing {
    /** No bound on message delay or on the relative speed of processes. */
    ASYNCHRONOUS,
    /** Bounds exist but hold only after an unknown global stabilization time. */
    PARTIALLY_SYNCHRONOUS,
    /** Known bounds on message delay and on processing: no message is held or delayed past them. */
    SYNCHRONOUS
  }

  public SystemModel {
    failures = failures.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(failures));
    faults = faults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(faults));
    if (maxFaulty < 0) {
      throw new IllegalArgumentException("maxFaulty must be at least 0, not " + maxFaulty);
    }
    for (Fault f : faults) {
      String missing = needs(f, links, failures, timing, maxFaulty);
      if (missing != null) {
        throw new IllegalArgumentException("the fault '" + f.word() + "' needs " + missing);
      }
    }
  }

  /** What fault {@code f} needs that the model lacks, or null. */
  private static String needs(Fault f, Links links, Set<Failure> failures, Timing timing, int maxFaulty) {
    boolean crashes = failures.contains(Failure.CRASH_STOP) || failures.contains(Failure.CRASH_RECOVERY)
        || failures.contains(Failure.CRASH_AMNESIA) || failures.contains(Failure.FAIL_STOP);
    return switch (f) {
      case LOSS -> links.delivery() == Delivery.FAIR_LOSS ? null : "fair-loss links, not " + links;
      case DUPLICATE -> links.delivery() != Delivery.PERFECT ? null : "links that may duplicate, not " + links;
      case REORDER -> null;
      case DELAY, PARTITION -> timing != Timing.SYNCHRONOUS ? null : "a model that is not synchronous";
      case CRASH_STOP -> failures.contains(Failure.CRASH_STOP) ? null : "crash-stop processes";
      case CRASH_RECOVERY -> failures.contains(Failure.CRASH_RECOVERY) || failures.contains(Failure.CRASH_AMNESIA)
          ? null : "processes that crash and recover";
      case FAIL_STOP -> failures.contains(Failure.FAIL_STOP) ? null : "fail-stop processes";
      case SENDER_CRASH_LOSS -> crashes ? null : "processes that crash";
      case BYZANTINE -> failures.contains(Failure.BYZANTINE) && maxFaulty > 0 ? null
          : "Byzantine processes, at least one (maxFaulty > 0)";
    };
  }

  /** True when the model allows {@code fault}. */
  public boolean allows(Fault fault) {
    return faults.contains(fault);
  }

  /** True for fair-loss links: a message may be lost (and a partition loses what crosses it). */
  public boolean lossyLinks() {
    return links.delivery() == Delivery.FAIR_LOSS;
  }

  /**
   * True when a crash-recovery loses the node's storage too: the model's processes recover
   * with no state ({@link Failure#CRASH_AMNESIA}), and none recover with it.
   */
  public boolean recoversWithoutState() {
    return failures.contains(Failure.CRASH_AMNESIA) && !failures.contains(Failure.CRASH_RECOVERY);
  }
}
