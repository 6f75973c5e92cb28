package spectrace.protocols.broadcast.causal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import spectrace.core.Mutant;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.broadcast.causal.CausalMessage.Data;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * Deliberately broken variants of the Java causal broadcast, for testing trace validation.
 *
 * <p>A mutant keeps CausalBroadcast.tla's action and variable names and lies about its
 * behaviour only through the trace. Each one subclasses {@link CausalProcess} and is declared
 * once in {@link #ALL}; {@link spectrace.core.Mutant#applyTo} runs it as {@code causal} with
 * the mutant's name as variant. An overriding action method carries the annotation of the
 * method it replaces, and does not call it.
 */
public final class CausalMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<CausalMessage>> ALL = List.of(
      new Mutant<>("fifo-only",
          "a message is ready as soon as it is the next one of its sender, whatever else its stamp counts"
              + " (Deliver without the rest of Ready)",
          FifoOnly::new),
      new Mutant<>("stamp-own-entry-only",
          "a broadcast stamps the message with the sender's own count only, not with what it has delivered from"
              + " the others (a Data message the spec never sends)",
          OwnEntryStamp::new),
      new Mutant<>("clock-not-counted",
          "a delivery does not count the message in the clock (vc unchanged by Deliver), so the next message of"
              + " that sender is never ready",
          ClockNotCounted::new),
      new Mutant<>("dedup-by-copy",
          "a process remembers the copies it took, sender included, not the broadcast messages: it takes a"
              + " message again from every relay (Receive of a message already in rbDelivered)",
          DedupByCopy::new));

  private CausalMutants() {}

  /** fifo-only: Ready looks at the sender's entry only. */
  static final class FifoOnly extends CausalProcess {
    FifoOnly(String id, List<String> procs) {
      super(id, procs);
    }

    @Override
    protected boolean ready(Stamped s) {
      return s.sn() == vc.get(s.src()) + 1;
    }
  }

  /** stamp-own-entry-only: the stamp counts nothing but the sender's own messages. */
  static final class OwnEntryStamp extends CausalProcess {
    OwnEntryStamp(String id, List<String> procs) {
      super(id, procs);
    }

    @Override
    @SpecAction(value = "Broadcast", self = "p")
    protected void broadcast() {
      broadcasts++;
      vc.merge(id, 1, Integer::sum);
      SortedMap<String, Integer> vt = new TreeMap<>();
      for (String q : procs) {
        vt.put(q, 0);
      }
      vt.put(id, broadcasts);
      Stamped s = new Stamped(id, broadcasts, vt);
      delivered.add(s.msg());
      rbDelivered.add(s.msg());
      deliver(s.msg());
      toOthers(new Data(s));
    }
  }

  /** clock-not-counted: Deliver leaves the clock alone. */
  static final class ClockNotCounted extends CausalProcess {
    ClockNotCounted(String id, List<String> procs) {
      super(id, procs);
    }

    @Override
    @SpecAction(value = "Deliver", self = "p")
    protected void causalDeliver(@SpecParam("m") Msg m, Stamped s) {
      delivered.add(m);
      pending.remove(s);
      deliver(m);
    }
  }

  /** dedup-by-copy: a message is new while its copy from that sender is. */
  static final class DedupByCopy extends CausalProcess {
    private final Set<List<Object>> taken = new HashSet<>();

    DedupByCopy(String id, List<String> procs) {
      super(id, procs);
    }

    @Override
    public void onMessage(String from, CausalMessage msg) {
      if (msg instanceof Data d && taken.add(List.of(from, d))) {
        receive(from, d.m(), d.stamped());
        deliverReady();
      }
    }
  }
}
