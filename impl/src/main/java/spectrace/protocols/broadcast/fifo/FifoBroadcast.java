package spectrace.protocols.broadcast.fifo;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.SystemModel;

/**
 * FIFO broadcast (specs/broadcast/FifoBroadcast.tla): processes {@code p1..pN}, each of which
 * broadcasts a few messages at random times.
 */
public class FifoBroadcast implements Protocol<FifoMessage> {

  /**
   * The most processes a run crashes, the spec's F. The algorithm tolerates any number; the
   * bound keeps the simulator's crashes (a chance in seven every 25 ticks) from ending most
   * runs with every process down.
   */
  static final int MAX_CRASHES = 2;

  private static final SystemModel MODEL = new SystemModel(
      "perfect links that may delay and reorder; crash-stop processes, at most " + MAX_CRASHES + " per run",
      false,
      EnumSet.of(Fault.REORDER, Fault.DELAY, Fault.PARTITION, Fault.CRASH_STOP),
      id -> true,
      MAX_CRASHES);

  /** The most messages the workload has one process broadcast: the spec's MaxBcast. */
  static final int MAX_BROADCASTS = 3;
  /** The workload's broadcasts happen in ticks 1 to this. */
  static final int WORKLOAD_TICKS = 200;

  @Override
  public String name() {
    return "fifo";
  }

  @Override
  public String specModule() {
    return "FifoBroadcast";
  }

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
    return processes("fifo", n);
  }

  /** The ids p1..pN of a run of {@code n} processes. */
  static List<String> processes(String protocol, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(protocol + " needs at least 1 process, not " + n);
    }
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add("p" + i);
    }
    return ids;
  }

  @Override
  public Map<String, Object> constants(List<String> nodes) {
    return Map.of("Proc", nodes, "MaxBcast", MAX_BROADCASTS, "F", Math.min(MAX_CRASHES, nodes.size()));
  }

  @Override
  public ProtocolNode<FifoMessage> newNode(String id, List<String> nodes) {
    return newProcess(id, nodes);
  }

  /** A process of a run (a mutant overrides it). */
  protected FifoProcess newProcess(String id, List<String> procs) {
    return new FifoProcess(id, procs);
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

  @Override
  public List<Invariant> invariants() {
    return List.of(
        new Invariant("NoDuplicationInv", FifoBroadcast::noDuplication),
        new Invariant("NoCreationInv", FifoBroadcast::noCreation),
        new Invariant("FifoOrderInv", FifoBroadcast::fifoOrder));
  }

  /** NoDuplicationInv: no process delivers a message more than once. */
  static String noDuplication(Map<String, ProtocolNode<?>> nodes) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof FifoProcess p) {
        Set<Msg> seen = new HashSet<>();
        for (Msg m : p.delivered) {
          if (!seen.add(m)) {
            return p.id() + " delivered " + m + " twice: " + p.delivered;
          }
        }
      }
    }
    return null;
  }

  /** NoCreationInv: a process delivers only messages that were broadcast (checked against live senders). */
  static String noCreation(Map<String, ProtocolNode<?>> nodes) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof FifoProcess p) {
        for (Msg m : p.delivered) {
          if (!nodes.containsKey(m.src())) {
            return p.id() + " delivered " + m + " from no process of the run";
          }
          if (nodes.get(m.src()) instanceof FifoProcess s && m.sn() > s.lsn) {
            return p.id() + " delivered " + m + ", but " + s.id() + " has broadcast " + s.lsn + " messages";
          }
        }
      }
    }
    return null;
  }

  /** FifoOrderInv: no process delivers a message before every earlier message of its sender. */
  static String fifoOrder(Map<String, ProtocolNode<?>> nodes) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof FifoProcess p) {
        Set<Msg> before = new HashSet<>();
        for (Msg m : p.delivered) {
          for (int k = 1; k < m.sn(); k++) {
            if (!before.contains(new Msg(m.src(), k))) {
              return p.id() + " delivered " + m + " before message " + k + " of " + m.src() + ": " + p.delivered;
            }
          }
          before.add(m);
        }
      }
    }
    return null;
  }
}
