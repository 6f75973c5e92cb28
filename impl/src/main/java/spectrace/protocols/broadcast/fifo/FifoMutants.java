package spectrace.protocols.broadcast.fifo;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import spectrace.core.Mutant;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.reliable.BroadcastMessage.Data;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of the Java FIFO broadcast, for testing trace validation.
 *
 * <p>A mutant keeps FifoBroadcast.tla's action and variable names and lies about its
 * behaviour only through the trace: an action logged where the spec does not enable it, or
 * with effects the spec's action does not have. Each one subclasses {@link FifoProcess} and
 * is declared once in {@link #ALL}; {@link spectrace.core.Mutant#applyTo} runs it as
 * {@code fifo} with the mutant's name as variant. An overriding action method carries the
 * annotation of the method it replaces, and does not call it.
 */
public final class FifoMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<BroadcastMessage>> ALL = List.of(
      new Mutant<>("deliver-out-of-turn",
          "a process delivers what reliable broadcast gives it at once, without waiting for the sender's earlier"
              + " messages (Deliver without InTurn)",
          OutOfTurn::new),
      new Mutant<>("dedup-by-copy",
          "a process remembers the copies it took, sender included, not the broadcast messages: it takes a"
              + " message again from every relay (Receive of a message already in rbDelivered)",
          DedupByCopy::new),
      new Mutant<>("count-next-of-receiver",
          "a delivery counts up next for the receiver instead of the message's sender (next[p][p] for next[p][m.src])",
          CountsReceiver::new),
      new Mutant<>("relay-renumbered",
          "a relay numbers the message with the relaying process's own broadcast count, not the sender's"
              + " sequence number (a Data message the spec never sends)",
          Renumbers::new));

  private FifoMutants() {}

  /** deliver-out-of-turn: every pending message is in turn. */
  static final class OutOfTurn extends FifoProcess {
    OutOfTurn(String id, List<String> procs) {
      super(id, procs);
    }

    @Override
    protected boolean inTurn(Msg m) {
      return true;
    }
  }

  /** dedup-by-copy: a message is new while its copy from that sender is. */
  static final class DedupByCopy extends FifoProcess {
    private final Set<List<Object>> taken = new HashSet<>();

    DedupByCopy(String id, List<String> procs) {
      super(id, procs);
    }

    @Override
    public void onMessage(String from, BroadcastMessage msg) {
      if (msg instanceof Data d && taken.add(List.of(from, d.m()))) {
        receive(from, d.m());
        deliverInTurn();
      }
    }
  }

  /** count-next-of-receiver: Deliver counts up the wrong entry of next. */
  static final class CountsReceiver extends FifoProcess {
    CountsReceiver(String id, List<String> procs) {
      super(id, procs);
    }

    @Override
    @SpecAction(value = "Deliver", self = "p")
    protected void fifoDeliver(@SpecParam("m") Msg m) {
      delivered.add(m);
      pending.remove(m);
      next.merge(id, 1, Integer::sum);
      deliver(m);
    }
  }

  /** relay-renumbered: a relay carries the relay's own broadcast count as the sequence number. */
  static final class Renumbers extends FifoProcess {
    Renumbers(String id, List<String> procs) {
      super(id, procs);
    }

    @Override
    @SpecAction(value = "Receive", self = "p")
    protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m) {
      rbDelivered.add(m);
      pending.add(m);
      toOthers(new Msg(m.src(), Math.max(1, broadcasts)));
    }
  }
}
