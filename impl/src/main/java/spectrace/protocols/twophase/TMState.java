package spectrace.protocols.twophase;

import spectrace.core.SpecValue;

/** The TM's decision, TwoPhase.tla's {@code tmState}. */
public enum TMState implements SpecValue {
  INIT("init"), COMMITTED("committed"), ABORTED("aborted");

  private final String spec;

  TMState(String spec) {
    this.spec = spec;
  }

  @Override
  public String specValue() {
    return spec;
  }

  /** The state the spec names {@code spec}. */
  public static TMState of(String spec) {
    for (TMState s : values()) {
      if (s.spec.equals(spec)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no TM state " + spec);
  }
}
