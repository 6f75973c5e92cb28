package spectrace.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import spectrace.conformance.Divergence;
import spectrace.conformance.Header;
import spectrace.conformance.TraceEvent;

/**
 * A run as a space-time diagram: its events, in the order they were checked, and the arrows
 * from each send to what became of the copy sent (its receipt, its loss, or nothing by the end
 * of the trace). What this class computes is bookkeeping of the trace's own claims, the same
 * for every protocol; the page ({@link HtmlReport}) lays it out.
 *
 * <p>A copy of a message is the triple (sender, receiver, message), as the trace logs it. A
 * receipt or a loss takes the oldest copy of that triple still in transit (a run may send the
 * same message twice on a link, and the trace does not say which copy arrived); a
 * {@code duplicate} fault adds a copy with the same send. A receipt with no copy in transit is
 * drawn from nowhere: it is a claim the trace cannot back (validation reports it too).
 *
 * @param header the trace's header
 * @param events the events, in order
 * @param arrows every copy sent, with its end
 * @param partitions every partition, from its event to its heal (or the end)
 */
public record SpaceTime(Header header, List<TraceEvent> events, List<Arrow> arrows, List<Partition> partitions) {

  /** No event: an arrow that has not ended, or a receipt of a copy never sent. */
  public static final int NONE = -1;

  /** How a copy in transit ended. */
  public enum End { RECEIVED, LOST, IN_TRANSIT }

  /**
   * One copy of a message.
   *
   * @param from the event that sent it, or {@link #NONE} for a receipt of a copy never sent
   * @param to   the event that received or dropped it, or {@link #NONE} while in transit at the end
   * @param end  what became of it
   * @param fault the fault that dropped it ({@code loss}, {@code lost-at-crashed}, ...), or that
   *             made this copy ({@code duplicate}), or null
   */
  public record Arrow(int from, int to, End end, String fault) {}

  /**
   * A partition.
   *
   * @param start the partition's event
   * @param end   its heal, or {@link #NONE} when it lasts to the end of the trace
   */
  public record Partition(int start, int end) {}

  /** The diagram of {@code events}. */
  public static SpaceTime of(Header header, List<TraceEvent> events) {
    Map<String, ArrayDeque<int[]>> transit = new HashMap<>(); // link and message -> copies: {arrow}
    List<Arrow> arrows = new ArrayList<>();
    List<Partition> partitions = new ArrayList<>();
    int open = NONE;
    for (int i = 0; i < events.size(); i++) {
      TraceEvent e = events.get(i);
      if (e.isAction()) {
        if (e.recv() != null) {
          int[] copy = take(transit, key(e.recvFrom(), e.node(), e.recv()));
          if (copy == null) {
            arrows.add(new Arrow(NONE, i, End.RECEIVED, null));
          } else {
            Arrow a = arrows.get(copy[0]);
            arrows.set(copy[0], new Arrow(a.from(), i, End.RECEIVED, a.fault()));
          }
        }
        for (Map<String, Object> s : e.sent()) {
          put(transit, key(e.node(), (String) s.get("to"), s.get("msg")), arrows.size());
          arrows.add(new Arrow(i, NONE, End.IN_TRANSIT, null));
        }
        continue;
      }
      switch (e.fault()) {
        case "byzantine" -> {
          put(transit, key(e.from(), e.to(), e.msg()), arrows.size());
          arrows.add(new Arrow(i, NONE, End.IN_TRANSIT, null));
        }
        case "forgery-rejected" -> arrows.add(new Arrow(i, i, End.LOST, e.fault()));
        case "duplicate" -> {
          String k = key(e.from(), e.to(), e.msg());
          ArrayDeque<int[]> q = transit.get(k);
          int from = q == null || q.isEmpty() ? NONE : arrows.get(q.peekLast()[0]).from();
          put(transit, k, arrows.size());
          arrows.add(new Arrow(from, NONE, End.IN_TRANSIT, e.fault()));
        }
        case "loss", "lost-at-crashed", "partition-loss", "rejected" -> {
          int[] copy = take(transit, key(e.from(), e.to(), e.msg()));
          if (copy == null) {
            arrows.add(new Arrow(NONE, i, End.LOST, e.fault()));
          } else {
            arrows.set(copy[0], new Arrow(arrows.get(copy[0]).from(), i, End.LOST, e.fault()));
          }
        }
        case "partition" -> {
          if (open != NONE) {
            partitions.add(new Partition(open, i));
          }
          open = i;
        }
        case "heal" -> {
          if (open != NONE) {
            partitions.add(new Partition(open, i));
            open = NONE;
          }
        }
        default -> { }
      }
    }
    if (open != NONE) {
      partitions.add(new Partition(open, NONE));
    }
    return new SpaceTime(header, events, arrows, partitions);
  }

  /** The number of events of each fault kind (crashes the spec names included), by name. */
  public Map<String, Integer> faults() {
    Map<String, Integer> m = new TreeMap<>();
    for (TraceEvent e : events) {
      if (e.fault() != null) {
        m.merge(e.fault(), 1, Integer::sum);
      }
    }
    return m;
  }

  /** The index of the event at {@code d}'s file and line, or {@link #NONE}. */
  public int indexOf(Divergence d) {
    if (d == null) {
      return NONE;
    }
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).where().equals(d.where())) {
        return i;
      }
    }
    return NONE;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String key(String from, String to, Object msg) {
    try {
      return from + "\u0000" + to + "\u0000" + JSON.writeValueAsString(msg);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void put(Map<String, ArrayDeque<int[]>> transit, String key, int arrow) {
    transit.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new int[] {arrow});
  }

  private static int[] take(Map<String, ArrayDeque<int[]>> transit, String key) {
    ArrayDeque<int[]> q = transit.get(key);
    if (q == null || q.isEmpty()) {
      return null;
    }
    int[] copy = q.pollFirst();
    if (q.isEmpty()) {
      transit.remove(key);
    }
    return copy;
  }

  /** What the page draws of an event: no parameters, messages, variables or clock (see {@link #json}). */
  static Map<String, Object> light(TraceEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", e.seq());
    m.put("time", e.time());
    m.put("where", e.where());
    m.put("kind", e.kind());
    if (e.node() != null) {
      m.put("node", e.node());
    }
    if (e.action() != null) {
      m.put("action", e.action());
    }
    if (e.fault() != null) {
      m.put("fault", e.fault());
    }
    if (e.from() != null) {
      m.put("from", e.from());
      m.put("to", e.to());
    }
    if (e.side() != null) {
      m.put("side", e.side());
    }
    return m;
  }

  /** An event whole, as the page shows its details: what {@link #light} has, and its parameters, messages, variables and clock. */
  static Map<String, Object> json(TraceEvent e) {
    Map<String, Object> m = light(e);
    if (e.action() != null) {
      m.put("params", e.params());
      if (e.recv() != null) {
        m.put("recv", Map.of("from", e.recvFrom(), "msg", e.recv()));
      }
      m.put("sent", e.sent());
      m.put("vars", e.vars());
    }
    if (e.from() != null) {
      m.put("msg", e.msg());
    }
    if (!e.vc().isEmpty()) {
      m.put("vc", e.vc());
    }
    return m;
  }
}
