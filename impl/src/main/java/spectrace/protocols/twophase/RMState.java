package spectrace.protocols.twophase;

import spectrace.core.SpecValue;

/** A resource manager's state, TwoPhase.tla's {@code rmState[rm]}. */
public enum RMState implements SpecValue {
  WORKING("working"), PREPARED("prepared"), COMMITTED("committed"), ABORTED("aborted");

  private final String spec;

  RMState(String spec) {
    this.spec = spec;
  }

  @Override
  public String specValue() {
    return spec;
  }
}
