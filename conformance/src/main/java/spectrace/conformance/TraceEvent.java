package spectrace.conformance;

import java.util.List;
import java.util.Map;

/**
 * One event line of a trace (traces/README.md), with where it came from.
 *
 * <p>JSON values are kept as plain Java values: {@code String}, {@code Long},
 * {@code Boolean}, {@code List<Object>} for arrays and {@code Map<String, Object>} (in the
 * line's order) for objects. A tagged value ({@code {"$fn": [[k, v], ...]}}, {@code $bag},
 * {@code $set}, {@code $seq}) and an update in place of a variable ({@code $truncate} and
 * {@code $append}, {@code $put} and {@code $remove}) are such objects too, checked by the
 * reader (traces/README.md); {@link #tag} names them.
 *
 * @param file   the trace file
 * @param line   the line number in that file, from 1 (the header is line 1)
 * @param seq    the event's number
 * @param time   the event's (virtual) time
 * @param kind   {@code action} or {@code fault}
 * @param node   the node, or null
 * @param action the spec action, or null for a fault event
 * @param params the action's parameters (empty for none)
 * @param recvFrom the sender of the consumed message, or null
 * @param recv   the consumed message, or null
 * @param sent   the messages sent, each a map with {@code to} and {@code msg}
 * @param vars   the node's spec variables after the action (indexed ones as {node: value})
 * @param vc     the vector clock (empty when the event has none)
 * @param fault  the fault's name, or null
 * @param from   a message fault's sender, or null
 * @param to     a message fault's receiver, or null
 * @param msg    a message fault's message, or null
 * @param side   a partition's side, or null
 */
public record TraceEvent(String file, long line, long seq, long time, String kind, String node, String action,
                         Map<String, Object> params, String recvFrom, Object recv, List<Map<String, Object>> sent,
                         Map<String, Object> vars, Map<String, Long> vc, String fault,
                         String from, String to, Object msg, List<String> side) {

  /** True for an event that names a spec action. */
  public boolean isAction() {
    return "action".equals(kind);
  }

  /** True for a crash: a fault event of a crash, or the action event of a crash the spec names. */
  public boolean isCrash() {
    return "crash-stop".equals(fault) || "crash-recovery".equals(fault);
  }

  /** True for a fault that takes a copy of a message out of transit: a loss, or a drop at a crashed node or a partition. */
  public boolean losesCopy() {
    return "loss".equals(fault) || "lost-at-crashed".equals(fault) || "partition-loss".equals(fault);
  }

  /**
   * True for a fault that puts a copy of a message in transit: a duplicate, or a Byzantine
   * node's send (on the link of the sender it claims).
   */
  public boolean addsCopy() {
    return "duplicate".equals(fault) || "byzantine".equals(fault);
  }

  /**
   * A fault event's field that conformance.json binds to a parameter of the spec action the
   * fault stands for: {@code from}, {@code to}, {@code node}, {@code msg}, or a path into the
   * message ({@code msg.m}).
   *
   * @throws TraceException when the event has no such field
   */
  public Object field(String path, String forWhat) throws TraceException {
    String[] parts = path.split("\\.");
    Object v = switch (parts[0]) {
      case "from" -> from;
      case "to" -> to;
      case "node" -> node;
      default -> msg;
    };
    for (int k = 1; k < parts.length && v != null; k++) {
      v = v instanceof Map<?, ?> m ? m.get(parts[k]) : null;
    }
    if (v == null) {
      throw new TraceException(where() + ": the " + fault + " fault has no " + path + " for " + forWhat);
    }
    return v;
  }

  /**
   * The tag of a tagged JSON value ({@code $set}, {@code $seq}, {@code $fn}, {@code $bag}), or
   * {@code $update} for an update in place ({@code $append} / {@code $truncate} of a sequence,
   * {@code $put} / {@code $remove} of a function), or null for a plain value.
   */
  public static String tag(Object json) {
    if (!(json instanceof Map<?, ?> m) || m.isEmpty()) {
      return null;
    }
    Object first = m.keySet().iterator().next();
    if (!(first instanceof String k) || !k.startsWith("$")) {
      return null;
    }
    return switch (k) {
      case "$set", "$seq", "$fn", "$bag" -> k;
      default -> "$update";
    };
  }

  /** {@code file:line}, for messages. */
  public String where() {
    return file + ":" + line;
  }
}
