package spectrace.protocols.broadcast.urb;

import java.util.EnumSet;
import java.util.List;
import spectrace.core.Fault;
import spectrace.core.ProtocolNode;
import spectrace.core.SystemModel;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastProtocol;

/**
 * Majority-ack uniform reliable broadcast, {@code urb}
 * (specs/broadcast/UniformReliableBroadcast.tla): processes {@code p1..pN}, N at least 3, of
 * which fewer than half may crash (the spec's FaultBound, 2F < N); the simulator crashes at
 * most {@link #F} a run. Validity, no duplication, no creation and uniform agreement.
 */
public class UniformReliableBroadcast extends BroadcastProtocol {

  /** {@code F}: the most processes a run crashes; 2F < N needs N at least 3. */
  public static final int F = 1;

  static final SystemModel MODEL = new SystemModel(
      "perfect links (delayed, reordered, held by partitions; never lost between correct processes, never"
          + " duplicated); crash-stop, at most " + F + " process a run, fewer than half; a crashed sender's messages"
          + " in transit may be lost",
      SystemModel.Links.perfect(),
      EnumSet.of(SystemModel.Failure.CRASH_STOP),
      SystemModel.Timing.ASYNCHRONOUS,
      EnumSet.of(Fault.REORDER, Fault.DELAY, Fault.PARTITION, Fault.CRASH_STOP, Fault.SENDER_CRASH_LOSS),
      p -> true,
      F);

  @Override
  public String name() {
    return "urb";
  }

  @Override
  public String specModule() {
    return "UniformReliableBroadcast";
  }

  @Override
  public SystemModel model() {
    return MODEL;
  }

  @Override
  protected int minNodes() {
    return 2 * F + 1;
  }

  @Override
  protected int faultBound(int n) {
    return F;
  }

  @Override
  public ProtocolNode<BroadcastMessage> newNode(String id, List<String> nodes) {
    return newProcess(id, nodes);
  }

  /** A process of a run (a test may override it). */
  protected MajorityAckProcess newProcess(String id, List<String> nodes) {
    return new MajorityAckProcess(id, nodes, MAX_BCAST);
  }

  @Override
  public boolean uniform() {
    return true;
  }
}
