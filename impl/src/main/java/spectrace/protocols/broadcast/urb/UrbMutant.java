package spectrace.protocols.broadcast.urb;

import static spectrace.protocols.broadcast.reliable.BroadcastProtocol.MAX_BCAST;

import java.util.List;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastMessage.Data;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of majority-ack uniform reliable broadcast, for testing trace
 * validation. Each keeps the spec's names and lies through the trace, so that only checking
 * the trace against UniformReliableBroadcast.tla catches it.
 */
public enum UrbMutant {

  DELIVERS_ON_FIRST_COPY("delivers-on-first-copy",
      "a process delivers a message as soon as it has one copy, before a majority has it (the model"
          + " MCUniformReliableBroadcastEarlyDelivery)"),

  MAJORITY_OFF_BY_ONE("majority-off-by-one",
      "half the processes count as a majority (2 * |ack| >= N): with N even, a process delivers one"
          + " acknowledgement early"),

  DELIVERS_EVERY_COPY("delivers-every-copy",
      "a process delivers again on every copy that arrives once a majority has the message: no check"
          + " that it has delivered it already");

  private final String word;
  private final String description;

  UrbMutant(String word, String description) {
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

  /** Uniform reliable broadcast with this mutant's processes: still {@code urb}, with a variant. */
  public UniformReliableBroadcast protocol() {
    UrbMutant mutant = this;
    return new UniformReliableBroadcast() {
      @Override
      public String variant() {
        return mutant.word;
      }

      @Override
      protected MajorityAckProcess newProcess(String id, List<String> nodes) {
        return switch (mutant) {
          case DELIVERS_ON_FIRST_COPY -> new DeliversOnFirstCopy(id, nodes);
          case MAJORITY_OFF_BY_ONE -> new MajorityOffByOne(id, nodes);
          case DELIVERS_EVERY_COPY -> new DeliversEveryCopy(id, nodes);
        };
      }
    };
  }

  /** delivers-on-first-copy. */
  static final class DeliversOnFirstCopy extends MajorityAckProcess {
    DeliversOnFirstCopy(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    protected boolean canDeliver(Msg m) {
      return !acks(m).isEmpty();
    }
  }

  /** majority-off-by-one. */
  static final class MajorityOffByOne extends MajorityAckProcess {
    MajorityOffByOne(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    protected boolean canDeliver(Msg m) {
      return 2 * acks(m).size() >= procs.size();
    }
  }

  /** delivers-every-copy. */
  static final class DeliversEveryCopy extends MajorityAckProcess {
    DeliversEveryCopy(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    public void onMessage(String from, BroadcastMessage msg) {
      if (msg instanceof Data d) {
        receive(from, d.m());
        if (pending.contains(d.m()) && canDeliver(d.m())) {
          deliverPending(d.m());
        }
      }
    }
  }
}
