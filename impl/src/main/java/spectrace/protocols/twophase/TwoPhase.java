package spectrace.protocols.twophase;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.Reports;
import spectrace.core.SystemModel;

/**
 * Two-phase commit (specs/twophase/TwoPhase.tla): node {@code tm} and resource managers
 * {@code rm1..rmK}. A run of N nodes has N-1 RMs.
 */
public class TwoPhase implements Protocol<TwoPhaseMessage> {

  /** The TM's id. */
  public static final String TM = "tm";

  private static final SystemModel MODEL = new SystemModel(
      "links that never lose a message but may reorder, delay and duplicate; RMs never crash; the TM crashes and may recover",
      SystemModel.Links.reliable(),
      EnumSet.of(SystemModel.Failure.CRASH_STOP, SystemModel.Failure.CRASH_RECOVERY),
      SystemModel.Timing.ASYNCHRONOUS,
      EnumSet.of(Fault.DUPLICATE, Fault.REORDER, Fault.DELAY, Fault.PARTITION, Fault.CRASH_RECOVERY, Fault.CRASH_STOP),
      TM::equals,
      1);

  /** The probability that the workload tells an RM to vote yes. */
  static final double YES = 0.8;

  @Override
  public String name() {
    return "twophase";
  }

  @Override
  public List<Class<? extends Record>> requestTypes() {
    return List.of(Vote.class);
  }

  @Override
  public String specModule() {
    return "TwoPhase";
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
    if (n < 2) {
      throw new IllegalArgumentException("twophase needs at least 2 nodes (the TM and one RM), not " + n);
    }
    List<String> ids = new ArrayList<>();
    ids.add(TM);
    ids.addAll(rms(n - 1));
    return ids;
  }

  private static List<String> rms(int k) {
    List<String> rms = new ArrayList<>();
    for (int i = 1; i <= k; i++) {
      rms.add("rm" + i);
    }
    return rms;
  }

  @Override
  public Map<String, Object> constants(List<String> nodes) {
    return Map.of("RM", nodes.subList(1, nodes.size()));
  }

  @Override
  public ProtocolNode<TwoPhaseMessage> newNode(String id, List<String> nodes) {
    return node(id, nodes, this::newTransactionManager, this::newResourceManager);
  }

  /** The TM of a run (a test may override it). */
  protected TransactionManager newTransactionManager(String id, List<String> rms) {
    return new TransactionManager(id, rms);
  }

  /** An RM of a run (a test may override it). */
  protected ResourceManager newResourceManager(String id, String tm) {
    return new ResourceManager(id, tm);
  }

  /**
   * Node {@code id} of a run of {@code nodes}: the TM, built by {@code tm} from its id and the
   * RMs, or an RM, built by {@code rm} from its id and the TM's (a mutant builds one of them
   * otherwise).
   */
  static ProtocolNode<TwoPhaseMessage> node(String id, List<String> nodes,
      BiFunction<String, List<String>, TransactionManager> tm, BiFunction<String, String, ResourceManager> rm) {
    return id.equals(TM) ? tm.apply(id, nodes.subList(1, nodes.size())) : rm.apply(id, TM);
  }

  @Override
  public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {
    for (String rm : nodes.subList(1, nodes.size())) {
      schedule.request(1 + random.nextLong(100), rm, new Vote(random.nextDouble() < YES));
    }
  }

  @Override
  public List<String> workloads() {
    return List.of("default", "all-yes", "one-no");
  }

  /**
   * {@code default}: each RM votes yes with probability {@value #YES}; {@code all-yes}: every RM
   * votes yes (the commit path); {@code one-no}: one RM, picked at random, votes no.
   */
  @Override
  public void workload(String name, List<String> nodes, SplittableRandom random, Workload schedule) {
    List<String> rms = nodes.subList(1, nodes.size());
    switch (name) {
      case "default" -> workload(nodes, random, schedule);
      case "all-yes" -> rms.forEach(rm -> schedule.request(1 + random.nextLong(100), rm, new Vote(true)));
      case "one-no" -> {
        String no = rms.get(random.nextInt(rms.size()));
        rms.forEach(rm -> schedule.request(1 + random.nextLong(100), rm, new Vote(!rm.equals(no))));
      }
      default -> Protocol.super.workload(name, nodes, random, schedule);
    }
  }

  @Override
  public String crashAction(String node) {
    return node.equals(TM) ? "TMCrash" : null;
  }

  @Override
  public List<Invariant> invariants() {
    return List.of(
        new Invariant("ConsistencyInv", TwoPhase::consistency),
        new Invariant("CommitValidityInv", TwoPhase::commitValidity));
  }

  private static List<RMState> rmStates(Map<String, ProtocolNode<?>> nodes) {
    List<RMState> states = new ArrayList<>();
    for (ProtocolNode<?> n : nodes.values()) {
      if (n instanceof ResourceManager rm) {
        states.add(rm.rmState());
      }
    }
    return states;
  }

  /** ConsistencyInv: no RM has committed while another has aborted. */
  static String consistency(Map<String, ProtocolNode<?>> nodes) {
    List<RMState> s = rmStates(nodes);
    if (s.contains(RMState.COMMITTED) && s.contains(RMState.ABORTED)) {
      return "RM states " + s;
    }
    return null;
  }

  /** CommitValidityInv: an RM commits only if every RM prepared (voted to commit). */
  static String commitValidity(Map<String, ProtocolNode<?>> nodes) {
    List<RMState> s = rmStates(nodes);
    if (s.contains(RMState.COMMITTED)
        && !s.stream().allMatch(r -> r == RMState.PREPARED || r == RMState.COMMITTED)) {
      return "RM states " + s;
    }
    return null;
  }

  /**
   * What the nodes reported deciding, against ConsistencyInv (no two nodes decide differently)
   * and CommitValidityInv (a commit only if every RM was told to vote yes, and none to vote no).
   */
  @Override
  public List<String> violations(Reports r) {
    List<String> out = new ArrayList<>(Protocol.super.violations(r));
    boolean committed = r.decisions().values().stream().anyMatch(d -> d.contains("committed"));
    for (String rm : r.nodes()) {
      if (!committed || rm.equals(TM)) {
        continue;
      }
      if (r.requests().get(rm).contains(new Vote(false))) {
        out.add("CommitValidityInv: committed, but " + rm + " was told to vote no");
      } else if (!r.requests().get(rm).contains(new Vote(true))) {
        out.add("CommitValidityInv: committed, but " + rm + " was never told to vote yes");
      }
    }
    return out;
  }

  /**
   * Every live node has decided; until then, which have not, and for each undecided RM the
   * vote it was told to cast (or that it was told none, so that the TM waits for its vote in
   * vain until its timeout).
   */
  @Override
  public String awaiting(Reports r) {
    List<String> undecided = new ArrayList<>();
    for (String node : r.live()) {
      if (r.decisions().get(node).isEmpty()) {
        List<Object> votes = r.requests().get(node).stream().filter(Vote.class::isInstance).toList();
        undecided.add(node + (node.equals(TM) ? "" : votes.isEmpty() ? " (it was told no vote yet)"
            : " (told to vote " + (((Vote) votes.get(votes.size() - 1)).yes() ? "yes" : "no") + ")"));
      }
    }
    return undecided.isEmpty() ? null : "not decided: " + String.join(", ", undecided);
  }
}
