package spectrace.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a trace claims of its own run, checked event by event: the claims that relate an event
 * to the events before it and to the spec's declarations (conformance.json), as opposed to the
 * spec's transitions, which each verdict checks on its own. Both the in-process engine and the
 * TLC trace specification read the trace through this, so they agree on these claims.
 *
 * <ul>
 *   <li>The acting node: an action event's {@code node} is the process the action is for, as
 *   {@code actors} declares it ({@code rm1} cannot log {@code TMAbort}).
 *   <li>Messages: every copy of a message in transit is accounted for. A send puts one copy on
 *   its link (from the acting node to {@code to}); a receipt ({@code recv}) takes one that is
 *   on the link from {@code from} to the acting node; {@code duplicate} adds a copy of one in
 *   transit; {@code loss}, {@code lost-at-crashed}, {@code partition-loss} and a node's
 *   {@code rejected} (a message it received and refused unread) take one away;
 *   {@code delay} names one in transit. A receipt of a message nobody sent, or of a copy that
 *   was lost or already received, diverges.
 *   <li>Faults: only the kinds the spec's system model allows ({@code faults}). A node that
 *   crashed with {@code crash-stop} takes no further step and does not crash again; one that
 *   crashed with {@code crash-recovery} takes as its next step one of the spec's recovery
 *   actions ({@code recover}), and a recovery needs such a crash before it. A message dropped at
 *   a crashed node ({@code lost-at-crashed}) or a request to one ({@code request-to-crashed})
 *   names a node that is down; partitions do not nest, and a heal ends one.
 * </ul>
 *
 * Not thread-safe; one instance per trace.
 */
public final class TraceClaims {

  private static final ObjectMapper JSON = new ObjectMapper();

  private enum Down { STOPPED, RECOVERING }

  /** A node that is down: how, and where it crashed. */
  private record Crash(Down how, String where) {}

  private final ConformanceSpec spec;
  private final Header header;
  /** The copies in transit on each link, by (from, to, message). */
  private final Map<List<Object>, Integer> transit = new HashMap<>();
  private final Map<String, Crash> down = new HashMap<>();
  private String partitionAt;
  /**
   * The messages whose last copy in transit the events since the last {@link #gone()} took;
   * null unless {@link #reportGone()} asked for them.
   */
  private List<List<Object>> gone;

  public TraceClaims(ConformanceSpec spec, Header header) {
    this.spec = spec;
    this.header = header;
  }

  /** Null when every claim of {@code e} holds given the events before it; otherwise the divergence. */
  public Divergence check(TraceEvent e) {
    String why = e.isAction() ? action(e) : fault(e);
    return why == null ? null : Divergence.claim(e, why, 0, "");
  }

  /** From now on, {@link #gone()} reports the messages whose last copy in transit was taken. */
  public void reportGone() {
    if (gone == null) {
      gone = new java.util.ArrayList<>();
    }
  }

  /**
   * The messages [from, to, msg] that, since the last call, lost their last copy in transit
   * (received or lost) and were not sent again: no later event can receive them until one is.
   */
  public List<List<Object>> gone() {
    if (gone == null || gone.isEmpty()) {
      return List.of();
    }
    List<List<Object>> out = new java.util.ArrayList<>(gone.size());
    for (List<Object> k : gone) {
      if (!transit.containsKey(k)) {
        out.add(k);
      }
    }
    gone.clear();
    return out;
  }

  private String action(TraceEvent e) {
    String n = e.node();
    Crash c = down.get(n);
    boolean recovery = spec.recover().contains(e.action());
    if (c != null && c.how() == Down.STOPPED) {
      return n + " crashed for good (crash-stop) at " + c.where() + " and takes no further step";
    }
    if (c != null && !recovery && !spec.recover().isEmpty()) {
      return n + " is down since its crash at " + c.where() + ": its next step is its recovery ("
          + String.join(" or ", new TreeSet<>(spec.recover())) + "), not " + e.action();
    }
    if (c != null && e.isCrash()) {
      return n + " crashes, but it is down since its crash at " + c.where();
    }
    if (c == null && recovery) {
      return n + " logs the recovery " + e.action() + ", but it has not crashed (a recovery follows a crash-recovery)";
    }
    ConformanceSpec.Actor declared = spec.actors().get(e.action());
    if (declared != null && (!declared.kind().equals("param") || e.params().containsKey(declared.name()))) {
      // (A parameter the event does not give is bad input, reported with the action's parameters.)
      String actor = spec.actorOf(e.action(), e.params(), header);
      if (!n.equals(actor)) {
        return n + " logs " + e.action() + ", which is " + describeActor(e) + ", not " + n + "'s";
      }
    }
    if (e.recv() != null) {
      String missing = take(e.recvFrom(), n, e.recv(), "receives");
      if (missing != null) {
        return missing;
      }
    }
    down.remove(n);
    if (e.isCrash()) {
      down.put(n, new Crash(e.fault().equals("crash-stop") ? Down.STOPPED : Down.RECOVERING, e.where()));
    }
    for (Map<String, Object> s : e.sent()) {
      transit.merge(key(n, (String) s.get("to"), s.get("msg")), 1, Integer::sum);
    }
    return null;
  }

