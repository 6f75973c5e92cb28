package spectrace.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * What a runtime needs to know of a protocol, in its four concerns, each stated in one place:
 * <ul>
 *   <li>its binding to the spec ({@link SpecBinding}: module, node ids, constants, crash action);
 *   <li>its nodes ({@link NodeFactory});
 *   <li>its workloads ({@link Workloads}), its own or shared with other protocols;
 *   <li>the safety properties the simulator checks after every event ({@link #invariants()});
 * </ul>
 * with its name, its {@link SystemModel} and, for a model with Byzantine processes, its
 * {@link Adversary adversaries}. A protocol may implement every part in one class (the broadcast
 * family does), or be {@linkplain #compose composed} of parts written apart: a {@link Mutant}
 * is its protocol with other nodes, and the replicated state machines share one key-value
 * workload.
 *
 * @param <M> the protocol's sealed message type
 */
public interface Protocol<M extends Message> extends SpecBinding, NodeFactory<M>, Workloads {

  /** The name the command line uses, e.g. {@code twophase}. */
  String name();

  /**
   * The variant of the implementation a run uses, when it is not the protocol's correct one:
   * the name of a deliberately broken mutant (the command line's {@code --mutant NAME}), or
   * null. {@link #name()} stays the protocol's, since the trace is checked against its spec.
   */
  default String variant() {
    return null;
  }

  /**
   * The protocol's sealed message type, for the wire encoding of the TCP runtime: by default
   * the type argument {@code M} with which the protocol's class implements this interface,
   * found through its superclasses and superinterfaces (a broadcast protocol implements it
   * through {@code BroadcastFamily<M>}).
   */
  @SuppressWarnings("unchecked")
  default Class<? extends Message> messageType() {
    Class<?> m = MessageTypes.of(getClass());
    if (m == null) {
      throw new IllegalStateException(getClass().getName() + " must override messageType()");
    }
    return (Class<? extends Message>) m;
  }

  /** The system model of the spec. */
  SystemModel model();

  /**
   * The adversaries a Byzantine node of this protocol may have (see {@link Adversary}), when
   * its model has Byzantine processes: by default the protocol-independent ones.
   */
  default List<Adversary> adversaries() {
    return Adversary.GENERIC;
  }

  /** The safety properties the simulator checks after every event. */
  List<Invariant> invariants();

  /**
   * A safety property over the nodes' states.
   *
   * @param name  the name of the spec's invariant it mirrors
   * @param check given every node by id, in the run's order (null while a node is down, or
   *              Byzantine): null when the property holds, or what is wrong
   */
  record Invariant(String name, Function<Map<String, ProtocolNode<?>>, String> check) {}

  /**
   * The parts of a protocol, each given apart.
   *
   * @param name        the protocol's name
   * @param variant     its variant (a mutant's name), or null
   * @param messageType its sealed message type
   * @param spec        its binding to the spec
   * @param model       its system model
   * @param nodes       its node factory
   * @param workloads   its workloads
   * @param invariants  what the simulator checks
   * @param adversaries the adversaries of its Byzantine nodes
   */
  record Parts<M extends Message>(String name, String variant, Class<? extends Message> messageType,
                                  SpecBinding spec, SystemModel model, NodeFactory<M> nodes, Workloads workloads,
                                  List<Invariant> invariants, List<Adversary> adversaries) {
    public Parts {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(messageType, "messageType");
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(nodes, "nodes");
      Objects.requireNonNull(workloads, "workloads");
      invariants = List.copyOf(invariants);
      adversaries = List.copyOf(adversaries);
    }

    /** The parts of {@code p}, as it states them. */
    public static <M extends Message> Parts<M> of(Protocol<M> p) {
      return new Parts<>(p.name(), p.variant(), p.messageType(), p, p.model(), p, p, p.invariants(), p.adversaries());
    }

    /** These parts with other nodes, under the variant name {@code variant}. */
    public Parts<M> withNodes(String variant, NodeFactory<M> other) {
      return new Parts<>(name, variant, messageType, spec, model, other, workloads, invariants, adversaries);
    }

    /** These parts with other adversaries for its Byzantine nodes. */
    public Parts<M> withAdversaries(List<Adversary> other) {
      return new Parts<>(name, variant, messageType, spec, model, nodes, workloads, invariants, other);
    }
  }

  /** The protocol made of {@code parts}. */
  static <M extends Message> Protocol<M> compose(Parts<M> parts) {
    return new Composed<>(parts);
  }

  /** A protocol made of parts: each method is its part's. */
  final class Composed<M extends Message> implements Protocol<M> {
    private final Parts<M> parts;

    private Composed(Parts<M> parts) {
      this.parts = parts;
    }

    /** The parts. */
    public Parts<M> parts() {
      return parts;
    }

    @Override
    public String name() {
      return parts.name();
    }

    @Override
    public String variant() {
      return parts.variant();
    }

    @Override
    public Class<? extends Message> messageType() {
      return parts.messageType();
    }

    @Override
    public SystemModel model() {
      return parts.model();
    }

    @Override
    public List<Adversary> adversaries() {
      return parts.adversaries();
    }

    @Override
    public List<Invariant> invariants() {
      return parts.invariants();
    }

    @Override
    public ProtocolNode<M> newNode(String id, List<String> nodes) {
      return parts.nodes().newNode(id, nodes);
    }

    @Override
    public ProtocolNode<M> newNode(String id, List<String> nodes, byte[] secret) {
      return parts.nodes().newNode(id, nodes, secret);
    }

    @Override
    public String specModule() {
      return parts.spec().specModule();
    }

    @Override
    public int defaultNodes() {
      return parts.spec().defaultNodes();
    }

    @Override
    public List<String> nodeIds(int n) {
      return parts.spec().nodeIds(n);
    }

    @Override
    public Map<String, Object> constants(List<String> nodes) {
      return parts.spec().constants(nodes);
    }

    @Override
    public String crashAction(String node) {
      return parts.spec().crashAction(node);
    }

    @Override
    public String crashParam() {
      return parts.spec().crashParam();
    }

    @Override
    public int maxFaulty(int nodes) {
      return parts.spec().maxFaulty(nodes);
    }

    @Override
    public boolean stillFaulty(ProtocolNode<?> node) {
      return parts.spec().stillFaulty(node);
    }

    @Override
    public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {
      parts.workloads().workload(nodes, random, schedule);
    }

    @Override
    public Clients clients(List<String> nodes, long operations, SplittableRandom random) {
      return parts.workloads().clients(nodes, operations, random);
    }

    @Override
    public List<String> workloads() {
      return parts.workloads().workloads();
    }

    @Override
    public void workload(String name, List<String> nodes, SplittableRandom random, Workload schedule) {
      parts.workloads().workload(name, nodes, random, schedule);
    }

    @Override
    public List<Class<? extends Record>> requestTypes() {
      return parts.workloads().requestTypes();
    }

    @Override
    public List<Class<? extends Record>> reportTypes() {
      return parts.workloads().reportTypes();
    }

    @Override
    public String awaiting(Reports r) {
      return parts.workloads().awaiting(r);
    }

    @Override
    public List<String> violations(Reports r) {
      return parts.workloads().violations(r);
    }

    @Override
    public java.util.Optional<CriticalSection> criticalSection() {
      return parts.workloads().criticalSection();
    }

    @Override
    public String toString() {
      return parts.variant() == null ? parts.name() : parts.name() + " with mutant " + parts.variant();
    }
  }
}
