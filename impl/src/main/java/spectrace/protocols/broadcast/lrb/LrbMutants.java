package spectrace.protocols.broadcast.lrb;

import static spectrace.protocols.broadcast.reliable.BroadcastProtocol.MAX_BCAST;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import spectrace.core.Mutant;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.reliable.BroadcastMessage;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of lazy reliable broadcast, for testing trace validation. Each
 * keeps the spec's names and lies through the trace, so that only checking the trace against
 * LazyReliableBroadcast.tla catches it. An overriding action method carries the annotation of
 * the method it replaces and does not call it.
 */
public final class LrbMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<BroadcastMessage>> ALL = List.of(
      new Mutant<>("relays-eagerly",
          "a process relays every message on first receipt, crash or no crash: eager broadcast's cost, which"
              + " the lazy spec does not allow",
          RelaysEagerly::new),
      new Mutant<>("suspects-silent-processes",
          "a process takes a process it has not heard from for " + Timeouts.SUSPECT + " ticks for crashed"
              + " (a timeout, not a perfect failure detector): DetectCrash of a live process",
          SuspectsSilentProcesses::new),
      new Mutant<>("delivers-every-copy",
          "a process delivers every copy it receives, not only the first: no duplicate check",
          DeliversEveryCopy::new));

  /** The mutants' own timeouts. */
  static final class Timeouts {
    /** Ticks of silence after which suspects-silent-processes takes a process for crashed. */
    static final long SUSPECT = 60;

    private Timeouts() {}
  }

  private LrbMutants() {}

  /** relays-eagerly. */
  static final class RelaysEagerly extends LazyProcess {
    RelaysEagerly(String id, List<String> nodes) {
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
        relay(m);
      }
    }
  }

  /** suspects-silent-processes: a timeout per process, reset by every message from it. */
  static final class SuspectsSilentProcesses extends LazyProcess {
    private static final String TIMER = "suspect:";
    private final Map<String, Boolean> heard = new TreeMap<>();

    SuspectsSilentProcesses(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    public void start() {
      for (String q : procs) {
        if (!q.equals(id)) {
          setTimer(TIMER + q, Timeouts.SUSPECT);
        }
      }
    }

    @Override
    public void onMessage(String from, BroadcastMessage msg) {
      heard.put(from, true);
      super.onMessage(from, msg);
    }

    @Override
    public void onTimer(String name) {
      String q = name.substring(TIMER.length());
      if (heard.remove(q) != null) {
        setTimer(name, Timeouts.SUSPECT);
      } else if (correct.contains(q)) {
        detectCrash(q);
      }
    }
  }

  /** delivers-every-copy. */
  static final class DeliversEveryCopy extends LazyProcess {
    DeliversEveryCopy(String id, List<String> nodes) {
      super(id, nodes, MAX_BCAST);
    }

    @Override
    @SpecAction(value = "Receive", self = "p")
    protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m) {
      deliverMsg(m);
      if (!correct.contains(m.src())) {
        relay(m);
      }
    }
  }
}