  private String describeActor(TraceEvent e) {
    ConformanceSpec.Actor a = spec.actors().get(e.action());
    String actor = spec.actorOf(e.action(), e.params(), header);
    return switch (a.kind()) {
      case "param" -> "the step of its parameter " + a.name() + " = " + actor;
      case "constant" -> "the step of " + a.name() + " = " + actor;
      default -> actor + "'s step";
    };
  }

  private String fault(TraceEvent e) {
    String f = e.fault();
    if (!spec.faults().containsKey(f)) {
      return "the system model of " + spec.module() + " has no " + f + " faults (" + ConformanceSpec.FILE
          + " allows: " + (spec.faults().isEmpty() ? "none" : String.join(", ", new TreeSet<>(spec.faults().keySet())))
          + ")";
    }
    switch (f) {
      case "crash-stop", "crash-recovery" -> {
        Crash c = down.get(e.node());
        if (c != null) {
          return e.node() + " crashes, but it is down since " + c.where();
        }
        down.put(e.node(), new Crash(f.equals("crash-stop") ? Down.STOPPED : Down.RECOVERING, e.where()));
        return null;
      }
      case "request-to-crashed" -> {
        return down.containsKey(e.node()) ? null
            : "a request to " + e.node() + " is said to be dropped at a crashed node, but " + e.node() + " is up";
      }
      case "partition" -> {
        if (partitionAt != null) {
          return "a partition begins while the partition of " + partitionAt + " lasts (there is at most one at a time)";
        }
        partitionAt = e.where();
        return null;
      }
      case "heal" -> {
        if (partitionAt == null) {
          return "a heal, but no partition is in effect";
        }
        partitionAt = null;
        return null;
      }
      case "lost-at-crashed" -> {
        if (!down.containsKey(e.to())) {
          return "a message to " + e.to() + " is said to be dropped at a crashed node, but " + e.to() + " is up";
        }
        return take(e.from(), e.to(), e.msg(), "loses");
      }
      case "loss", "partition-loss" -> {
        return take(e.from(), e.to(), e.msg(), "loses");
      }
      case "rejected" -> {
        return take(e.from(), e.to(), e.msg(), "rejects");
      }
      case "duplicate" -> {
        List<Object> k = key(e.from(), e.to(), e.msg());
        if (transit.getOrDefault(k, 0) == 0) {
          return notInTransit(e.from(), e.to(), e.msg(), "duplicates");
        }
        transit.merge(k, 1, Integer::sum);
        return null;
      }
      case "byzantine" -> {
        // A Byzantine node's message goes on the link of the sender it claims.
        transit.merge(key(e.from(), e.to(), e.msg()), 1, Integer::sum);
        return null;
      }
      case "delay" -> {
        return transit.getOrDefault(key(e.from(), e.to(), e.msg()), 0) > 0 ? null
            : notInTransit(e.from(), e.to(), e.msg(), "delays");
      }
      default -> {
        return null;
      }
    }
  }

  /** Takes one copy of {@code msg} off the link from {@code from} to {@code to}; the divergence's reason if none is there. */
  private String take(String from, String to, Object msg, String verb) {
    List<Object> k = key(from, to, msg);
    int copies = transit.getOrDefault(k, 0);
    if (copies == 0) {
      return notInTransit(from, to, msg, verb);
    }
    if (copies == 1) {
      transit.remove(k);
      if (gone != null) {
        gone.add(k);
      }
    } else {
      transit.put(k, copies - 1);
    }
    return null;
  }

  private static String notInTransit(String from, String to, Object msg, String verb) {
    String who = verb.equals("receives") || verb.equals("rejects") ? to + " " + verb + " " : "the network " + verb + " ";
    return who + json(msg) + " from " + from + ", but no copy of it is in transit from " + from + " to " + to
        + " (never sent, or every copy already received or lost)";
  }

  private static List<Object> key(String from, String to, Object msg) {
    return List.of(from, to, msg);
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      return String.valueOf(o);
    }
  }
}
