package spectrace.protocols.broadcast.total;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import spectrace.core.ProtocolNode;
import spectrace.protocols.broadcast.ordered.OrderedBroadcastProtocol;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Total-order broadcast with a fixed sequencer (specs/broadcast/TotalOrderBroadcast.tla):
 * processes {@code p1..pN}, of which {@code p1} is the sequencer; each broadcasts a few
 * messages at random times.
 */
public class TotalOrderBroadcast extends OrderedBroadcastProtocol<TotalOrderMessage> {

  @Override
  public String name() {
    return "total";
  }

  @Override
  public String specModule() {
    return "TotalOrderBroadcast";
  }

  @Override
  public Map<String, Object> constants(List<String> nodes) {
    Map<String, Object> c = super.constants(nodes);
    c.put("Sequencer", nodes.get(0));
    return c;
  }

  @Override
  public ProtocolNode<TotalOrderMessage> newNode(String id, List<String> nodes) {
    return newProcess(id, nodes);
  }

  /** A process of a run: the first is the sequencer (a test may override it). */
  protected TotalOrderProcess newProcess(String id, List<String> procs) {
    String sequencer = procs.get(0);
    return id.equals(sequencer) ? new SequencerProcess(id, procs) : new TotalOrderProcess(id, procs, sequencer);
  }

  @Override
  public List<Invariant> invariants() {
    return List.of(
        new Invariant("NoDuplicationInv", TotalOrderBroadcast::noDuplication),
        new Invariant("NoCreationInv", TotalOrderBroadcast::noCreation),
        new Invariant("TotalOrderInv", TotalOrderBroadcast::totalOrder),
        new Invariant("SequencerOrderInv", TotalOrderBroadcast::sequencerOrder));
  }

  private static List<TotalOrderProcess> processes(Map<String, ProtocolNode<?>> nodes) {
    List<TotalOrderProcess> out = new ArrayList<>();
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof TotalOrderProcess p) {
        out.add(p);
      }
    }
    return out;
  }

  /** NoDuplicationInv: no process delivers a message more than once. */
  static String noDuplication(Map<String, ProtocolNode<?>> nodes) {
    for (TotalOrderProcess p : processes(nodes)) {
      if (new HashSet<>(p.delivered).size() != p.delivered.size()) {
        return p.id() + " delivered a message twice: " + p.delivered;
      }
    }
    return null;
  }

  /** NoCreationInv: a process delivers only messages that were broadcast (checked against live senders). */
  static String noCreation(Map<String, ProtocolNode<?>> nodes) {
    for (TotalOrderProcess p : processes(nodes)) {
      for (Msg m : p.delivered) {
        if (!nodes.containsKey(m.src())) {
          return p.id() + " delivered " + m + " from no process of the run";
        }
        if (nodes.get(m.src()) instanceof TotalOrderProcess s && m.sn() > s.broadcasts) {
          return p.id() + " delivered " + m + ", but " + s.id() + " has broadcast " + s.broadcasts + " messages";
        }
      }
    }
    return null;
  }

  /** TotalOrderInv: no two processes deliver two messages in opposite orders (checked among live processes). */
  static String totalOrder(Map<String, ProtocolNode<?>> nodes) {
    List<TotalOrderProcess> all = processes(nodes);
    for (TotalOrderProcess p : all) {
      for (TotalOrderProcess q : all) {
        List<Msg> common = new ArrayList<>(p.delivered);
        common.retainAll(q.delivered);
        List<Msg> inQ = new ArrayList<>(q.delivered);
        inQ.retainAll(p.delivered);
        if (!common.equals(inQ)) {
          return p.id() + " and " + q.id() + " deliver in different orders: " + p.delivered + " and " + q.delivered;
        }
      }
    }
    return null;
  }

  /** SequencerOrderInv: every process delivers a prefix of the sequencer's order (while the sequencer is up). */
  static String sequencerOrder(Map<String, ProtocolNode<?>> nodes) {
    for (TotalOrderProcess p : processes(nodes)) {
      for (ProtocolNode<?> n : nodes.values()) {
        if (n instanceof SequencerProcess s) {
          List<Msg> order = s.sequenced;
          if (p.delivered.size() > order.size() || !order.subList(0, p.delivered.size()).equals(p.delivered)) {
            return p.id() + " delivered " + p.delivered + ", not a prefix of the sequencer's order " + order;
          }
        }
      }
    }
    return null;
  }
}
