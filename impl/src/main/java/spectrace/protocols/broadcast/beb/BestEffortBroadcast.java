package spectrace.protocols.broadcast.beb;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import spectrace.core.Fault;
import spectrace.core.ProtocolNode;
import spectrace.core.Reports;
import spectrace.core.SystemModel;
import spectrace.protocols.broadcast.reliable.BroadcastFamily;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastProtocol;
import spectrace.protocols.broadcast.reliable.Deliveries;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Best-effort broadcast, {@code beb} (specs/broadcast/BestEffortBroadcast.tla): processes
 * {@code p1..pN}, any of which may crash. It guarantees validity, no duplication and no
 * creation, but not agreement: a sender that crashes with copies in transit leaves some
 * correct processes without its message.
 */
public class BestEffortBroadcast extends BroadcastProtocol {

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
    return "beb";
  }

  @Override
  public String specModule() {
    return "BestEffortBroadcast";
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
  protected BestEffortProcess newProcess(String id, List<String> nodes) {
    return new BestEffortProcess(id, nodes, MAX_BCAST);
  }

  /** Validity only: best effort promises no agreement (a crashed sender's copies may reach some). */
  @Override
  public String awaiting(Reports r) {
    Map<String, List<Msg>> live = BroadcastFamily.live(r, Deliveries.of(r));
    Map<String, Integer> broadcasts = Deliveries.broadcasts(r, maxBcast(r.nodes()));
    return Deliveries.validity(live, broadcasts::get);
  }
}
