package spectrace.protocols;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import spectrace.core.Message;
import spectrace.core.Mutant;
import spectrace.core.Protocol;
import spectrace.protocols.broadcast.beb.BebMutants;
import spectrace.protocols.broadcast.beb.BestEffortBroadcast;
import spectrace.protocols.broadcast.causal.CausalBroadcast;
import spectrace.protocols.broadcast.causal.CausalMutants;
import spectrace.protocols.broadcast.erb.EagerReliableBroadcast;
import spectrace.protocols.broadcast.erb.ErbMutants;
import spectrace.protocols.broadcast.fifo.FifoBroadcast;
import spectrace.protocols.broadcast.fifo.FifoMutants;
import spectrace.protocols.broadcast.gossip.GossipBroadcast;
import spectrace.protocols.broadcast.gossip.GossipMutants;
import spectrace.protocols.broadcast.lrb.LazyReliableBroadcast;
import spectrace.protocols.broadcast.lrb.LrbMutants;
import spectrace.protocols.broadcast.total.TotalOrderBroadcast;
import spectrace.protocols.broadcast.total.TotalOrderMutants;
import spectrace.protocols.broadcast.urb.UniformReliableBroadcast;
import spectrace.protocols.broadcast.urb.UrbMutants;
import spectrace.protocols.maekawa.Maekawa;
import spectrace.protocols.maekawa.MaekawaMutants;
import spectrace.protocols.raft.Raft;
import spectrace.protocols.raft.RaftMutants;
import spectrace.protocols.vr.Vr;
import spectrace.protocols.vr.VrMutants;
import spectrace.protocols.pbft.Pbft;
import spectrace.protocols.pbft.PbftMutants;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.protocols.twophase.TwoPhaseMutants;

/**
 * The protocols spectrace implements, by the names the command line uses, and their mutants:
 * deliberately broken implementations, for testing that trace validation catches them. Each
 * protocol is registered once, with the list that declares its mutants.
 */
public final class Protocols {

  /** A protocol and its mutants by name, in their listed order. */
  private record Entry<M extends Message>(Protocol<M> protocol, Map<String, Mutant<M>> mutants) {
    Protocol<M> mutated(String mutant) {
      return mutants.get(mutant).applyTo(protocol);
    }
  }

  private static final Map<String, Entry<?>> ALL = new TreeMap<>();

  static {
    register(new TwoPhase(), TwoPhaseMutants.ALL);
    register(new BestEffortBroadcast(), BebMutants.ALL);
    register(new EagerReliableBroadcast(), ErbMutants.ALL);
    register(new LazyReliableBroadcast(), LrbMutants.ALL);
    register(new UniformReliableBroadcast(), UrbMutants.ALL);
    register(new FifoBroadcast(), FifoMutants.ALL);
    register(new CausalBroadcast(), CausalMutants.ALL);
    register(new TotalOrderBroadcast(), TotalOrderMutants.ALL);
    register(new GossipBroadcast(), GossipMutants.ALL);
    register(new Maekawa(), MaekawaMutants.ALL);
    register(new Raft(), RaftMutants.ALL);
    register(new Vr(), VrMutants.ALL);
    register(new Pbft(), PbftMutants.ALL);
  }

  private Protocols() {}

  private static <M extends Message> void register(Protocol<M> p, List<Mutant<M>> mutants) {
    Map<String, Mutant<M>> byName = new LinkedHashMap<>();
    for (Mutant<M> m : mutants) {
      if (byName.put(m.name(), m) != null) {
        throw new IllegalStateException(p.name() + " lists the mutant " + m.name() + " twice");
      }
    }
    if (ALL.put(p.name(), new Entry<>(p, byName)) != null) {
      throw new IllegalStateException("two protocols are named " + p.name());
    }
  }

  private static Entry<?> entry(String name) {
    Entry<?> e = ALL.get(name);
    if (e == null) {
      throw new IllegalArgumentException("unknown protocol '" + name + "' (protocols: " + String.join(", ", names()) + ")");
    }
    return e;
  }

  /** The protocol named {@code name}. */
  public static Protocol<?> get(String name) {
    return entry(name).protocol();
  }

  /**
   * The protocol named {@code name}, implemented by its mutant {@code mutant}; with a null
   * {@code mutant}, the correct implementation.
   *
   * @throws IllegalArgumentException for an unknown protocol or mutant, naming the known ones
   */
  public static Protocol<?> get(String name, String mutant) {
    Entry<?> e = entry(name);
    if (mutant == null) {
      return e.protocol();
    }
    mutant(name, mutant);
    return e.mutated(mutant);
  }

  /**
   * The mutant named {@code mutant} of the protocol {@code protocol}.
   *
   * @throws IllegalArgumentException for an unknown protocol or mutant, naming the known ones
   */
  public static Mutant<?> mutant(String protocol, String mutant) {
    Mutant<?> m = entry(protocol).mutants().get(mutant);
    if (m == null) {
      List<String> known = mutants(protocol);
      throw new IllegalArgumentException("unknown mutant '" + mutant + "' of " + protocol + " ("
          + (known.isEmpty() ? protocol + " has no mutants" : "mutants: " + String.join(", ", known)) + ")");
    }
    return m;
  }

  /** The names of the mutants of the protocol {@code protocol}, in their listed order; none for some. */
  public static List<String> mutants(String protocol) {
    return List.copyOf(entry(protocol).mutants().keySet());
  }

  /** Every protocol's name, sorted. */
  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }
}
