package spectrace.history;

import java.util.List;

/** Writes a history in the spectrace-history/1 format, for the tests (the writer of the format, seen from the reader). */
final class HistoryFiles {

  private HistoryFiles() {}

  static String header(String source) {
    return "{\"format\":\"spectrace-history/1\",\"model\":\"kv\",\"source\":\"" + source + "\"}\n";
  }

  /** The file {@link HistoryGenerator#events} lays out for {@code h} (its operations numbered by id). */
  static String write(History h) {
    StringBuilder b = new StringBuilder(header("test"));
    List<Operation> ops = h.operations();
    for (long[] e : HistoryGenerator.events(ops)) {
      Operation o = ops.get((int) e[0]);
      String type = e[1] == 0 ? "invoke" : o.completion().wireName();
      String value = switch (o.f()) {
        case PUT -> String.valueOf(o.value());
        case GET -> e[1] == 1 && o.completion() == Operation.Completion.OK ? String.valueOf(o.value()) : "null";
        case CAS -> "[" + o.expected() + "," + o.value() + "]";
      };
      b.append("{\"process\":\"").append(o.process()).append("\",\"type\":\"").append(type).append("\",\"f\":\"")
          .append(o.f().wireName()).append("\",\"key\":\"").append(o.key()).append("\",\"value\":").append(value)
          .append(",\"time\":").append(e[2]).append("}\n");
    }
    return b.toString();
  }
}
