package spectrace.protocols.broadcast.total;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * {@link SequencerProcess}; the run's protocol is {@link #protocol()}, a
 * {@link TotalOrderBroadcast} still named {@code total} whose
 * {@link TotalOrderBroadcast#variant() variant} is the mutant's name. An overriding action
 * method carries the annotation of the method it replaces, and does not call it.
 */
public enum TotalOrderMutant {

  DELIVER_ON_ARRIVAL("deliver-on-arrival",
      "a process delivers the sequencer's messages as they arrive, whatever their numbers (Deliver without"
          + " InTurn)"),

  NUMBER_BY_SENDER("number-by-sender",
      "the sequencer numbers a message with its sender's sequence number, not with its own count (two"
          + " messages may get one number)"),

  DEDUP_BY_COPY("dedup-by-copy",
      "a process remembers the copies of Orders it took, sender included, not the numbered messages: it takes a"
          + " message again from every relay (Receive of a message already in rbDelivered)");

  private final String word;
  private final String description;

  TotalOrderMutant(String word, String description) {
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
    for (TotalOrderMutant m : values()) {
      names.add(m.word);
    }
    return List.copyOf(names);
  }

  /** Total-order broadcast with this mutant's processes. */
  public TotalOrderBroadcast protocol() {
    TotalOrderMutant mutant = this;
    return new TotalOrderBroadcast() {
      @Override
      public String variant() {
        return word;
      }

      @Override
      protected TotalOrderProcess newProcess(String id, List<String> procs) {
        return mutant.process(id, procs);
      }
    };
  }

  TotalOrderProcess process(String id, List<String> procs) {
    String sequencer = procs.get(0);
    boolean seq = id.equals(sequencer);
    return switch (this) {
      case DELIVER_ON_ARRIVAL -> seq ? new SequencerOnArrival(id, procs) : new OnArrival(id, procs, sequencer);
      case NUMBER_BY_SENDER -> seq ? new NumbersBySender(id, procs) : new TotalOrderProcess(id, procs, sequencer);
      case DEDUP_BY_COPY -> seq ? new SequencerProcess(id, procs) : new DedupByCopy(id, procs, sequencer);
    };
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
