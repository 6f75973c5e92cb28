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
 *                   successor, or the first candidate when the action was not enabled)
 */
public record Divergence(String where, long seq, String node, String action, Map<String, Object> params,
                         boolean enabled, int candidates, List<Mismatch> closest, String preState) {

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
