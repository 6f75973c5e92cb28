package spectrace.conformance;

import java.util.List;
import java.util.Map;

/**
 * A trace's first line (traces/README.md).
 *
 * @param file      the trace file, as named on the command line
 * @param format    {@code spectrace-trace/2}, or {@code spectrace-trace/1} for a trace of the first
 *                  format (no tagged values, no updates in place)
 * @param protocol  the protocol's name, which is also its folder under specs/
 * @param module    the spec module the trace is checked against
 * @param constants the spec's constants, as JSON values (see {@link TraceEvent})
 * @param nodes     the node ids of the run
 * @param seed      the simulator's seed (0 for a real run)
 * @param variables each logged spec variable: {@code whole} or {@code indexed}
 */
public record Header(String file, String format, String protocol, String module, Map<String, Object> constants,
                     List<String> nodes, long seed, Map<String, String> variables) {

  /** The format the writer writes. */
  public static final String FORMAT = "spectrace-trace/2";
  /** The first format, which readers still accept: a /2 trace without tags and updates. */
  public static final String FORMAT_1 = "spectrace-trace/1";
}
