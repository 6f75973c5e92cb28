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
  /** The seq and time of the last event read, and its line (seq is -1 before the first). */
  private long lastSeq = -1;
  private long lastTime;
  private long lastTimeLine;
  /** Tagged values and updates in place read on the current line. */
  private int tagsSeen;
  private int changesSeen;
  /**
   * Per node, what the file last gave of each variable it logs (for an indexed one, the node's
   * entry): the base an update in place applies to. {@link #SEQUENCE_BASE} and up is a
   * sequence's length; the other codes are below.
   */
  private final Map<String, Map<String, Long>> bases = new java.util.HashMap<>();
  private static final long SEQUENCE_BASE = 0;
  private static final long FUNCTION_BASE = -1;
  private static final long OTHER_BASE = -2;

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
    tagsSeen = 0;
    changesSeen = 0;
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
        throw TraceException.at(file, line, line == 1
            ? "truncated header: the file ends inside its first line, the header (format " + Header.FORMAT + ")"
            : "truncated last line: the file ends inside an event");
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
        if (!m.isEmpty() && m.keySet().iterator().next().startsWith("$")) {
          tagged(m);
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
        return tlaString(p.getText());
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

  /** The tags of values (traces/README.md, "Values"), and of updates in place ("Updates in place"). */
  private static final Set<String> VALUE_TAGS = Set.of("$set", "$seq", "$fn", "$bag");
  private static final Set<String> SEQUENCE_CHANGE = Set.of("$truncate", "$append");
  private static final Set<String> FUNCTION_CHANGE = Set.of("$put", "$remove");

  /** Checks an object whose first key starts with {@code $}: a tagged value, or an update in place. */
  private void tagged(Map<String, Object> m) throws TraceException {
    tagsSeen++;
    Set<String> keys = m.keySet();
    String first = keys.iterator().next();
    if (VALUE_TAGS.contains(first)) {
      if (keys.size() != 1) {
        throw TraceException.at(file, line, "a " + first + " value has no other field than " + first + ": "
            + String.join(", ", keys));
      }
      if (!(m.get(first) instanceof List<?> items)) {
        throw TraceException.at(file, line, first + " must hold an array, not " + describe(m.get(first)));
      }
      if (first.equals("$fn") || first.equals("$bag")) {
        Set<Object> domain = new java.util.HashSet<>();
        for (Object o : items) {
          if (!(o instanceof List<?> pair) || pair.size() != 2) {
            throw TraceException.at(file, line, first + " must hold pairs [" + (first.equals("$fn") ? "key, value"
                : "element, copies") + "], not " + describe(o));
          }
          if (first.equals("$bag") && !(pair.get(1) instanceof Long n && n >= 1)) {
            throw TraceException.at(file, line, "$bag: an element's copies must be a positive integer, not "
                + describe(pair.get(1)));
          }
          if (!domain.add(pair.get(0))) {
            throw TraceException.at(file, line, first + " holds the " + (first.equals("$fn") ? "key" : "element")
                + " " + pair.get(0) + " twice");
          }
        }
      }
      return;
    }
    boolean sequence = SEQUENCE_CHANGE.containsAll(keys);
    boolean function = FUNCTION_CHANGE.containsAll(keys);
    if (!sequence && !function) {
      throw TraceException.at(file, line, "unknown tag '" + keys.stream().filter(k -> !VALUE_TAGS.contains(k)
          && !SEQUENCE_CHANGE.contains(k) && !FUNCTION_CHANGE.contains(k)).findFirst().orElse(first)
          + "' in {" + String.join(", ", keys) + "} (values: $set, $seq, $fn, $bag; updates: $truncate and $append,"
          + " or $put and $remove)");
    }
    changesSeen++;
    if (m.containsKey("$truncate") && !(m.get("$truncate") instanceof Long n && n >= 0)) {
      throw TraceException.at(file, line, "$truncate must be a length, an integer >= 0, not "
          + describe(m.get("$truncate")));
    }
    for (String k : List.of("$append", "$remove")) {
      if (m.containsKey(k) && !(m.get(k) instanceof List<?>)) {
        throw TraceException.at(file, line, k + " must hold an array, not " + describe(m.get(k)));
      }
    }
    if (m.containsKey("$put")) {
      if (!(m.get("$put") instanceof List<?> pairs)) {
        throw TraceException.at(file, line, "$put must hold an array of pairs [key, value], not " + describe(m.get("$put")));
      }
      for (Object o : pairs) {
        if (!(o instanceof List<?> pair) || pair.size() != 2) {
          throw TraceException.at(file, line, "$put must hold pairs [key, value], not " + describe(o));
        }
      }
    }
  }

  /**
   * Checks the variables of an action event against what the file gave of them before: an
   * update in place needs a base (a whole value since the start of the file or the node's last
   * crash) of its kind, and a truncation cannot lengthen a sequence. Then remembers the new bases.
   */
  private void checkChanges(String node, Map<String, Object> vars) throws TraceException {
    int found = 0;
    for (Map.Entry<String, Object> v : vars.entrySet()) {
      if ("indexed".equals(header.variables().get(v.getKey()))) {
        for (Map.Entry<?, ?> en : ((Map<?, ?>) v.getValue()).entrySet()) {
          found += base(en.getKey().toString(), v.getKey(), en.getValue(), v.getKey() + " (of " + en.getKey() + ")");
        }
      } else {
        found += base(node, v.getKey(), v.getValue(), v.getKey());
      }
    }
    if (found != changesSeen) {
      throw TraceException.at(file, line, "an update in place ($truncate, $append, $put, $remove) can only be the"
          + " value of a variable in 'vars' (or of its node's entry), not part of another value");
    }
  }

  /** Checks and remembers node's base of variable {@code var}; 1 when {@code value} is an update. */
  @SuppressWarnings("unchecked")
  private int base(String node, String var, Object value, String what) throws TraceException {
    Map<String, Long> mine = bases.computeIfAbsent(node, k -> new java.util.HashMap<>());
    boolean change = value instanceof Map<?, ?> m && !m.isEmpty() && (m.containsKey("$append")
        || m.containsKey("$truncate") || m.containsKey("$put") || m.containsKey("$remove"));
    if (!change) {
      long kind = value instanceof List<?> l ? l.size()
          : value instanceof Map<?, ?> m && m.containsKey("$seq") ? ((List<?>) m.get("$seq")).size()
          : value instanceof Map<?, ?> m && !m.containsKey("$set") ? FUNCTION_BASE : OTHER_BASE;
      mine.put(var, kind);
      return 0;
    }
    Map<?, ?> m = (Map<?, ?>) value;
    Long base = mine.get(var);
    if (base == null) {
      throw TraceException.at(file, line, "variable '" + var + "' is logged as an update in place (" + String.join(", ",
          ((Map<String, ?>) m).keySet()) + "), but this file gives no whole value of " + what + " to update: its first"
          + " value, and its first after the node's crash, must be whole");
    }
    if (m.containsKey("$put") || m.containsKey("$remove")) {
      if (base != FUNCTION_BASE) {
        throw TraceException.at(file, line, "$put and $remove update a function or record, but " + what
            + " was last logged as " + (base >= SEQUENCE_BASE ? "an array" : "a value of another kind"));
      }
      return 1;
    }
    if (base < SEQUENCE_BASE) {
      throw TraceException.at(file, line, "$truncate and $append update a sequence, but " + what
          + " was last logged as " + (base == FUNCTION_BASE ? "an object" : "a value of another kind"));
    }
    long n = m.containsKey("$truncate") ? (Long) m.get("$truncate") : base;
    if (n > base) {
      throw TraceException.at(file, line, "$truncate " + n + " of " + what + ", which has " + base
          + " entries: a truncation cannot lengthen a sequence");
    }
    mine.put(var, n + (m.containsKey("$append") ? ((List<?>) m.get("$append")).size() : 0));
    return 1;
  }

  /**
   * A string as TLA+ can hold it: printable ASCII only. SANY reads no other character in a
   * string literal, so a trace that held one could be checked by the in-process engine but not
   * by the TLC trace specification; both refuse it here, at its line.
   */
  private String tlaString(String s) throws TraceException {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < 0x20 || c > 0x7e) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        throw TraceException.at(file, line, "the string \"" + printable(shown) + "\" has a character that TLA+"
            + " strings cannot hold (U+" + String.format("%04X", (int) c) + "): names and values must be"
            + " printable ASCII");
      }
    }
    return s;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private Header header(Map<String, Object> m) throws TraceException {
    if (!m.containsKey("format")) {
      throw TraceException.at(file, line, "missing header: the first line must be the trace header (format "
          + Header.FORMAT + "), not an event");
    }
    String format = string(m, "format", true);
    if (!format.equals(Header.FORMAT) && !format.equals(Header.FORMAT_1)) {
      throw TraceException.at(file, line, "unknown trace format '" + format + "' (this reader reads " + Header.FORMAT
          + " and " + Header.FORMAT_1 + ")");
    }
    if (tagsSeen > 0 && format.equals(Header.FORMAT_1)) {
      throw TraceException.at(file, line, "a " + Header.FORMAT_1 + " trace has no tagged values ($...): they are "
          + Header.FORMAT);
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
      if (nodes.contains(s)) {
        throw TraceException.at(file, line, "node '" + s + "' is listed twice in 'nodes'");
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

  /** The fields a fault event has besides seq, time, kind and fault (traces/README.md, "Fault events"). */
  private static final Map<String, Set<String>> FAULT_FIELDS = Map.ofEntries(
      Map.entry("loss", Set.of("from", "to", "msg")),
      Map.entry("duplicate", Set.of("from", "to", "msg")),
      Map.entry("delay", Set.of("from", "to", "msg")),
      Map.entry("lost-at-crashed", Set.of("from", "to", "msg")),
      Map.entry("partition-loss", Set.of("from", "to", "msg")),
      Map.entry("partition", Set.of("side")),
      Map.entry("heal", Set.of()),
      Map.entry("request-to-crashed", Set.of("node")),
      Map.entry("crash-stop", Set.of("node", "vc")),
      Map.entry("crash-recovery", Set.of("node", "vc")),
      Map.entry("byzantine", Set.of("node", "from", "to", "msg")),
      Map.entry("forgery-rejected", Set.of("node", "from", "to", "msg")),
      Map.entry("rejected", Set.of("node", "from", "msg", "reason")));
  private static final Set<String> EVENT_FIELDS = Set.of("seq", "time", "kind", "fault");
  /**
   * The fields a fault event may have besides those: a Byzantine node's send, and a rejection,
   * in the node's own trace (over TCP) carry its vector clock, by which the merge orders them.
   */
  private static final Map<String, Set<String>> OPTIONAL_FAULT_FIELDS = Map.of("byzantine", Set.of("vc"),
      "rejected", Set.of("vc"));

  @SuppressWarnings("unchecked")
  private TraceEvent event(Map<String, Object> m) throws TraceException {
    if (m.containsKey("format")) {
      throw TraceException.at(file, line, "a second header");
    }
    if (tagsSeen > 0 && header.format().equals(Header.FORMAT_1)) {
      throw TraceException.at(file, line, "a " + Header.FORMAT_1 + " trace has no tagged values or updates in place"
          + " ($...): they are " + Header.FORMAT);
    }
    long seq = integer(m, "seq");
    long time = integer(m, "time");
    if (seq != lastSeq + 1) {
      throw TraceException.at(file, line, lastSeq < 0
          ? "seq " + seq + ": the first event of a file has seq 0"
          : "seq " + seq + " follows seq " + lastSeq + ": seq goes up by one from event to event");
    }
    if (time < 0) {
      throw TraceException.at(file, line, "time " + time + " is negative");
    }
    if (lastSeq >= 0 && time < lastTime) {
      throw TraceException.at(file, line, "time " + time + " is before the time " + lastTime + " of line "
          + lastTimeLine + ": time never goes back within a file");
    }
    lastSeq = seq;
    lastTime = time;
    lastTimeLine = line;
    String kind = string(m, "kind", true);
    if (!kind.equals("action") && !kind.equals("fault")) {
      throw TraceException.at(file, line, "field 'kind' must be \"action\" or \"fault\", not \"" + kind + "\"");
    }
    String node = node(string(m, "node", kind.equals("action")), "node");
    String fault = string(m, "fault", kind.equals("fault"));
    if (kind.equals("action") && fault != null && !fault.equals("crash-stop") && !fault.equals("crash-recovery")) {
      throw TraceException.at(file, line, "an action event's 'fault' is \"crash-stop\" or \"crash-recovery\","
          + " not \"" + fault + "\"");
    }
    Map<String, Long> vc = new LinkedHashMap<>();
    if (m.containsKey("vc")) {
      for (Map.Entry<String, Object> e : object(m, "vc").entrySet()) {
        if (!(e.getValue() instanceof Long n) || n < 0) {
          throw TraceException.at(file, line, "vector clock entry '" + e.getKey() + "' must be a non-negative integer");
        }
        if (!header.nodes().contains(e.getKey())) {
          throw TraceException.at(file, line, "vector clock names unknown node '" + e.getKey() + "' (nodes: "
              + String.join(", ", header.nodes()) + ")");
        }
        vc.put(e.getKey(), n);
      }
    }
    if (!kind.equals("action")) {
      if (changesSeen > 0) {
        throw TraceException.at(file, line, "an update in place ($truncate, $append, $put, $remove) can only be the"
            + " value of a variable in 'vars'");
      }
      if ((fault.equals("crash-stop") || fault.equals("crash-recovery")) && node != null) {
        bases.remove(node); // the node's next event logs its variables whole
      }
      Set<String> fields = FAULT_FIELDS.get(fault);
      if (fields == null) {
        throw TraceException.at(file, line, "unknown fault '" + fault + "' (faults: "
            + String.join(", ", new java.util.TreeSet<>(FAULT_FIELDS.keySet())) + ")");
      }
      Set<String> optional = OPTIONAL_FAULT_FIELDS.getOrDefault(fault, Set.of());
      for (String f : m.keySet()) {
        if (!EVENT_FIELDS.contains(f) && !fields.contains(f) && !optional.contains(f)) {
          throw TraceException.at(file, line, "a " + fault + " fault has no field '" + f + "'");
        }
      }
      for (String f : fields) {
        if (!m.containsKey(f)) {
          throw TraceException.at(file, line, "a " + fault + " fault needs field '" + f + "'");
        }
      }
      String from = fields.contains("from") ? node(string(m, "from", true), "from") : null;
      // A rejection's message was on the link to the node that rejected it.
      String to = fields.contains("to") ? node(string(m, "to", true), "to") : fault.equals("rejected") ? node : null;
      if (fields.contains("reason")) {
        string(m, "reason", true);
      }
      List<String> side = null;
      if (fields.contains("side")) {
        side = new ArrayList<>();
        for (Object o : list(m, "side")) {
          if (!(o instanceof String n)) {
            throw TraceException.at(file, line, "field 'side' must hold node ids");
          }
          side.add(node(n, "side"));
        }
        side = List.copyOf(side);
      }
      return new TraceEvent(file, line, seq, time, kind, node, null, Map.of(), null, null, List.of(), Map.of(), vc, fault,
          from, to, m.get("msg"), side);
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
      if (shape.equals("indexed")) {
        if (!(vars.get(v) instanceof Map<?, ?> entries)) {
          throw TraceException.at(file, line, "indexed variable '" + v + "' must be logged as {\"<node>\": value}");
        }
        for (Object k : entries.keySet()) {
          node(k.toString(), "the index of " + v);
        }
      }
    }
    checkChanges(node, vars);
    if (fault != null) {
      bases.remove(node); // a crash the spec names: the node's next event logs its variables whole
    }
    String recvFrom = null;
    Object recv = null;
    if (m.containsKey("recv")) {
      Map<String, Object> r = object(m, "recv");
      recvFrom = node(string(r, "from", true), "recv.from");
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
      node((String) s.get("to"), "sent.to");
      sent.add((Map<String, Object>) s);
    }
    return new TraceEvent(file, line, seq, time, kind, node, action, params, recvFrom, recv, sent, vars, vc, fault,
        null, null, null, null);
  }

  /** {@code id}, checked to be one of the header's nodes ({@code field} names where it was found). */
  private String node(String id, String field) throws TraceException {
    if (id != null && !header.nodes().contains(id)) {
      throw TraceException.at(file, line, "unknown node '" + id + "' in " + field + " (the header's nodes: "
          + String.join(", ", header.nodes()) + ")");
    }
    return id;
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
