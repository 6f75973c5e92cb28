package spectrace.protocols.broadcast.ordered;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import spectrace.core.Fault;
import spectrace.core.Message;
import spectrace.core.SystemModel;
import spectrace.protocols.broadcast.reliable.BroadcastFamily;
import spectrace.protocols.broadcast.reliable.BroadcastRequest;

/**
 * What FIFO, causal and total-order broadcast share (specs/broadcast/FifoBroadcast.tla,
 * CausalBroadcast.tla, TotalOrderBroadcast.tla): perfect links, crash-stop processes
 * {@code p1..pN}, the constants {@code Proc}, {@code MaxBcast} and {@code F}, the crash action
 * {@code Crash(p)}, and a workload in which every process broadcasts up to
 * {@link #MAX_BROADCASTS} messages at random times.
 *
 * @param <M> the protocol's message type
 */
public abstract class OrderedBroadcastProtocol<M extends Message> implements BroadcastFamily<M> {

  /**
   * The most processes a run crashes, the spec's F. The algorithms tolerate any number; the
   * bound keeps the simulator's crashes (a chance in seven every 25 ticks) from ending most
   * runs with every process down.
   */
  public static final int MAX_CRASHES = 2;

  /** The most messages the workload has one process broadcast: the spec's MaxBcast. */
  public static final int MAX_BROADCASTS = 3;

  /** The workload's broadcasts happen in ticks 1 to this. */
  public static final int WORKLOAD_TICKS = 200;

  private static final SystemModel MODEL = new SystemModel(
      "perfect links that may delay and reorder; crash-stop processes, at most " + MAX_CRASHES + " per run",
      SystemModel.Links.perfect(),
      EnumSet.of(SystemModel.Failure.CRASH_STOP),
      SystemModel.Timing.ASYNCHRONOUS,
      EnumSet.of(Fault.REORDER, Fault.DELAY, Fault.PARTITION, Fault.CRASH_STOP),
      id -> true,
      MAX_CRASHES);

  @Override
  public SystemModel model() {
    return MODEL;
  }


  @Override
  public int defaultNodes() {
    return 4;
  }

  @Override
  public List<String> nodeIds(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(name() + " needs at least 1 process, not " + n);
    }
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add("p" + i);
    }
    return ids;
  }

  @Override
  public Map<String, Object> constants(List<String> nodes) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("Proc", nodes);
    c.put("MaxBcast", MAX_BROADCASTS);
    c.put("F", Math.min(MAX_CRASHES, nodes.size()));
    return c;
  }

  @Override
  public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {
    for (String p : nodes) {
      int k = random.nextInt(MAX_BROADCASTS + 1);
      for (int i = 0; i < k; i++) {
        schedule.request(1 + random.nextInt(WORKLOAD_TICKS), p, new BroadcastRequest());
      }
    }
  }
}
