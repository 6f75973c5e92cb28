package spectrace.conformance;

import java.util.List;
import java.util.Map;

/**
 * The first event of a trace that the spec cannot produce.
 *
 * @param where      {@code file:line} of the event
 * @param seq        the event's number
 * @param node       the node that logged it
 * @param action     the spec action it names
 * @param params     the action's parameters, as logged
 * @param enabled    whether the action, with these parameters, was enabled in any candidate state
 *                   before the event (if not, the event is a step the spec forbids there)
 * @param candidates how many spec states were candidates before the event
 * @param closest    for the successor closest to the log, each logged value that differs
 *                   (empty when the action was not enabled)
 * @param preState   a candidate state before the event, in TLA+ (the one of the closest
 *                   successor, or the first candidate when the action was not enabled), or
 *                   empty when the event was refused before the spec was asked
 * @param reason     why the event cannot happen, in one sentence, when that is not "the action
 *                   is not enabled" or "no successor agrees": a claim of the event that is
 *                   false (its node is not the action's actor, the message it receives is not
 *                   in transit, its node has crashed for good), or an invariant the spec's
 *                   states violate after it; null otherwise
 */
public record Divergence(String where, long seq, String node, String action, Map<String, Object> params,
                         boolean enabled, int candidates, List<Mismatch> closest, String preState, String reason) {

  /** A divergence that the spec's successors explain (not enabled, or no successor agrees). */
  public Divergence(String where, long seq, String node, String action, Map<String, Object> params,
                    boolean enabled, int candidates, List<Mismatch> closest, String preState) {
    this(where, seq, node, action, params, enabled, candidates, closest, preState, null);
  }

  /** A false claim of event {@code e}: {@code reason} says which. */
  public static Divergence claim(TraceEvent e, String reason, int candidates, String preState) {
    String action = e.isAction() ? e.action() : "fault " + e.fault();
    String node = e.node() != null ? e.node() : e.from() != null ? e.from() + " -> " + e.to() : "";
    return new Divergence(e.where(), e.seq(), node, action, e.params(), false, candidates, List.of(),
        preState == null ? "" : preState, reason);
  }

  /**
   * A logged value that differs from the spec's.
   *
   * @param variable the spec variable
   * @param index    the node whose entry of an indexed variable it is, or null for a whole variable
   * @param expected the spec's value, in TLA+
   * @param logged   the logged value, as JSON
   */
  public record Mismatch(String variable, String index, String expected, String logged) {

    /** The variable as the spec writes it: {@code rmState["rm1"]} or {@code tmState}. */
    public String name() {
      return index == null ? variable : variable + "[\"" + index + "\"]";
    }
  }
}
