package spectrace.protocols.broadcast.causal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import spectrace.core.ProtocolNode;
import spectrace.core.Reports;
import spectrace.protocols.broadcast.ordered.OrderedBroadcastProtocol;
import spectrace.protocols.broadcast.reliable.Deliveries;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Causal broadcast (specs/broadcast/CausalBroadcast.tla): processes {@code p1..pN}, each of
 * which broadcasts a few messages at random times.
 */
public class CausalBroadcast extends OrderedBroadcastProtocol<CausalMessage> {

  @Override
  public String name() {
    return "causal";
  }

  @Override
  public String specModule() {
    return "CausalBroadcast";
  }

  @Override
  public ProtocolNode<CausalMessage> newNode(String id, List<String> nodes) {
    return newProcess(id, nodes);
  }

  /** A process of a run (a test may override it). */
  protected CausalProcess newProcess(String id, List<String> procs) {
    return new CausalProcess(id, procs);
  }

  @Override
  public List<Invariant> invariants() {
    return List.of(
        new Invariant("NoDuplicationInv", CausalBroadcast::noDuplication),
        new Invariant("NoCreationInv", CausalBroadcast::noCreation),
        new Invariant("CausalOrderInv", CausalBroadcast::causalOrder));
  }

  /** NoDuplicationInv: no process delivers a message more than once. */
  static String noDuplication(Map<String, ProtocolNode<?>> nodes) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof CausalProcess p) {
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
      if (n instanceof CausalProcess p) {
        String wrong = Deliveries.noCreation(p.id(), p.delivered, nodes.keySet(),
            src -> nodes.get(src) instanceof CausalProcess s ? s.broadcasts : null);
        if (wrong != null) {
          return wrong;
        }
      }
    }
    return null;
  }

  /**
   * CausalOrderInv: no process delivers a message before the messages its sender had
   * delivered when it broadcast it (those before it in the sender's delivery order; checked
   * against live senders).
   */
  static String causalOrder(Map<String, ProtocolNode<?>> nodes) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof CausalProcess p) {
        String wrong = Deliveries.causalOrder(p.id(), p.delivered,
            src -> nodes.get(src) instanceof CausalProcess s ? s.delivered : null);
        if (wrong != null) {
          return wrong;
        }
      }
    }
    return null;
  }

  /** NoDuplicationInv, NoCreationInv and CausalOrderInv of what the processes reported delivering. */
  @Override
  public List<String> violations(Reports r) {
    List<String> out = new ArrayList<>(super.violations(r));
    Map<String, List<Msg>> all = Deliveries.of(r);
    all.forEach((p, d) -> {
      String wrong = Deliveries.causalOrder(p, d, all::get);
      if (wrong != null) {
        out.add("CausalOrderInv: " + wrong);
      }
    });
    return out;
  }
}
