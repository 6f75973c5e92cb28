package spectrace.protocols.vr;

import java.util.List;
import spectrace.kv.Command;

/** What a DoViewChange said, as the new primary keeps it: VR.tla's {@code ViewChangeRecord(j, m)}. */
public record ViewChangeRecord(String from, List<Command> log, int lastNormalView, int commit) {
  public ViewChangeRecord {
    log = List.copyOf(log);
  }
}
