package spectrace.protocols.broadcast.fifo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastMessage.Data;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of the Java FIFO broadcast, for testing trace validation.
 *
 * <p>A mutant keeps FifoBroadcast.tla's action and variable names and lies about its
 * behaviour only through the trace: an action logged where the spec does not enable it, or
 * with effects the spec's action does not have. Each one subclasses {@link FifoProcess}; the
 * run's protocol is {@link #protocol()}, a {@link FifoBroadcast} still named {@code fifo}
 * whose {@link FifoBroadcast#variant() variant} is the mutant's name. An overriding action
 * method carries the annotation of the method it replaces, and does not call it.
 */
public enum FifoMutant {

  DELIVER_OUT_OF_TURN("deliver-out-of-turn",
      "a process delivers what reliable broadcast gives it at once, without waiting for the sender's earlier"
          + " messages (Deliver without InTurn)"),

  DEDUP_BY_COPY("dedup-by-copy",
      "a process remembers the copies it took, sender included, not the broadcast messages: it takes a"
          + " message again from every relay (Receive of a message already in rbDelivered)"),

  COUNT_NEXT_OF_RECEIVER("count-next-of-receiver",
      "a delivery counts up next for the receiver instead of the message's sender (next[p][p] for next[p][m.src])"),

  RELAY_RENUMBERED("relay-renumbered",
      "a relay numbers the message with the relaying process's own broadcast count, not the sender's"
          + " sequence number (a Data message the spec never sends)");

  private final String word;
  private final String description;

  FifoMutant(String word, String description) {
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
    for (FifoMutant m : values()) {
      names.add(m.word);
    }
    return List.copyOf(names);
  }

  /** FIFO broadcast with this mutant's processes. */
  public FifoBroadcast protocol() {
    FifoMutant mutant = this;
    return new FifoBroadcast() {
      @Override
      public String variant() {
        return word;
      }

      @Override
      protected FifoProcess newProcess(String id, List<String> procs) {
        return mutant.process(id, procs);
      }
    };
  }

  FifoProcess process(String id, List<String> procs) {
    return switch (this) {
      case DELIVER_OUT_OF_TURN -> new OutOfTurn(id, procs);
      case DEDUP_BY_COPY -> new DedupByCopy(id, procs);
      case COUNT_NEXT_OF_RECEIVER -> new CountsReceiver(id, procs);
      case RELAY_RENUMBERED -> new Renumbers(id, procs);
    };
  }

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
