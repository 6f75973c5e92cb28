package spectrace.protocols.broadcast.reliable;

import spectrace.core.Message;
import spectrace.core.Protocol;

/**
 * A protocol of the broadcast family: what every one of its specs says of a crash. A process
 * crashes by the spec's {@code Crash(p)}, an action of the trace that names the crashed process.
 */
public interface BroadcastFamily<M extends Message> extends Protocol<M> {

  @Override
  default String crashAction(String node) {
    return "Crash";
  }

  @Override
  default String crashParam() {
    return "p";
  }
}
