package spectrace.protocols.broadcast.causal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import spectrace.core.ProtocolNode;
import spectrace.protocols.broadcast.ordered.OrderedBroadcastProtocol;
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
      if (n instanceof CausalProcess p) {
        for (Msg m : p.delivered) {
          if (!nodes.containsKey(m.src())) {
            return p.id() + " delivered " + m + " from no process of the run";
          }
          if (nodes.get(m.src()) instanceof CausalProcess s && m.sn() > s.broadcasts) {
            return p.id() + " delivered " + m + ", but " + s.id() + " has broadcast " + s.broadcasts + " messages";
          }
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
        Set<Msg> before = new HashSet<>();
        for (Msg m : p.delivered) {
          if (nodes.get(m.src()) instanceof CausalProcess s) {
            for (Msg past : s.delivered) {
              if (past.equals(m)) {
                break;
              }
              if (!before.contains(past)) {
                return p.id() + " delivered " + m + " before " + past + ", which " + s.id() + " had delivered when it"
                    + " broadcast " + m + ": " + p.delivered;
              }
            }
          }
          before.add(m);
        }
      }
    }
    return null;
  }
}
