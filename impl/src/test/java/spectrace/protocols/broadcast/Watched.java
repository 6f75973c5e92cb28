package spectrace.protocols.broadcast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.SystemModel;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastNode;

/**
 * A broadcast protocol, unchanged, that remembers each process's last state: the simulator
 * hands every protocol's invariants the nodes after every event (null while a node is down),
 * and one more "invariant" here records them. After a run, {@link #all()} holds each process
 * as it was at its crash or at the end, and {@link #live()} the processes up at the end.
 */
final class Watched implements Protocol<BroadcastMessage> {

  private final Protocol<BroadcastMessage> p;
  private final Map<String, BroadcastNode> all = new LinkedHashMap<>();
  private final Map<String, BroadcastNode> live = new LinkedHashMap<>();

  Watched(Protocol<BroadcastMessage> p) {
    this.p = p;
  }

  /** Every process that started, as it was when it crashed or at the end. */
  Map<String, BroadcastNode> all() {
    return all;
  }

  /** The processes up at the end of the run. */
  Map<String, BroadcastNode> live() {
    return live;
  }

  @Override
  public List<Invariant> invariants() {
    List<Invariant> out = new ArrayList<>(p.invariants());
    out.add(new Invariant("(the last states)", nodes -> {
      live.clear();
      nodes.forEach((id, n) -> {
        if (n != null) {
          all.put(id, (BroadcastNode) n);
          live.put(id, (BroadcastNode) n);
        }
      });
      return null;
    }));
    return out;
  }

  @Override
  public String name() {
    return p.name();
  }

  @Override
  public String variant() {
    return p.variant();
  }

  @Override
  public String specModule() {
    return p.specModule();
  }

  @Override
  public SystemModel model() {
    return p.model();
  }

  @Override
  public int defaultNodes() {
    return p.defaultNodes();
  }

  @Override
  public List<String> nodeIds(int n) {
    return p.nodeIds(n);
  }

  @Override
  public Map<String, Object> constants(List<String> nodes) {
    return p.constants(nodes);
  }

  @Override
  public ProtocolNode<BroadcastMessage> newNode(String id, List<String> nodes) {
    return p.newNode(id, nodes);
  }

  @Override
  public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {
    p.workload(nodes, random, schedule);
  }

  @Override
  public String crashAction(String node) {
    return p.crashAction(node);
  }

  @Override
  public String crashParam() {
    return p.crashParam();
  }
}
