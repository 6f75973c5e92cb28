package spectrace.protocols.broadcast.lrb;

import java.util.EnumSet;
import java.util.List;
import spectrace.core.Fault;
import spectrace.core.ProtocolNode;
import spectrace.core.SystemModel;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastProtocol;

/**
 * Lazy reliable broadcast, {@code lrb} (specs/broadcast/LazyReliableBroadcast.tla): processes
 * {@code p1..pN} that fail by stopping, each crash reported to every live process by a
 * perfect failure detector (the simulator's {@code fail-stop}). Validity, no duplication, no
 * creation and agreement; without crashes, one message to each process per broadcast.
 */
public class LazyReliableBroadcast extends BroadcastProtocol {

  static final SystemModel MODEL = new SystemModel(
      "perfect links (delayed, reordered, held by partitions; never lost between correct processes, never"
          + " duplicated); fail-stop, up to " + MAX_CRASHES + " processes a run, each crash reported to every live"
          + " process by a perfect failure detector; a crashed sender's messages in transit may be lost",
      SystemModel.Links.perfect(),
      EnumSet.of(SystemModel.Failure.FAIL_STOP),
      SystemModel.Timing.ASYNCHRONOUS,
      EnumSet.of(Fault.REORDER, Fault.DELAY, Fault.PARTITION, Fault.FAIL_STOP, Fault.SENDER_CRASH_LOSS),
      p -> true,
      MAX_CRASHES);

  @Override
  public String name() {
    return "lrb";
  }

  @Override
  public String specModule() {
    return "LazyReliableBroadcast";
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
  protected LazyProcess newProcess(String id, List<String> nodes) {
    return new LazyProcess(id, nodes, MAX_BCAST);
  }
}
