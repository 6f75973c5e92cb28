package spectrace.protocols.broadcast.fifo;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import spectrace.core.ProtocolNode;
import spectrace.protocols.broadcast.ordered.OrderedBroadcastProtocol;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * FIFO broadcast (specs/broadcast/FifoBroadcast.tla): processes {@code p1..pN}, each of which
 * broadcasts a few messages at random times.
 */
public class FifoBroadcast extends OrderedBroadcastProtocol<BroadcastMessage> {

  @Override
  public String name() {
    return "fifo";
  }

  @Override
  public String specModule() {
    return "FifoBroadcast";
  }

  @Override
  public ProtocolNode<BroadcastMessage> newNode(String id, List<String> nodes) {
    return newProcess(id, nodes);
  }

  /** A process of a run (a test may override it). */
  protected FifoProcess newProcess(String id, List<String> procs) {
    return new FifoProcess(id, procs);
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
          if (nodes.get(m.src()) instanceof FifoProcess s && m.sn() > s.broadcasts) {
            return p.id() + " delivered " + m + ", but " + s.id() + " has broadcast " + s.broadcasts + " messages";
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
