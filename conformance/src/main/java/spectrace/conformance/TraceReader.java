package spectrace.conformance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a trace one line at a time: the header, then events, never the whole file. Every
 * problem is a {@link TraceException} whose message starts with {@code file:line:}.
 *
 * <p>Not thread-safe.
 */
public final class TraceReader implements Closeable {

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final Set<String> HEADER_FIELDS =
      Set.of("format", "protocol", "module", "constants", "nodes", "seed", "variables");

  private final String file;
  private final BufferedReader in;
  private final Header header;
  private long line;
  private String pending;

  /** Opens {@code path} and reads its header. */
  public TraceReader(Path path) throws TraceException {
    this(path.toString(), open(path));
  }

  TraceReader(String file, BufferedReader in) throws TraceException {
    this.file = file;
    this.in = in;
    this.pending = readLine();
    String first = take();
    if (first == null) {
      throw TraceException.at(file, 1, "empty trace: the first line must be the header (format " + Header.FORMAT + ")");
    }
    this.header = header(parse(first));
  }

  private static BufferedReader open(Path path) throws TraceException {
    try {
      var decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
      return new BufferedReader(new InputStreamReader(Files.newInputStream(path), decoder), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new TraceException(path + ": no such file");
    } catch (IOException e) {
      throw new TraceException(path + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** The trace's header. */
  public Header header() {
    return header;
  }

  /** The file, as named when it was opened. */
  public String file() {
    return file;
  }

  /** The next event, or null at the end of the file. */
  public TraceEvent next() throws TraceException {
    String text = take();
    if (text == null) {
      return null;
    }
    return event(parse(text));
  }

  private String take() throws TraceException {
    String current = pending;
    if (current == null) {
      return null;
    }
    line++;
    pending = readLine();
    if (current.isBlank()) {
      throw TraceException.at(file, line, "blank line: every line must be one JSON object");
    }
    return current;
  }

  private String readLine() throws TraceException {
    try {
      return in.readLine();
    } catch (CharacterCodingException e) {
      throw TraceException.at(file, line + 1, "not UTF-8");
    } catch (IOException e) {
      throw TraceException.at(file, line + 1, "cannot read (" + e.getMessage() + ")");
    }
  }

  private Map<String, Object> parse(String text) throws TraceException {
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw TraceException.at(file, line, "not a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) value(p);
      if (p.nextToken() != null) {
        throw TraceException.at(file, line, "more than one JSON value on the line");
      }
      return m;
    } catch (JsonParseException e) {
      boolean last = pending == null;
      String what = e.getOriginalMessage();
      if (last && what != null && what.contains("end-of-input")) {
        throw TraceException.at(file, line, "truncated last line: the file ends inside an event");
      }
      throw TraceException.at(file, line, "malformed JSON at column " + e.getLocation().getColumnNr() + ": "
          + firstLine(what));
    } catch (IOException e) {
      throw TraceException.at(file, line, "malformed JSON: " + firstLine(e.getMessage()));
    }
  }

  /** One JSON value as a plain Java value; floats and null are not TLA+ values and are refused. */
  private Object value(JsonParser p) throws IOException, TraceException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          if (m.put(name, value(p)) != null) {
            throw TraceException.at(file, line, "field '" + name + "' appears twice");
          }
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw TraceException.at(file, line, "integer " + p.getText() + " is out of range");
        }
        return p.getLongValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NUMBER_FLOAT -> throw TraceException.at(file, line, "value " + p.getText()
          + " is not an integer: TLA+ values here are integers, strings, booleans, arrays and objects");
      case VALUE_NULL -> throw TraceException.at(file, line, "null is not a TLA+ value");
      default -> throw TraceException.at(file, line, "unexpected JSON token " + t);
    }
  }

  private Header header(Map<String, Object> m) throws TraceException {
    if (!m.containsKey("format")) {
      throw TraceException.at(file, line, "missing header: the first line must be the trace header (format "
          + Header.FORMAT + "), not an event");
    }
    String format = string(m, "format", true);
    if (!format.equals(Header.FORMAT)) {
      throw TraceException.at(file, line, "unknown trace format '" + format + "' (this reader reads " + Header.FORMAT + ")");
    }
    for (String k : m.keySet()) {
      if (!HEADER_FIELDS.contains(k)) {
        throw TraceException.at(file, line, "unknown header field '" + k + "'");
      }
    }
    List<String> nodes = new ArrayList<>();
    for (Object o : list(m, "nodes")) {
      if (!(o instanceof String s)) {
        throw TraceException.at(file, line, "field 'nodes' must hold strings");
      }
      nodes.add(s);
    }
    Map<String, String> variables = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object(m, "variables").entrySet()) {
      if (!"whole".equals(e.getValue()) && !"indexed".equals(e.getValue())) {
        throw TraceException.at(file, line, "variable '" + e.getKey() + "' must be \"whole\" or \"indexed\"");
      }
      variables.put(e.getKey(), (String) e.getValue());
    }
    return new Header(file, format, string(m, "protocol", true), string(m, "module", true), object(m, "constants"),
        List.copyOf(nodes), integer(m, "seed"), variables);
  }

