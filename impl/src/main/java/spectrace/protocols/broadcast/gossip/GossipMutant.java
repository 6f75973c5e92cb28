package spectrace.protocols.broadcast.gossip;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.gossip.GossipMessage.Gossip;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of the Java gossip broadcast, for testing trace validation.
 *
 * <p>A mutant keeps GossipBroadcast.tla's action and variable names and lies about its
 * behaviour only through the trace. Each one subclasses {@link GossipProcess}; the run's
 * protocol is {@link #protocol()}, a {@link GossipBroadcast} still named {@code gossip} whose
 * {@link GossipBroadcast#variant() variant} is the mutant's name. An overriding action method
 * carries the annotation of the method it replaces, and does not call it.
 */
public enum GossipMutant {

  DELIVER_EVERY_COPY("deliver-every-copy",
      "a process delivers and forwards every copy it receives, not only the first (Receive of a message it has"
          + " delivered)"),

  TARGETS_INCLUDE_SELF("targets-include-self",
      "a process draws its targets among all processes, itself included (a target set outside Targets(p))"),

  FANOUT_PLUS_ONE("fanout-plus-one",
      "a process forwards to one process more than the fanout (a target set outside Targets(p))"),

  SEQUENCE_NOT_COUNTED("sequence-not-counted",
      "a broadcast does not count up broadcasts: every message of a process is its first (broadcasts unchanged by"
          + " Broadcast)");

  private final String word;
  private final String description;

  GossipMutant(String word, String description) {
    this.word = word;
    this.description = description;
  }

  /** The name the command line uses. */
  public String word() {
    return word;
  }

  /** What the mutant gets wrong, in one line. */
  public String description() {
    return description;
  }

  /** Every mutant's name, in declaration order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (GossipMutant m : values()) {
      names.add(m.word);
    }
    return List.copyOf(names);
  }

  /** Gossip broadcast (the default fanout and workload) with this mutant's processes. */
  public GossipBroadcast protocol() {
    GossipMutant mutant = this;
    return new GossipBroadcast() {
      @Override
      public String variant() {
        return word;
      }

      @Override
      protected GossipProcess newProcess(String id, List<String> procs, int fanout) {
        return mutant.process(id, procs, fanout);
      }
    };
  }

  GossipProcess process(String id, List<String> procs, int fanout) {
    return switch (this) {
      case DELIVER_EVERY_COPY -> new EveryCopy(id, procs, fanout);
      case TARGETS_INCLUDE_SELF -> new TargetsSelf(id, procs, fanout);
      case FANOUT_PLUS_ONE -> new GossipProcess(id, procs, fanout + 1);
      case SEQUENCE_NOT_COUNTED -> new NotCounted(id, procs, fanout);
    };
  }

  /** deliver-every-copy: no check that a message is new. */
  static final class EveryCopy extends GossipProcess {
    EveryCopy(String id, List<String> procs, int fanout) {
      super(id, procs, fanout);
    }

    @Override
    public void onMessage(String from, GossipMessage msg) {
      if (msg instanceof Gossip g) {
        receive(from, g.m(), targets());
      }
    }
  }

  /** targets-include-self: fanout processes drawn among all, this one included. */
  static final class TargetsSelf extends GossipProcess {
    TargetsSelf(String id, List<String> procs, int fanout) {
      super(id, procs, fanout);
    }

    @Override
    protected SortedSet<String> targets() {
      SortedSet<String> t = new TreeSet<>();
      while (t.size() < Math.min(fanout, procs.size())) {
        t.add(procs.get(random().nextInt(procs.size())));
      }
      return t;
    }
  }

  /** sequence-not-counted: Broadcast numbers every message 1. */
  static final class NotCounted extends GossipProcess {
    NotCounted(String id, List<String> procs, int fanout) {
      super(id, procs, fanout);
    }

    @Override
    @SpecAction(value = "Broadcast", self = "p")
    protected void broadcast(@SpecParam("t") SortedSet<String> t) {
      Msg m = new Msg(id, broadcasts + 1);
      delivered.add(m);
      deliver(m);
      forward(m, t);
    }
  }
}
