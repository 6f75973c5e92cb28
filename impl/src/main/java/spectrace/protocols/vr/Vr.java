package spectrace.protocols.vr;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.SystemModel;
import spectrace.kv.Command;
import spectrace.kv.KvService;

/**
 * Viewstamped Replication (specs/vr/VR.tla; Liskov and Cowling, "Viewstamped Replication
 * Revisited", 2012): replicas {@code r1..rN} (2F+1 of them, 5 by default, in that order: the
 * primary of view v is the (v mod N)+1-th), serving the replicated key-value store.
 *
 * <p>The system model is VR's: fair-loss links that lose, duplicate, reorder and delay messages,
 * and partitions; any replica, the primary included, may crash and come back with nothing (no
 * durable state), and at most F are crashed or recovering at once (the spec's
 * FailureAssumption: {@link #maxFaulty(int)} and {@link #stillFaulty}); partial synchrony, needed for
 * liveness only.
 */
public class Vr implements Protocol<VrMessage>, KvService {

  /** The most replicas down at once in the default run of five: F = 2. */
  public static final int MAX_DOWN = 2;

  private static final SystemModel MODEL = new SystemModel(
      "fair-loss links (loss, duplication, reordering, delay, partitions); crash-recovery of any replica with no"
          + " durable state, at most F of 2F+1 crashed or recovering at once; partially synchronous",
      SystemModel.Links.fairLoss(),
      EnumSet.of(SystemModel.Failure.CRASH_AMNESIA),
      SystemModel.Timing.PARTIALLY_SYNCHRONOUS,
      EnumSet.of(Fault.LOSS, Fault.DUPLICATE, Fault.REORDER, Fault.DELAY, Fault.PARTITION, Fault.CRASH_RECOVERY,
          Fault.SENDER_CRASH_LOSS),
      replica -> true,
      MAX_DOWN);


  @Override
  public String name() {
    return "vr";
  }

  @Override
  public String specModule() {
    return "VR";
  }

  @Override
  public SystemModel model() {
    return MODEL;
  }

  @Override
  public int defaultNodes() {
    return 5;
  }

  @Override
  public List<String> nodeIds(int n) {
    if (n < 3 || n % 2 == 0) {
      throw new IllegalArgumentException("vr needs 2F+1 replicas, at least 3, not " + n);
    }
    List<String> ids = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      ids.add("r" + k);
    }
    return ids;
  }

  /** F of the run's 2F+1 replicas: VR.tla's FailureAssumption. */
  @Override
  public int maxFaulty(int nodes) {
    return (nodes - 1) / 2;
  }

  /** A recovering replica counts among the F until its recovery completes. */
  @Override
  public boolean stillFaulty(ProtocolNode<?> node) {
    return node instanceof VrReplica r && r.status() == VrStatus.RECOVERING;
  }

  /** {@code Replicas} is the run's order (a sequence); requests and nonces come from the trace. */
  @Override
  public Map<String, Object> constants(List<String> nodes) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("Replicas", List.copyOf(nodes));
    c.put("Value", Set.of());
    c.put("Nonce", Set.of());
    return c;
  }

  @Override
  public ProtocolNode<VrMessage> newNode(String id, List<String> nodes) {
    return new VrReplica(id, nodes);
  }



  /**
   * The safety properties after every event: the commit-number within the log
   * (CommitWithinLogInv), and no two requests executed at one op-number, across replicas and
   * their incarnations (AgreementInv: what a crash wiped was executed all the same). The memory
   * is of one run: the one whose view of the nodes the checks were last given.
   */
  @Override
  public List<Invariant> invariants() {
    RunMemory memory = new RunMemory();
    return List.of(
        new Invariant("CommitWithinLogInv", Vr::commitWithinLog),
        new Invariant("AgreementInv", nodes -> agreement(nodes, memory.of(nodes))));
  }

  /** What the checks remember of the run they check. */
  private static final class RunMemory {
    private Map<String, ProtocolNode<?>> view;
    final Map<Integer, Command> executedAt = new HashMap<>();
    final Map<ProtocolNode<?>, Integer> checked = new IdentityHashMap<>();

    synchronized RunMemory of(Map<String, ProtocolNode<?>> nodes) {
      if (nodes != view) {
        view = nodes;
        executedAt.clear();
        checked.clear();
      }
      return this;
    }
  }

  static String commitWithinLog(Map<String, ProtocolNode<?>> nodes) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof VrReplica r && r.commitNumber() > r.opNumber()) {
        return r.id() + "'s commit-number " + r.commitNumber() + " is past its op-number " + r.opNumber();
      }
    }
    return null;
  }

  /** AgreementInv over the run: every replica's committed prefix agrees with what was committed before. */
  static String agreement(Map<String, ProtocolNode<?>> nodes, RunMemory memory) {
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof VrReplica r) {
        int upTo = Math.min(r.commitNumber(), r.opNumber());
        for (int k = memory.checked.getOrDefault(r, 0) + 1; k <= upTo; k++) {
          Command before = memory.executedAt.putIfAbsent(k, r.entry(k));
          if (before != null && !before.equals(r.entry(k))) {
            return r.id() + " holds " + r.entry(k) + " committed at op-number " + k + ", where " + before
                + " was committed";
          }
        }
        memory.checked.put(r, Math.max(memory.checked.getOrDefault(r, 0), upTo));
      }
    }
    return null;
  }

  @Override
  public String agreementInvariant() {
    return "AgreementInv";
  }
}
