package spectrace.protocols.broadcast.lrb;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.core.SpecVar;
import spectrace.protocols.broadcast.reliable.BroadcastNode;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * A process of lazy reliable broadcast (specs/broadcast/LazyReliableBroadcast.tla; Cachin et
 * al., algorithm 3.2) over fail-stop processes: it delivers a message the first time it
 * receives it, and relays a message only when its sender is known to have crashed, told by
 * the perfect failure detector ({@link #onCrashNotification}). Without crashes it sends
 * nothing but its own broadcasts.
 */
public class LazyProcess extends BroadcastNode {

  /** {@code correct[p]}: the processes this one has not (yet) been told have crashed. */
  @SpecVar(value = "correct", indexed = true)
  protected final Set<String> correct = new TreeSet<>();

  public LazyProcess(String id, List<String> procs, int maxBcast) {
    super(id, procs, maxBcast);
    correct.addAll(procs);
  }

  @Override
  public void onCrashNotification(String crashed) {
    if (correct.contains(crashed)) {
      detectCrash(crashed);
    }
  }

  /** Broadcast(p): send the next message to every process, this one included. */
  @Override
  @SpecAction(value = "Broadcast", self = "p")
  protected void broadcast() {
    Msg m = nextMsg();
    broadcasts++;
    sendToAll(m);
  }

  /**
   * Receive(p, q, m): the first copy is delivered, and relayed if m's sender has crashed
   * (the crash was reported before the copy arrived); later copies are dropped.
   */
  @Override
  @SpecAction(value = "Receive", self = "p")
  protected void receive(@SpecParam("q") String q, @SpecParam("m") Msg m) {
    if (hasDelivered(m)) {
      return;
    }
    deliverMsg(m);
    if (!correct.contains(m.src())) {
      relay(m);
    }
  }

  /** DetectCrash(p, q): q has crashed; relay every message from q delivered so far. */
  @SpecAction(value = "DetectCrash", self = "p")
  protected void detectCrash(@SpecParam("q") String q) {
    correct.remove(q);
    for (Msg m : from(q)) {
      relay(m);
    }
  }

  /** {@code From(p, s)}: the messages from s this process has delivered, in delivery order. */
  protected final List<Msg> from(String s) {
    List<Msg> out = new ArrayList<>();
    for (Msg m : delivered) {
      if (m.src().equals(s)) {
        out.add(m);
      }
    }
    return out;
  }
}
