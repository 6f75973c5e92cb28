package spectrace.protocols.maekawa;

import spectrace.core.SpecValue;

/** A node's state towards the critical section, Maekawa.tla's {@code state[i]}. */
public enum CsState implements SpecValue {
  /** Neither in the critical section nor asking for it. */
  RELEASED("released"),
  /** Asking for the critical section: collecting its quorum's votes. */
  WANTED("wanted"),
  /** In the critical section. */
  HELD("held");

  private final String spec;

  CsState(String spec) {
    this.spec = spec;
  }

  @Override
  public String specValue() {
    return spec;
  }
}
