package spectrace.protocols.broadcast.erb;

import static spectrace.protocols.broadcast.reliable.BroadcastProtocol.MAX_BCAST;

import java.util.List;
import spectrace.core.Mutant;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.reliable.BroadcastMessage.Data;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of eager reliable broadcast, for testing trace validation.
 * Each keeps the spec's names and lies through the trace, so that only checking the trace
 * against EagerReliableBroadcast.tla catches it. An overriding action method carries the
 * annotation of the method it replaces and does not call it.
 */
public final class ErbMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<BroadcastMessage>> ALL = List.of(
      new Mutant<>("delivers-every-copy",
          "a process delivers (and relays) every copy it receives, not only the first: no duplicate check",
          DeliversEveryCopy::new),
      new Mutant<>("relays-every-copy",
          "a process delivers a message once but relays it again on every copy it receives",
          RelaysEveryCopy::new),
      new Mutant<>("relays-under-own-name",
          "a relay carries the relaying process as the message's sender: receivers deliver a message nobody"
              + " broadcast",
          RelaysUnderOwnName::new));

  private ErbMutants() {}

  /** delivers-every-copy. */
  static final class DeliversEveryCopy extends EagerProcess {
    DeliversEveryCopy(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    @SpecAction(value = "Receive", self = "p")
    protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m) {
      deliverMsg(m);
      if (!m.src().equals(id)) {
        relay(m);
      }
    }
  }

  /** relays-every-copy. */
  static final class RelaysEveryCopy extends EagerProcess {
    RelaysEveryCopy(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    @SpecAction(value = "Receive", self = "p")
    protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m) {
      if (!hasDelivered(m)) {
        deliverMsg(m);
      }
      if (!m.src().equals(id)) {
        relay(m);
      }
    }
  }

  /** relays-under-own-name. */
  static final class RelaysUnderOwnName extends EagerProcess {
    RelaysUnderOwnName(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    @SpecAction(value = "Receive", self = "p")
    protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m) {
      if (hasDelivered(m)) {
        return;
      }
      deliverMsg(m);
      if (!m.src().equals(id)) {
        for (String r : procs) {
          if (!r.equals(id)) {
            send(r, new Data(new Msg(id, m.sn())));
          }
        }
      }
    }
  }
}
