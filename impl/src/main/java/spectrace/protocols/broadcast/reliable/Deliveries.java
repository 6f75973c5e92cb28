package spectrace.protocols.broadcast.reliable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import spectrace.core.Reports;

/**
 * The properties of the broadcast family over what processes delivered, in order: one
 * statement of each, which the simulator's invariants apply to the processes' states and a
 * real cluster's driver applies to what its nodes reported ({@link #of(Reports)}). Each
 * returns null when the property holds, or what is wrong.
 */
public final class Deliveries {

  private Deliveries() {}

  /** Each node's reported deliveries, as messages, in the run's order. */
  public static Map<String, List<Msg>> of(Reports r) {
    Map<String, List<Msg>> out = new LinkedHashMap<>();
    for (String n : r.nodes()) {
      List<Msg> ms = new ArrayList<>();
      for (Object v : r.deliveries().get(n)) {
        if (!(v instanceof Msg m)) {
          throw new IllegalArgumentException(n + " reported the delivery of " + v + ", which is no broadcast message");
        }
        ms.add(m);
      }
      out.put(n, ms);
    }
    return out;
  }

  /**
   * How many messages each node broadcast, as far as its requests tell: one per
   * {@link BroadcastRequest}, up to {@code maxBcast} (a node ignores the requests beyond).
   */
  public static Map<String, Integer> broadcasts(Reports r, int maxBcast) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String n : r.nodes()) {
      out.put(n, (int) Math.min(maxBcast, r.requests(n, BroadcastRequest.class)));
    }
    return out;
  }

  /** NoDuplicationInv for process {@code p}: it delivered no message twice. */
  public static String noDuplication(String p, List<Msg> delivered) {
    Set<Msg> seen = new HashSet<>();
    for (Msg m : delivered) {
      if (!seen.add(m)) {
        return p + " delivered " + m + " twice: " + delivered;
      }
    }
    return null;
  }

  /**
   * NoCreationInv for process {@code p}: it delivered only messages that were broadcast.
   *
   * @param broadcasts how many messages a process has broadcast, or null where that is not
   *                   known (a crashed sender's count is gone with it)
   */
  public static String noCreation(String p, List<Msg> delivered, Collection<String> procs,
                                  Function<String, Integer> broadcasts) {
    for (Msg m : delivered) {
      if (!procs.contains(m.src())) {
        return p + " delivered " + m + " from no process of the run";
      }
      Integer b = broadcasts.apply(m.src());
      if (b != null && m.sn() > b) {
        return p + " delivered " + m + ", but " + m.src() + " has broadcast " + b + " messages";
      }
    }
    return null;
  }

  /** FifoOrderInv for process {@code p}: no message before every earlier message of its sender. */
  public static String fifoOrder(String p, List<Msg> delivered) {
    Set<Msg> before = new HashSet<>();
    for (Msg m : delivered) {
      for (int k = 1; k < m.sn(); k++) {
        if (!before.contains(new Msg(m.src(), k))) {
          return p + " delivered " + m + " before message " + k + " of " + m.src() + ": " + delivered;
        }
      }
      before.add(m);
    }
    return null;
  }

  /**
   * CausalOrderInv for process {@code p}: no message before those its sender had delivered
   * when it broadcast it (those before it in the sender's own delivery order).
   *
   * @param deliveredBy a process's deliveries in order, or null where they are not known
   */
  public static String causalOrder(String p, List<Msg> delivered, Function<String, List<Msg>> deliveredBy) {
    Set<Msg> before = new HashSet<>();
    for (Msg m : delivered) {
      List<Msg> sender = deliveredBy.apply(m.src());
      if (sender != null) {
        for (Msg past : sender) {
          if (past.equals(m)) {
            break;
          }
          if (!before.contains(past)) {
            return p + " delivered " + m + " before " + past + ", which " + m.src() + " had delivered when it"
                + " broadcast " + m + ": " + delivered;
          }
        }
      }
      before.add(m);
    }
    return null;
  }

  /** TotalOrderInv for processes {@code p} and {@code q}: no two messages in opposite orders. */
  public static String totalOrder(String p, List<Msg> dp, String q, List<Msg> dq) {
    List<Msg> common = new ArrayList<>(dp);
    common.retainAll(dq);
    List<Msg> inQ = new ArrayList<>(dq);
    inQ.retainAll(dp);
    if (!common.equals(inQ)) {
      return p + " and " + q + " deliver in different orders: " + dp + " and " + dq;
    }
    return null;
  }

  /**
   * Validity where nothing is left to do: every message that a live process broadcast has
   * been delivered by every live process.
   *
   * @param live       the live processes' deliveries
   * @param broadcasts how many messages each live process broadcast
   */
  public static String validity(Map<String, List<Msg>> live, Function<String, Integer> broadcasts) {
    for (String p : live.keySet()) {
      for (int sn = 1; sn <= broadcasts.apply(p); sn++) {
        Msg m = new Msg(p, sn);
        for (Map.Entry<String, List<Msg>> q : live.entrySet()) {
          if (!q.getValue().contains(m)) {
            return p + " broadcast " + m + " and is live, but live " + q.getKey() + " never delivered it";
          }
        }
      }
    }
    return null;
  }

  /**
   * Uniform agreement where nothing is left to do: every message that any process delivered,
   * crashed or not, has been delivered by every live process (with {@code all} the live
   * processes only: agreement).
   */
  public static String uniformAgreement(Map<String, List<Msg>> all, Map<String, List<Msg>> live) {
    for (Map.Entry<String, List<Msg>> p : all.entrySet()) {
      Set<Msg> mine = new HashSet<>(p.getValue());
      for (Map.Entry<String, List<Msg>> q : live.entrySet()) {
        if (!new HashSet<>(q.getValue()).containsAll(mine)) {
          Set<Msg> missing = new HashSet<>(mine);
          missing.removeAll(q.getValue());
          return p.getKey() + (live.containsKey(p.getKey()) ? "" : " (crashed)") + " delivered " + missing
              + ", which live " + q.getKey() + " never delivered";
        }
      }
    }
    return null;
  }
}
