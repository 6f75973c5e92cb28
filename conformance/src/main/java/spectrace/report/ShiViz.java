package spectrace.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import spectrace.conformance.TraceEvent;

/**
 * A trace as a log that ShiViz (bestchai/shiviz, the DistributedClocks visualizer) reads: one
 * line per event of a node, its host, its vector clock as JSON, and what it did. ShiViz draws
 * the happened-before order from the clocks alone, so only the events that carry one are
 * written (actions and crashes); partitions, losses and other faults of the network are not
 * events of a host and are left out.
 *
 * <p>The file's first line is the regular expression that parses the others, its second line
 * is empty (ShiViz's delimiter between several executions: there is one), as ShiViz expects
 * of an uploaded file.
 */
public final class ShiViz {

  /** ShiViz's parser: the host, its clock and the event, named groups on one line. */
  public static final String REGEX = "(?<host>\\S+) (?<clock>\\{[^}]*\\}) (?<event>.*)";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ShiViz() {}

  /** Writes the log of {@code events} to {@code out}, whole or not at all; returns the number of events written. */
  public static int write(Path out, List<TraceEvent> events) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Outputs.temporary(dir, out);
    int n = 0;
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(REGEX + "\n\n");
        for (TraceEvent e : events) {
          String line = line(e);
          if (line != null) {
            w.write(line);
            w.write('\n');
            n++;
          }
        }
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return n;
  }

  /** The event's line, or null for an event of no host (no vector clock). */
  static String line(TraceEvent e) {
    if (e.node() == null || e.vc().isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(e.node()).append(' ').append(json(e.vc())).append(' ');
    if (e.isAction()) {
      sb.append(e.action());
      if (!e.params().isEmpty()) {
        sb.append(json(e.params()));
      }
      if (e.fault() != null) {
        sb.append(" (").append(e.fault()).append(')');
      }
      if (e.recv() != null) {
        sb.append(" received from ").append(e.recvFrom()).append(' ').append(json(e.recv()));
      }
      for (Map<String, Object> s : e.sent()) {
        sb.append(" sent to ").append(s.get("to")).append(' ').append(json(s.get("msg")));
      }
    } else {
      sb.append(e.fault());
    }
    sb.append(" [seq ").append(e.seq()).append(']');
    return sb.toString();
  }

  private static String json(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
