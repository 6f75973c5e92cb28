package spectrace.protocols.broadcast.total;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import spectrace.core.ProtocolNode;
import spectrace.core.Reports;
import spectrace.protocols.broadcast.ordered.OrderedBroadcastProtocol;
import spectrace.protocols.broadcast.reliable.Deliveries;
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
      String wrong = Deliveries.noDuplication(p.id(), p.delivered);
      if (wrong != null) {
        return wrong;
      }
    }
    return null;
  }

  /** NoCreationInv: a process delivers only messages that were broadcast (checked against live senders). */
  static String noCreation(Map<String, ProtocolNode<?>> nodes) {
    for (TotalOrderProcess p : processes(nodes)) {
      String wrong = Deliveries.noCreation(p.id(), p.delivered, nodes.keySet(),
          src -> nodes.get(src) instanceof TotalOrderProcess s ? s.broadcasts : null);
      if (wrong != null) {
        return wrong;
      }
    }
    return null;
  }

  /** TotalOrderInv: no two processes deliver two messages in opposite orders (checked among live processes). */
  static String totalOrder(Map<String, ProtocolNode<?>> nodes) {
    List<TotalOrderProcess> all = processes(nodes);
    for (TotalOrderProcess p : all) {
      for (TotalOrderProcess q : all) {
        String wrong = Deliveries.totalOrder(p.id(), p.delivered, q.id(), q.delivered);
        if (wrong != null) {
          return wrong;
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

  /**
   * NoDuplicationInv, NoCreationInv and TotalOrderInv of what the processes reported
   * delivering; SequencerOrderInv is over the sequencer's order, which it does not report,
   * and follows from the others when the sequencer delivers what it sequences.
   */
  @Override
  public List<String> violations(Reports r) {
    List<String> out = new ArrayList<>(super.violations(r));
    Map<String, List<Msg>> all = Deliveries.of(r);
    List<String> ps = new ArrayList<>(all.keySet());
    for (int i = 0; i < ps.size(); i++) {
      for (int j = i + 1; j < ps.size(); j++) {
        String wrong = Deliveries.totalOrder(ps.get(i), all.get(ps.get(i)), ps.get(j), all.get(ps.get(j)));
        if (wrong != null) {
          out.add("TotalOrderInv: " + wrong);
        }
      }
    }
    return out;
  }

  /**
   * Validity needs a correct sequencer (the spec's ValidityProp): once the first process, the
   * sequencer, has crashed, only agreement is awaited.
   */
  @Override
  public String awaiting(Reports r) {
    if (!r.crashed().contains(r.nodes().get(0))) {
      return super.awaiting(r);
    }
    Map<String, List<Msg>> all = Deliveries.of(r);
    Map<String, List<Msg>> live = spectrace.protocols.broadcast.reliable.BroadcastFamily.live(r, all);
    return Deliveries.uniformAgreement(live, live);
  }
}
