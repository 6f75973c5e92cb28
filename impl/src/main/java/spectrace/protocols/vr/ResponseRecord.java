package spectrace.protocols.vr;

import java.util.List;
import spectrace.kv.Command;

/** A RecoveryResponse, as the recovering replica keeps it: an element of VR.tla's {@code recoveryResponses[i]}. */
public record ResponseRecord(String from, int view, boolean primary, List<Command> log, int commit) {
  public ResponseRecord {
    log = List.copyOf(log);
  }
}
