package spectrace.protocols.broadcast.total;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import spectrace.core.Mutant;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.total.TotalOrderMessage.Order;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of the Java total-order broadcast, for testing trace
 * validation.
 *
 * <p>A mutant keeps TotalOrderBroadcast.tla's action and variable names and lies about its
 * behaviour only through the trace. Each one subclasses {@link TotalOrderProcess} or
 * {@link SequencerProcess} and is declared once in {@link #ALL}; the first process of a run is
 * the sequencer, as in {@link TotalOrderBroadcast}. {@link spectrace.core.Mutant#applyTo} runs
 * it as {@code total} with the mutant's name as variant. An overriding action method carries
 * the annotation of the method it replaces, and does not call it.
 */
public final class TotalOrderMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<TotalOrderMessage>> ALL = List.of(
      new Mutant<>("deliver-on-arrival",
          "a process delivers the sequencer's messages as they arrive, whatever their numbers (Deliver without"
              + " InTurn)",
          processes(SequencerOnArrival::new, OnArrival::new)),
      new Mutant<>("number-by-sender",
          "the sequencer numbers a message with its sender's sequence number, not with its own count (two"
              + " messages may get one number)",
          processes(NumbersBySender::new, TotalOrderProcess::new)),
      new Mutant<>("dedup-by-copy",
          "a process remembers the copies of Orders it took, sender included, not the numbered messages: it takes a"
              + " message again from every relay (Receive of a message already in rbDelivered)",
          processes(SequencerProcess::new, DedupByCopy::new)));

  /** A process that is not the sequencer, given its id, the processes and the sequencer. */
  @FunctionalInterface
  private interface Member {
    TotalOrderProcess make(String id, List<String> procs, String sequencer);
  }

  private TotalOrderMutants() {}

  /** The processes of a run: the first is the sequencer, built by {@code sequencer}; the rest by {@code member}. */
  private static BiFunction<String, List<String>, ProtocolNode<TotalOrderMessage>> processes(
      BiFunction<String, List<String>, SequencerProcess> sequencer, Member member) {
    return (id, procs) -> id.equals(procs.get(0)) ? sequencer.apply(id, procs) : member.make(id, procs, procs.get(0));
  }

  /** deliver-on-arrival: every pending message is in turn. */
  static final class OnArrival extends TotalOrderProcess {
    OnArrival(String id, List<String> procs, String sequencer) {
      super(id, procs, sequencer);
    }

    @Override
    protected boolean inTurn(Numbered o) {
      return true;
    }
  }

  /** deliver-on-arrival, at the sequencer. */
  static final class SequencerOnArrival extends SequencerProcess {
    SequencerOnArrival(String id, List<String> procs) {
      super(id, procs);
    }

    @Override
    protected boolean inTurn(Numbered o) {
      return true;
    }
  }

  /** number-by-sender: the number is the message's sn. */
  static final class NumbersBySender extends SequencerProcess {
    NumbersBySender(String id, List<String> procs) {
      super(id, procs);
    }

    @Override
    @SpecAction("Sequence")
    protected void sequence(@SpecParam("m") Msg m) {
      sequenced.add(m);
      Numbered o = new Numbered(m, m.sn());
      rbDelivered.add(o);
      pending.add(o);
      toOthers(new Order(o));
    }
  }

  /** dedup-by-copy: an Order is new while its copy from that sender is. */
  static final class DedupByCopy extends TotalOrderProcess {
    private final Set<List<Object>> taken = new HashSet<>();

    DedupByCopy(String id, List<String> procs, String sequencer) {
      super(id, procs, sequencer);
    }

    @Override
    public void onMessage(String from, TotalOrderMessage msg) {
      if (msg instanceof Order o && taken.add(List.of(from, o))) {
        receive(from, o.m(), o.numbered());
        deliverInTurn();
      }
    }
  }
}
