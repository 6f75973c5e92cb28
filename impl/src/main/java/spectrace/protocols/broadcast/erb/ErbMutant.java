package spectrace.protocols.broadcast.erb;

import static spectrace.protocols.broadcast.reliable.BroadcastProtocol.MAX_BCAST;

import java.util.List;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.reliable.BroadcastMessage.Data;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of eager reliable broadcast, for testing trace validation.
 * Each keeps the spec's names and lies through the trace, so that only checking the trace
 * against EagerReliableBroadcast.tla catches it. An overriding action method carries the
 * annotation of the method it replaces and does not call it.
 */
public enum ErbMutant {

  DELIVERS_EVERY_COPY("delivers-every-copy",
      "a process delivers (and relays) every copy it receives, not only the first: no duplicate check"),

  RELAYS_EVERY_COPY("relays-every-copy",
      "a process delivers a message once but relays it again on every copy it receives"),

  RELAYS_UNDER_OWN_NAME("relays-under-own-name",
      "a relay carries the relaying process as the message's sender: receivers deliver a message nobody"
          + " broadcast");

  private final String word;
  private final String description;

  ErbMutant(String word, String description) {
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

  /** Eager reliable broadcast with this mutant's processes: still {@code erb}, with a variant. */
  public EagerReliableBroadcast protocol() {
    ErbMutant mutant = this;
    return new EagerReliableBroadcast() {
      @Override
      public String variant() {
        return mutant.word;
      }

      @Override
      protected EagerProcess newProcess(String id, List<String> nodes) {
        return switch (mutant) {
          case DELIVERS_EVERY_COPY -> new DeliversEveryCopy(id, nodes);
          case RELAYS_EVERY_COPY -> new RelaysEveryCopy(id, nodes);
          case RELAYS_UNDER_OWN_NAME -> new RelaysUnderOwnName(id, nodes);
        };
      }
    };
  }

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
