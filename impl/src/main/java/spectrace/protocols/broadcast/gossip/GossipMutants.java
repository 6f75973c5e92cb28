package spectrace.protocols.broadcast.gossip;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiFunction;
import spectrace.core.Mutant;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.gossip.GossipMessage.Gossip;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of the Java gossip broadcast, for testing trace validation.
 *
 * <p>A mutant keeps GossipBroadcast.tla's action and variable names and lies about its
 * behaviour only through the trace. Each one subclasses {@link GossipProcess} and is declared
 * once in {@link #ALL}, for gossip with the ln N fanout (the {@link GossipBroadcast#GossipBroadcast()
 * default}); {@link spectrace.core.Mutant#applyTo} runs it as {@code gossip} with the mutant's
 * name as variant. An overriding action method carries the annotation of the method it
 * replaces, and does not call it.
 */
public final class GossipMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<GossipMessage>> ALL = List.of(
      new Mutant<>("deliver-every-copy",
          "a process delivers and forwards every copy it receives, not only the first (Receive of a message it has"
              + " delivered)",
          processes(EveryCopy::new)),
      new Mutant<>("targets-include-self",
          "a process draws its targets among all processes, itself included (a target set outside Targets(p))",
          processes(TargetsSelf::new)),
      new Mutant<>("fanout-plus-one",
          "a process forwards to one process more than the fanout (a target set outside Targets(p))",
          processes((id, procs, fanout) -> new GossipProcess(id, procs, fanout + 1))),
      new Mutant<>("sequence-not-counted",
          "a broadcast does not count up broadcasts: every message of a process is its first (broadcasts unchanged by"
              + " Broadcast)",
          processes(NotCounted::new)));

  /** A process, given its id, the processes and the fanout of the run. */
  @FunctionalInterface
  private interface Process {
    GossipProcess make(String id, List<String> procs, int fanout);
  }

  private GossipMutants() {}

  /** The processes of a run, each with the fanout of the default gossip (the ln N rule). */
  private static BiFunction<String, List<String>, ProtocolNode<GossipMessage>> processes(Process process) {
    return (id, procs) -> process.make(id, procs, GossipBroadcast.lnRule(procs.size()));
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
