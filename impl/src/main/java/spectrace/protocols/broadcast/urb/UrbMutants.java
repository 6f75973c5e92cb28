package spectrace.protocols.broadcast.urb;

import static spectrace.protocols.broadcast.reliable.BroadcastProtocol.MAX_BCAST;

import java.util.List;
import spectrace.core.Mutant;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastMessage.Data;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of majority-ack uniform reliable broadcast, for testing trace
 * validation. Each keeps the spec's names and lies through the trace, so that only checking
 * the trace against UniformReliableBroadcast.tla catches it.
 */
public final class UrbMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<BroadcastMessage>> ALL = List.of(
      new Mutant<>("delivers-on-first-copy",
          "a process delivers a message as soon as it has one copy, before a majority has it (the model"
              + " MCUniformReliableBroadcastEarlyDelivery)",
          DeliversOnFirstCopy::new),
      new Mutant<>("majority-off-by-one",
          "half the processes count as a majority (2 * |ack| >= N): with N even, a process delivers one"
              + " acknowledgement early",
          MajorityOffByOne::new),
      new Mutant<>("delivers-every-copy",
          "a process delivers again on every copy that arrives once a majority has the message: no check"
              + " that it has delivered it already",
          DeliversEveryCopy::new));

  private UrbMutants() {}

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
