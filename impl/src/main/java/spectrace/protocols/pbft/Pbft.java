package spectrace.protocols.pbft;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import spectrace.core.Adversary;
import spectrace.core.Clients;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.SystemModel;
import spectrace.kv.Command;
import spectrace.kv.KvClientDriver;
import spectrace.kv.KvClients;
import spectrace.kv.KvService;
import spectrace.kv.Op;

/**
 * Practical Byzantine Fault Tolerance (specs/pbft/PBFT.tla; Castro and Liskov, OSDI 1999):
 * replicas {@code r1..rN}, N = 3F+1 (4 by default; the primary of view v is the (v mod N)+1-th),
 * serving the replicated key-value store to clients that take a result once F+1 replicas
 * reply with it.
 *
 * <p>The system model is PBFT's: up to F replicas are Byzantine, each sending what an
 * {@linkplain PbftAdversaries adversary} chosen by the run's seed makes of its steps;
 * authenticated links (a replica cannot speak for another: the runtime rejects a message under
 * another's name, and a replica checks the signature of every message it is given, relayed ones
 * included) that duplicate, reorder and delay messages; partial synchrony, for liveness only.
 */
public class Pbft implements Protocol<PbftMessage>, KvService {

  /** The null request of OSDI sec. 4.4 (PBFT.tla's Null): a get of a key no client uses, by no client. */
  public static final Command NULL_REQUEST = new Command("-", 1, Op.GET, "-", 0, 0);

  private static final SystemModel MODEL = new SystemModel(
      "authenticated links that duplicate, reorder and delay messages; up to F of 3F+1 replicas faulty,"
          + " Byzantine or crashed for good; partially synchronous",
      SystemModel.Links.reliable().authenticate(),
      // A crashed replica is a faulty one that sends nothing more: one of the F, as in the paper.
      EnumSet.of(SystemModel.Failure.BYZANTINE, SystemModel.Failure.CRASH_STOP),
      SystemModel.Timing.PARTIALLY_SYNCHRONOUS,
      EnumSet.of(Fault.DUPLICATE, Fault.REORDER, Fault.DELAY, Fault.CRASH_STOP, Fault.BYZANTINE),
      replica -> true,
      // Any replica may be Byzantine; how many at once is maxFaulty(n), F of the run's 3F+1.
      Integer.MAX_VALUE);

  @Override
  public String name() {
    return "pbft";
  }

  @Override
  public String specModule() {
    return "PBFT";
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
    if (n < 4 || n % 3 != 1) {
      throw new IllegalArgumentException("pbft needs 3F+1 replicas, at least 4, not " + n);
    }
    List<String> ids = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      ids.add("r" + k);
    }
    return ids;
  }

  /** F of the run's 3F+1 replicas: PBFT.tla's FaultAssumption. */
  @Override
  public int maxFaulty(int nodes) {
    return (nodes - 1) / 3;
  }

  /**
   * {@code Replicas} is the run's order; the requests, views and sequence numbers are the
   * trace's, and which replicas are faulty its byzantine events say: the sets PBFT.tla's Next
   * quantifies over are empty, and each event is checked against its action itself.
   */
  @Override
  public Map<String, Object> constants(List<String> nodes) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("Replicas", List.copyOf(nodes));
    c.put("Byzantine", Set.of());
    c.put("Request", Set.of());
    c.put("Null", NULL_REQUEST);
    c.put("View", Set.of());
    c.put("SeqNum", Set.of());
    c.put("CheckpointPeriod", PbftReplica.CHECKPOINT_PERIOD);
    c.put("LogSize", PbftReplica.LOG_SIZE);
    return c;
  }

  @Override
  public ProtocolNode<PbftMessage> newNode(String id, List<String> nodes) {
    return new PbftReplica(id, nodes, PbftKeys.simulated(nodes, id));
  }

  /** Over TCP: the replicas' key pairs derived from the run's secret, which outsiders do not hold. */
  @Override
  public ProtocolNode<PbftMessage> newNode(String id, List<String> nodes, byte[] secret) {
    return new PbftReplica(id, nodes, PbftKeys.of(secret, nodes, id));
  }

  @Override
  public List<Adversary> adversaries() {
    return PbftAdversaries.ALL;
  }

  /** Clients that send each request to every replica and take a result on F+1 matching replies. */
  @Override
  public Clients clients(List<String> nodes, long operations, SplittableRandom random) {
    return KvClientDriver.of(nodes, KvClients.Config.of(CLIENTS, operations), random, maxFaulty(nodes.size()) + 1);
  }

  /**
   * The safety property after every event: correct replicas execute the same request at each
   * sequence number (ExecutionAgreementInv; a Byzantine replica is null in the view given).
   */
  @Override
  public List<Invariant> invariants() {
    Map<Long, Command> executedAt = new HashMap<>();
    Map<ProtocolNode<?>, Integer> checked = new IdentityHashMap<>();
    Object[] view = new Object[1];
    return List.of(new Invariant("ExecutionAgreementInv", nodes -> {
      synchronized (executedAt) {
        if (view[0] != nodes) {
          view[0] = nodes;
          executedAt.clear();
          checked.clear();
        }
        for (ProtocolNode<?> n : nodes.values()) {
          if (n instanceof PbftReplica r) {
            for (int k = checked.getOrDefault(r, 0) + 1; k <= r.executedCount(); k++) {
              Command before = executedAt.putIfAbsent((long) k, r.executedAt(k));
              if (before != null && !before.equals(r.executedAt(k))) {
                return r.id() + " executed " + r.executedAt(k) + " at sequence number " + k + ", where " + before
                    + " was executed";
              }
            }
            checked.put(r, r.executedCount());
          }
        }
        return null;
      }
    }));
  }

  @Override
  public String agreementInvariant() {
    return "ExecutionAgreementInv";
  }
}
