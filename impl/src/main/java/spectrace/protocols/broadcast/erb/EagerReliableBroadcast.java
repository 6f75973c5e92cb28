package spectrace.protocols.broadcast.erb;

import java.util.EnumSet;
import java.util.List;
import spectrace.core.Fault;
import spectrace.core.ProtocolNode;
import spectrace.core.SystemModel;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastProtocol;

/**
 * Eager reliable broadcast, {@code erb} (specs/broadcast/EagerReliableBroadcast.tla):
 * processes {@code p1..pN}, any of which may crash. Validity, no duplication, no creation and
 * agreement, at the cost of every process relaying every message.
 */
public class EagerReliableBroadcast extends BroadcastProtocol {

  static final SystemModel MODEL = new SystemModel(
      "perfect links (delayed, reordered, held by partitions; never lost between correct processes, never"
          + " duplicated); crash-stop, up to " + MAX_CRASHES + " processes a run; a crashed sender's messages in"
          + " transit may be lost",
      SystemModel.Links.perfect(),
      EnumSet.of(SystemModel.Failure.CRASH_STOP),
      SystemModel.Timing.ASYNCHRONOUS,
      EnumSet.of(Fault.REORDER, Fault.DELAY, Fault.PARTITION, Fault.CRASH_STOP, Fault.SENDER_CRASH_LOSS),
      p -> true,
      MAX_CRASHES);

  @Override
  public String name() {
    return "erb";
  }

  @Override
  public String specModule() {
    return "EagerReliableBroadcast";
  }

  @Override
  public SystemModel model() {
    return MODEL;
  }

  @Override
  protected int faultBound(int n) {
    return Math.min(MAX_CRASHES, n);
  }

  @Override
  public ProtocolNode<BroadcastMessage> newNode(String id, List<String> nodes) {
    return newProcess(id, nodes);
  }

  /** A process of a run (a test may override it). */
  protected EagerProcess newProcess(String id, List<String> nodes) {
    return new EagerProcess(id, nodes, MAX_BCAST);
  }
}
