package spectrace.protocols.broadcast.beb;

import static spectrace.protocols.broadcast.reliable.BroadcastProtocol.MAX_BCAST;

import java.util.List;
import spectrace.core.Mutant;
import spectrace.core.SpecAction;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.BroadcastRequest;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of best-effort broadcast, for testing trace validation. Each
 * keeps the spec's action and variable names and lies through the trace (an action the spec
 * does not enable, or one whose effects differ from the spec's), so that only checking the
 * trace against BestEffortBroadcast.tla catches it. An overriding action method carries the
 * annotation of the method it replaces and does not call it.
 */
public final class BebMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<BroadcastMessage>> ALL = List.of(
      new Mutant<>("delivers-on-broadcast",
          "the sender delivers its message as it broadcasts it, and again when its own copy arrives",
          DeliversOnBroadcast::new),
      new Mutant<>("reuses-sequence-number",
          "a second broadcast goes out under the first one's sequence number: two messages look alike",
          ReusesSequenceNumber::new),
      new Mutant<>("broadcasts-twice",
          "each broadcast request is carried out twice, the second time without checking MaxBcast: a process"
              + " asked twice broadcasts a third message",
          BroadcastsTwice::new));

  private BebMutants() {}

  /** delivers-on-broadcast. */
  static final class DeliversOnBroadcast extends BestEffortProcess {
    DeliversOnBroadcast(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    @SpecAction(value = "Broadcast", self = "p")
    protected void broadcast() {
      Msg m = nextMsg();
      broadcasts++;
      deliverMsg(m);
      sendToAll(m);
    }
  }

  /** reuses-sequence-number. */
  static final class ReusesSequenceNumber extends BestEffortProcess {
    ReusesSequenceNumber(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    @SpecAction(value = "Broadcast", self = "p")
    protected void broadcast() {
      Msg m = new Msg(id, 1);
      broadcasts++;
      sendToAll(m);
    }
  }

  /** broadcasts-twice. */
  static final class BroadcastsTwice extends BestEffortProcess {
    BroadcastsTwice(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    public void onRequest(Object request) {
      if (request instanceof BroadcastRequest) {
        if (canBroadcast()) {
          broadcast();
        }
        twice();
      }
    }

    /** The second copy of the request, with no check that the process may still broadcast. */
    @SpecAction(value = "Broadcast", self = "p")
    void twice() {
      Msg m = new Msg(id, broadcasts + 1);
      broadcasts++;
      sendToAll(m);
    }
  }

}
