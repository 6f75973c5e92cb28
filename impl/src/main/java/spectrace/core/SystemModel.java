package spectrace.core;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A protocol's system model, as its spec states it: which faults may happen, and to which
 * nodes. The simulator injects exactly these faults, and refuses the others.
 *
 * @param description the model in the field's words, e.g. "reliable links; crash-recovery TM"
 * @param lossyLinks  true for fair-loss links (messages may be lost), false for reliable links
 * @param faults      the faults the model allows
 * @param mayCrash    which nodes may crash
 * @param maxDown     how many nodes may be down at once
 */
public record SystemModel(String description, boolean lossyLinks, Set<Fault> faults,
                          Predicate<String> mayCrash, int maxDown) {

  public SystemModel {
    faults = Set.copyOf(faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults));
    if (faults.contains(Fault.LOSS) && !lossyLinks) {
      throw new IllegalArgumentException("message loss needs lossy links");
    }
  }

  /** True when the model allows {@code fault}. */
  public boolean allows(Fault fault) {
    return faults.contains(fault);
  }
}
