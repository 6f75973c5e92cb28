package spectrace.protocols;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import spectrace.core.Protocol;
import spectrace.protocols.maekawa.Maekawa;
import spectrace.protocols.maekawa.MaekawaMutant;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.protocols.twophase.TwoPhaseMutant;

/**
 * The protocols spectrace implements, by the names the command line uses, and their mutants:
 * deliberately broken implementations, for testing that trace validation catches them.
 */
public final class Protocols {

  private static final Map<String, Protocol<?>> ALL = new TreeMap<>();
  /** Per protocol, its mutants by name, in the order they are listed. */
  private static final Map<String, Map<String, Supplier<Protocol<?>>>> MUTANTS = new TreeMap<>();

  static {
    register(new TwoPhase());
    for (TwoPhaseMutant m : TwoPhaseMutant.values()) {
      registerMutant("twophase", m.word(), m::protocol);
    }
    register(new Maekawa());
    for (MaekawaMutant m : MaekawaMutant.values()) {
      registerMutant("maekawa", m.word(), m::protocol);
    }
  }

  private Protocols() {}

  private static void register(Protocol<?> p) {
    ALL.put(p.name(), p);
  }

  private static void registerMutant(String protocol, String mutant, Supplier<Protocol<?>> factory) {
    MUTANTS.computeIfAbsent(protocol, k -> new LinkedHashMap<>()).put(mutant, factory);
  }

  /** The protocol named {@code name}. */
  public static Protocol<?> get(String name) {
    Protocol<?> p = ALL.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown protocol '" + name + "' (protocols: " + String.join(", ", names()) + ")");
    }
    return p;
  }

  /**
   * The protocol named {@code name}, implemented by its mutant {@code mutant}; with a null
   * {@code mutant}, the correct implementation.
   *
   * @throws IllegalArgumentException for an unknown protocol or mutant, naming the known ones
   */
  public static Protocol<?> get(String name, String mutant) {
    Protocol<?> p = get(name);
    if (mutant == null) {
      return p;
    }
    Supplier<Protocol<?>> m = MUTANTS.getOrDefault(name, Map.of()).get(mutant);
    if (m == null) {
      List<String> known = mutants(name);
      throw new IllegalArgumentException("unknown mutant '" + mutant + "' of " + name + " ("
          + (known.isEmpty() ? name + " has no mutants" : "mutants: " + String.join(", ", known)) + ")");
    }
    return m.get();
  }

  /** The names of the mutants of the protocol {@code protocol}, in their listed order; none for some. */
  public static List<String> mutants(String protocol) {
    get(protocol);
    return List.copyOf(MUTANTS.getOrDefault(protocol, Map.of()).keySet());
  }

  /** Every protocol's name, sorted. */
  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }
}
