package spectrace.protocols.broadcast.fifo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import spectrace.core.ProtocolNode;
import spectrace.core.Reports;
import spectrace.protocols.broadcast.ordered.OrderedBroadcastProtocol;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.Deliveries;
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
        String wrong = Deliveries.noDuplication(p.id(), p.delivered);
        if (wrong != null) {
          return wrong;
        }
      }
    }
    return null;
  }

  /** NoCreationInv: a process delivers only messages that were broadcast (checked against live senders). */
  static String noCreation(Map<String, ProtocolNode<?>> nodes) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof FifoProcess p) {
        String wrong = Deliveries.noCreation(p.id(), p.delivered, nodes.keySet(),
            src -> nodes.get(src) instanceof FifoProcess s ? s.broadcasts : null);
        if (wrong != null) {
          return wrong;
        }
      }
    }
    return null;
  }

  /** FifoOrderInv: no process delivers a message before every earlier message of its sender. */
  static String fifoOrder(Map<String, ProtocolNode<?>> nodes) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof FifoProcess p) {
        String wrong = Deliveries.fifoOrder(p.id(), p.delivered);
        if (wrong != null) {
          return wrong;
        }
      }
    }
    return null;
  }

  /** NoDuplicationInv, NoCreationInv and FifoOrderInv of what the processes reported delivering. */
  @Override
  public List<String> violations(Reports r) {
    List<String> out = new ArrayList<>(super.violations(r));
    Map<String, List<Msg>> all = Deliveries.of(r);
    all.forEach((p, d) -> {
      String wrong = Deliveries.fifoOrder(p, d);
      if (wrong != null) {
        out.add("FifoOrderInv: " + wrong);
      }
    });
    return out;
  }
}
