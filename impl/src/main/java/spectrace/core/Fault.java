package spectrace.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The faults the simulator can inject, by the names the command line uses. */
public enum Fault {
  /** A message is lost. Needs lossy (fair-loss) links. */
  LOSS("loss"),
  /** A message is delivered twice. */
  DUPLICATE("duplicate"),
  /** Messages on one link overtake each other. */
  REORDER("reorder"),
  /** A message takes much longer than usual. */
  DELAY("delay"),
  /** The nodes split into two sides; messages across wait for the heal (reliable links) or are lost. */
  PARTITION("partition"),
  /** A node crashes and never recovers. */
  CRASH_STOP("crash-stop"),
  /** A node crashes and recovers: durable state survives, volatile state and unflushed writes are lost. */
  CRASH_RECOVERY("crash-recovery"),
  /** Crashed nodes are reported to every live node by a perfect failure detector. */
  FAIL_STOP("fail-stop"),
  /**
   * A node that crashes loses some of the messages it sent that are still in transit: a link
   * promises delivery only while its sender is correct (perfect links, for one). Its effect
   * is that of a crash in the middle of sending a batch. Needs crashes.
   */
  SENDER_CRASH_LOSS("sender-crash-loss"),
  /**
   * Up to the model's bound of nodes are Byzantine from the start: each step's messages come
   * from an {@link Adversary} the run chooses by its seed, not from the node's own code.
   * Needs Byzantine processes.
   */
  BYZANTINE("byzantine");

  private final String word;

  Fault(String word) {
    this.word = word;
  }

  /** The command line's name for the fault. */
  public String word() {
    return word;
  }

  /** The fault named {@code word}. */
  public static Fault of(String word) {
    for (Fault f : values()) {
      if (f.word.equals(word)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + word + "' (faults: " + names() + ")");
  }

  /** Every fault's name, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(Fault::word).collect(Collectors.joining(", "));
  }
}
