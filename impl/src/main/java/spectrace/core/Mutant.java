package spectrace.core;

import java.util.List;
import java.util.Objects;
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
 * @param adversaries for a bug that only a faulty peer's lie brings out (a backup that takes a
 *                    second PRE-PREPARE shows it only to a primary that equivocates), the
 *                    adversaries its runs' Byzantine nodes pick from; null for the protocol's
 * @param <M>         the protocol's sealed message type
 */
public record Mutant<M extends Message>(String name, String description,
    BiFunction<String, List<String>, ProtocolNode<M>> nodes, List<Adversary> adversaries) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  public Mutant {
    Objects.requireNonNull(nodes, "nodes");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a mutant's name is lower-case words joined by hyphens, not '" + name + "'");
    }
    if (description == null || description.isBlank() || description.contains("\n")) {
      throw new IllegalArgumentException("mutant " + name + ": the description is one line");
    }
    if (adversaries != null) {
      if (adversaries.isEmpty()) {
        throw new IllegalArgumentException("mutant " + name + ": an empty list of adversaries (null for the protocol's)");
      }
      adversaries = List.copyOf(adversaries);
    }
  }

  /** A mutant whose runs' Byzantine nodes, if any, pick from the protocol's adversaries. */
  public Mutant(String name, String description, BiFunction<String, List<String>, ProtocolNode<M>> nodes) {
    this(name, description, nodes, null);
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
   * {@code protocol} run by this mutant's nodes: its parts ({@link Protocol.Parts}) with this
   * mutant's node factory, and this mutant's name as {@link Protocol#variant() variant} (so a
   * replay command names it), and its adversaries if it names any; the name (so the trace names
   * the same spec), spec binding, model, workloads and invariants stay the protocol's. The nodes are built as for the
   * protocol whose list declares the mutant; apply it to that protocol, or to one that differs
   * from it only in its workload.
   */
  public Protocol<M> applyTo(Protocol<M> protocol) {
    Protocol.Parts<M> parts = Protocol.Parts.of(protocol).withNodes(name, nodes::apply);
    return Protocol.compose(adversaries == null ? parts : parts.withAdversaries(adversaries));
  }
}
