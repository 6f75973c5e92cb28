package spectrace.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * A mutant: a deliberately broken implementation of a protocol, for testing that trace
 * validation catches it. A mutant is its name, what it gets wrong, and its nodes; everything
 * else of a run (the spec, the system model, the workload, the constants) is the protocol's.
 * Each protocol's mutants are listed in one place, next to the broken node classes, and the
 * registry ({@code spectrace.protocols.Protocols}) pairs the list with the protocol.
 *
 * @param name        the name the command line uses ({@code --mutant NAME}): lower-case words
 *                    joined by hyphens, e.g. {@code tm-commits-early}
 * @param description what the mutant gets wrong, in one line
 * @param nodes       the mutant's {@link Protocol#newNode}: given a node's id and the run's node
 *                    ids, the node to run, broken or (for a node the mutant leaves alone) correct
 * @param <M>         the protocol's sealed message type
 */
public record Mutant<M extends Message>(String name, String description,
    BiFunction<String, List<String>, ProtocolNode<M>> nodes) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  public Mutant {
    Objects.requireNonNull(nodes, "nodes");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a mutant's name is lower-case words joined by hyphens, not '" + name + "'");
    }
    if (description == null || description.isBlank() || description.contains("\n")) {
      throw new IllegalArgumentException("mutant " + name + ": the description is one line");
    }
  }

  /**
   * The mutant named {@code name} in {@code mutants}.
   *
   * @throws IllegalArgumentException when none is, naming the ones there are
   */
  public static <M extends Message> Mutant<M> named(String name, List<Mutant<M>> mutants) {
    for (Mutant<M> m : mutants) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("no mutant '" + name + "' (mutants: "
        + String.join(", ", mutants.stream().map(Mutant::name).toList()) + ")");
  }

  /**
   * {@code protocol} run by this mutant's nodes: the same name (so the trace names the same
   * spec), spec, model, constants, workload and invariants, with this mutant's name as
   * {@link Protocol#variant() variant} (so a replay command names it). The nodes are built as
   * for the protocol whose list declares the mutant; apply it to that protocol, or to one that
   * differs from it only in its workload.
   */
  public Protocol<M> applyTo(Protocol<M> protocol) {
    return new Mutated<>(protocol, this);
  }

  /** A protocol that delegates everything to the correct one but its nodes and its variant. */
  static final class Mutated<M extends Message> implements Protocol<M> {
    private final Protocol<M> correct;
    private final Mutant<M> mutant;

    Mutated(Protocol<M> correct, Mutant<M> mutant) {
      this.correct = Objects.requireNonNull(correct, "protocol");
      this.mutant = mutant;
    }

    @Override
    public String variant() {
      return mutant.name();
    }

    @Override
    public ProtocolNode<M> newNode(String id, List<String> nodes) {
      return mutant.nodes().apply(id, nodes);
    }

    // ---- the rest is the correct protocol's ----------------------------------------------------

    @Override
    public String name() {
      return correct.name();
    }

    @Override
    public Class<? extends Message> messageType() {
      return correct.messageType();
    }

    @Override
    public List<Class<? extends Record>> requestTypes() {
      return correct.requestTypes();
    }

    @Override
    public String specModule() {
      return correct.specModule();
    }

    @Override
    public SystemModel model() {
      return correct.model();
    }

    @Override
    public int defaultNodes() {
      return correct.defaultNodes();
    }

    @Override
    public List<String> nodeIds(int n) {
      return correct.nodeIds(n);
    }

    @Override
    public Map<String, Object> constants(List<String> nodes) {
      return correct.constants(nodes);
    }

    @Override
    public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {
      correct.workload(nodes, random, schedule);
    }

    @Override
    public List<String> workloads() {
      return correct.workloads();
    }

    @Override
    public void workload(String name, List<String> nodes, SplittableRandom random, Workload schedule) {
      correct.workload(name, nodes, random, schedule);
    }

    @Override
    public String crashAction(String node) {
      return correct.crashAction(node);
    }

    @Override
    public String crashParam() {
      return correct.crashParam();
    }

    @Override
    public List<Invariant> invariants() {
      return correct.invariants();
    }

    @Override
    public String toString() {
      return correct.name() + " with mutant " + mutant.name();
    }
  }
}
