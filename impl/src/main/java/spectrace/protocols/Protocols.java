package spectrace.protocols;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import spectrace.core.Protocol;
import spectrace.protocols.broadcast.beb.BebMutant;
import spectrace.protocols.broadcast.beb.BestEffortBroadcast;
import spectrace.protocols.broadcast.causal.CausalBroadcast;
import spectrace.protocols.broadcast.causal.CausalMutant;
import spectrace.protocols.broadcast.erb.EagerReliableBroadcast;
import spectrace.protocols.broadcast.erb.ErbMutant;
import spectrace.protocols.broadcast.fifo.FifoBroadcast;
import spectrace.protocols.broadcast.fifo.FifoMutant;
import spectrace.protocols.broadcast.gossip.GossipBroadcast;
import spectrace.protocols.broadcast.gossip.GossipMutant;
import spectrace.protocols.broadcast.lrb.LazyReliableBroadcast;
import spectrace.protocols.broadcast.lrb.LrbMutant;
import spectrace.protocols.broadcast.total.TotalOrderBroadcast;
import spectrace.protocols.broadcast.total.TotalOrderMutant;
import spectrace.protocols.broadcast.urb.UniformReliableBroadcast;
import spectrace.protocols.broadcast.urb.UrbMutant;
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
    Arrays.stream(TwoPhaseMutant.values()).forEach(m -> registerMutant("twophase", m.word(), m::protocol));
    register(new BestEffortBroadcast());
    Arrays.stream(BebMutant.values()).forEach(m -> registerMutant("beb", m.word(), m::protocol));
    register(new EagerReliableBroadcast());
    Arrays.stream(ErbMutant.values()).forEach(m -> registerMutant("erb", m.word(), m::protocol));
    register(new LazyReliableBroadcast());
    Arrays.stream(LrbMutant.values()).forEach(m -> registerMutant("lrb", m.word(), m::protocol));
    register(new UniformReliableBroadcast());
    Arrays.stream(UrbMutant.values()).forEach(m -> registerMutant("urb", m.word(), m::protocol));
    register(new FifoBroadcast());
    Arrays.stream(FifoMutant.values()).forEach(m -> registerMutant("fifo", m.word(), m::protocol));
    register(new CausalBroadcast());
    Arrays.stream(CausalMutant.values()).forEach(m -> registerMutant("causal", m.word(), m::protocol));
    register(new TotalOrderBroadcast());
    Arrays.stream(TotalOrderMutant.values()).forEach(m -> registerMutant("total", m.word(), m::protocol));
    register(new GossipBroadcast());
    Arrays.stream(GossipMutant.values()).forEach(m -> registerMutant("gossip", m.word(), m::protocol));
    register(new Maekawa());
    Arrays.stream(MaekawaMutant.values()).forEach(m -> registerMutant("maekawa", m.word(), m::protocol));
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
