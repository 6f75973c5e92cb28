package spectrace.protocols.vr;

import spectrace.core.SpecValue;

/** A replica's status, VR.tla's {@code status[i]} (VRR §4). */
public enum VrStatus implements SpecValue {
  NORMAL("normal"), VIEW_CHANGE("view-change"), RECOVERING("recovering");

  private final String spec;

  VrStatus(String spec) {
    this.spec = spec;
  }

  @Override
  public String specValue() {
    return spec;
  }
}