  @SuppressWarnings("unchecked")
  private TraceEvent event(Map<String, Object> m) throws TraceException {
    if (m.containsKey("format")) {
      throw TraceException.at(file, line, "a second header");
    }
    long seq = integer(m, "seq");
    long time = integer(m, "time");
    String kind = string(m, "kind", true);
    if (!kind.equals("action") && !kind.equals("fault")) {
      throw TraceException.at(file, line, "field 'kind' must be \"action\" or \"fault\", not \"" + kind + "\"");
    }
    String node = string(m, "node", kind.equals("action"));
    if (node != null && !header.nodes().contains(node)) {
      throw TraceException.at(file, line, "unknown node '" + node + "' (nodes: " + String.join(", ", header.nodes()) + ")");
    }
    String fault = string(m, "fault", kind.equals("fault"));
    Map<String, Long> vc = new LinkedHashMap<>();
    if (m.containsKey("vc")) {
      for (Map.Entry<String, Object> e : object(m, "vc").entrySet()) {
        if (!(e.getValue() instanceof Long n) || n < 0) {
          throw TraceException.at(file, line, "vector clock entry '" + e.getKey() + "' must be a non-negative integer");
        }
        if (!header.nodes().contains(e.getKey())) {
          throw TraceException.at(file, line, "vector clock names unknown node '" + e.getKey() + "'");
        }
        vc.put(e.getKey(), n);
      }
    }
    if (!kind.equals("action")) {
      return new TraceEvent(file, line, seq, time, kind, node, null, Map.of(), null, null, List.of(), Map.of(), vc, fault);
    }
    String action = string(m, "action", true);
    Map<String, Object> params = object(m, "params");
    Map<String, Object> vars = object(m, "vars");
    for (String v : vars.keySet()) {
      String shape = header.variables().get(v);
      if (shape == null) {
        throw TraceException.at(file, line, "unknown variable '" + v + "' (the header declares: "
            + String.join(", ", header.variables().keySet()) + ")");
      }
      if (shape.equals("indexed") && !(vars.get(v) instanceof Map<?, ?>)) {
        throw TraceException.at(file, line, "indexed variable '" + v + "' must be logged as {\"<node>\": value}");
      }
    }
    String recvFrom = null;
    Object recv = null;
    if (m.containsKey("recv")) {
      Map<String, Object> r = object(m, "recv");
      recvFrom = string(r, "from", true);
      recv = r.get("msg");
      if (recv == null) {
        throw TraceException.at(file, line, "field 'recv' needs 'msg'");
      }
    }
    List<Map<String, Object>> sent = new ArrayList<>();
    for (Object o : list(m, "sent")) {
      if (!(o instanceof Map<?, ?> s) || !(s.get("to") instanceof String) || !s.containsKey("msg")) {
        throw TraceException.at(file, line, "each entry of 'sent' must be an object with 'to' and 'msg'");
      }
      sent.add((Map<String, Object>) s);
    }
    return new TraceEvent(file, line, seq, time, kind, node, action, params, recvFrom, recv, sent, vars, vc, fault);
  }

  private String string(Map<String, Object> m, String field, boolean required) throws TraceException {
    Object v = m.get(field);
    if (v == null) {
      if (required) {
        throw TraceException.at(file, line, "missing field '" + field + "'");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw TraceException.at(file, line, "field '" + field + "' must be a string, not " + describe(v));
    }
    return s;
  }

  private long integer(Map<String, Object> m, String field) throws TraceException {
    Object v = m.get(field);
    if (v == null) {
      throw TraceException.at(file, line, "missing field '" + field + "'");
    }
    if (!(v instanceof Long n)) {
      throw TraceException.at(file, line, "field '" + field + "' must be an integer, not " + describe(v));
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> object(Map<String, Object> m, String field) throws TraceException {
    Object v = m.get(field);
    if (v == null) {
      throw TraceException.at(file, line, "missing field '" + field + "'");
    }
    if (!(v instanceof Map<?, ?>)) {
      throw TraceException.at(file, line, "field '" + field + "' must be an object, not " + describe(v));
    }
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Map<String, Object> m, String field) throws TraceException {
    Object v = m.get(field);
    if (v == null) {
      throw TraceException.at(file, line, "missing field '" + field + "'");
    }
    if (!(v instanceof List<?>)) {
      throw TraceException.at(file, line, "field '" + field + "' must be an array, not " + describe(v));
    }
    return (List<Object>) v;
  }

  private static String describe(Object v) {
    if (v instanceof String) {
      return "a string";
    } else if (v instanceof Long) {
      return "an integer";
    } else if (v instanceof Boolean) {
      return "a boolean";
    } else if (v instanceof List<?>) {
      return "an array";
    }
    return "an object";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void close() throws java.io.IOException {
    in.close();
  }
}
