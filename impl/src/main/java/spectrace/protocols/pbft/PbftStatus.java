package spectrace.protocols.pbft;

import spectrace.core.SpecValue;

/** A replica's status, PBFT.tla's {@code status[r]}. */
public enum PbftStatus implements SpecValue {
  /** In its view, taking part in the normal case. */
  NORMAL("normal"),
  /** It sent a VIEW-CHANGE for its view and waits for the NEW-VIEW. */
  VIEW_CHANGE("view-change");

  private final String spec;

  PbftStatus(String spec) {
    this.spec = spec;
  }

  @Override
  public String specValue() {
    return spec;
  }
}
