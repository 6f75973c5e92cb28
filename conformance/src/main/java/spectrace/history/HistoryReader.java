package spectrace.history;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import spectrace.conformance.TraceException;

/**
 * Reads a client history in the {@code spectrace-history/1} format (traces/README.md, "Client
 * histories"): NDJSON, a header line, then one line per operation event.
 *
 * <pre>
 * {"format":"spectrace-history/1","model":"kv","source":"raft, seed 1"}
 * {"process":"c1","type":"invoke","f":"put","key":"k1","value":3,"time":120}
 * {"process":"c1","type":"ok","f":"put","key":"k1","value":3,"time":190}
 * </pre>
 *
 * <p>Every event has exactly the fields {@code process} (a non-empty string), {@code type}
 * ({@code invoke}, {@code ok}, {@code fail}, {@code info}), {@code f} ({@code put}, {@code get},
 * {@code cas}), {@code key} (a string), {@code value} and {@code time} (an integer). A
 * process's times never decrease down the file; the lines of different processes may be out of
 * time order (the example of raft-interface.md is: the checker orders events by time, not by
 * line). {@code value} is, for put, the integer written (on the completion
 * too); for get, null on the invoke, the integer read or null (absent) on an ok, null on a fail
 * or info; for cas, {@code [expected, new]} on the invoke and its completion. A process has at
 * most one operation outstanding, its completion names the same f and key, and after an
 * {@code info} the process issues nothing more. An operation still outstanding at the end of
 * the file is {@code info}.
 *
 * <p>Every violation is a {@link TraceException} whose one-line message starts with
 * {@code file:line:}.
 */
public final class HistoryReader {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Set<String> HEADER_FIELDS = Set.of("format", "model", "source");
  private static final Set<String> EVENT_FIELDS = Set.of("process", "type", "f", "key", "value", "time");

  private final String file;
  private long line;
  private final List<Pending> ops = new ArrayList<>();
  /** Per process: its outstanding operation's index, or -1; absent when it never invoked. */
  private final Map<String, Integer> outstanding = new HashMap<>();
  /** Per process that completed an operation with info: the line of that info. */
  private final Map<String, Long> retired = new HashMap<>();
  /** Per process: the time of its last event, and that event's line. */
  private final Map<String, long[]> lastTime = new HashMap<>();

  /** An operation as read so far. */
  private static final class Pending {
    String process;
    Operation.Function f;
    String key;
    Long value;
    Long expected;
    long invoke;
    long invokeLine;
    Operation.Completion completion;
    long ret = Operation.NEVER;
    long completionLine;
  }

  private HistoryReader(String file) {
    this.file = file;
  }

  /** Reads the history in {@code path}. */
  public static History read(Path path) throws TraceException {
    BufferedReader in;
    try {
      var decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
      in = new BufferedReader(new InputStreamReader(Files.newInputStream(path), decoder), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new TraceException(path + ": no such file");
    } catch (IOException e) {
      throw new TraceException(path + ": cannot read (" + e.getMessage() + ")");
    }
    try (in) {
      return read(path.toString(), in);
    } catch (IOException e) {
      throw new TraceException(path + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** Reads a history from {@code in}, naming it {@code file} in errors. */
  public static History read(String file, Reader in) throws TraceException {
    BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
    return new HistoryReader(file).readAll(r);
  }

  private History readAll(BufferedReader in) throws TraceException {
    String text = next(in);
    if (text == null) {
      throw TraceException.at(file, 1, "empty history: the first line must be the header"
          + " {\"format\":\"" + History.FORMAT + "\",\"model\":\"kv\",...}");
    }
    String source = header(parse(text));
    while ((text = next(in)) != null) {
      event(parse(text));
    }
    List<Operation> result = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Pending p = ops.get(i);
      Operation.Completion c = p.completion == null ? Operation.Completion.INFO : p.completion;
      long ret = c == Operation.Completion.INFO ? Operation.NEVER : p.ret;
      Long value = p.value;
      if (p.f == Operation.Function.GET && c != Operation.Completion.OK) {
        value = null;
      }
      result.add(new Operation(i, p.process, p.f, p.key, value, p.expected, c, p.invoke, ret, p.invokeLine,
          p.completionLine));
    }
    return new History(file, source, result);
  }

  private String next(BufferedReader in) throws TraceException {
    String text;
    try {
      text = in.readLine();
    } catch (CharacterCodingException e) {
      throw TraceException.at(file, line + 1, "not UTF-8");
    } catch (IOException e) {
      throw TraceException.at(file, line + 1, "cannot read (" + e.getMessage() + ")");
    }
    if (text == null) {
      return null;
    }
    line++;
    if (text.isBlank()) {
      throw TraceException.at(file, line, "blank line: every line must be one JSON object");
    }
    return text;
  }

  private JsonNode parse(String text) throws TraceException {
    JsonNode node;
    try (JsonParser p = JSON.createParser(text)) {
      node = JSON.readTree(p);
      if (p.nextToken() != null) {
        throw TraceException.at(file, line, "more than one JSON value on the line");
      }
    } catch (JsonParseException e) {
      String what = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
      throw TraceException.at(file, line, "malformed JSON at column " + e.getLocation().getColumnNr() + ": " + what);
    } catch (IOException e) {
      String what = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw TraceException.at(file, line, "malformed JSON: " + what);
    }
    if (node == null || !node.isObject()) {
      throw TraceException.at(file, line, "not a JSON object");
    }
    return node;
  }

  private String header(JsonNode h) throws TraceException {
    JsonNode format = h.get("format");
    if (format == null || !format.isTextual()) {
      throw TraceException.at(file, line, "the first line must be the header, with \"format\":\"" + History.FORMAT + "\"");
    }
    if (!format.asText().equals(History.FORMAT)) {
      throw TraceException.at(file, line, "unknown format '" + format.asText() + "' (this reader reads "
          + History.FORMAT + ")");
    }
    unknownFields(h, HEADER_FIELDS, "the header");
    JsonNode model = h.get("model");
    if (model == null || !model.isTextual() || !model.asText().equals("kv")) {
      throw TraceException.at(file, line, "the header's model must be \"kv\" (the key-value store), not "
          + (model == null ? "missing" : model.toString()));
    }
    JsonNode source = h.get("source");
    if (source != null && !source.isTextual()) {
      throw TraceException.at(file, line, "the header's source must be a string, not " + source);
    }
    return source == null ? "" : source.asText();
  }

  private void unknownFields(JsonNode node, Set<String> known, String what) throws TraceException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw TraceException.at(file, line, "unknown field '" + name + "' in " + what + " (fields: "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private void event(JsonNode e) throws TraceException {
    unknownFields(e, EVENT_FIELDS, "an event");
    for (String name : List.of("process", "type", "f", "key", "value", "time")) {
      if (!e.has(name)) {
        throw TraceException.at(file, line, "missing field '" + name + "'");
      }
    }
    String process = string(e, "process");
    if (process.isEmpty()) {
      throw TraceException.at(file, line, "process must be a non-empty string");
    }
    String type = string(e, "type");
    Operation.Function f = switch (string(e, "f")) {
      case "put" -> Operation.Function.PUT;
      case "get" -> Operation.Function.GET;
      case "cas" -> Operation.Function.CAS;
      default -> throw TraceException.at(file, line, "unknown f '" + e.get("f").asText() + "' (put, get, cas)");
    };
    String key = string(e, "key");
    JsonNode t = e.get("time");
    if (!t.isIntegralNumber() || !t.canConvertToLong()) {
      throw TraceException.at(file, line, "time must be an integer, not " + t);
    }
    long time = t.asLong();
    long[] last = lastTime.get(process);
    if (last != null && time < last[0]) {
      throw TraceException.at(file, line, "time " + time + " is before " + last[0] + " at line " + last[1]
          + ", " + process + "'s previous event: a process's time never decreases");
    }
    lastTime.put(process, new long[] {time, line});
    JsonNode value = e.get("value");
    switch (type) {
      case "invoke" -> invoke(process, f, key, value, time);
      case "ok" -> complete(process, f, key, value, time, Operation.Completion.OK);
      case "fail" -> complete(process, f, key, value, time, Operation.Completion.FAIL);
      case "info" -> complete(process, f, key, value, time, Operation.Completion.INFO);
      default -> throw TraceException.at(file, line, "unknown type '" + type + "' (invoke, ok, fail, info)");
    }
  }

  private String string(JsonNode e, String name) throws TraceException {
    JsonNode v = e.get(name);
    if (!v.isTextual()) {
      throw TraceException.at(file, line, name + " must be a string, not " + v);
    }
    return v.asText();
  }

  private void invoke(String process, Operation.Function f, String key, JsonNode value, long time)
      throws TraceException {
    Long info = retired.get(process);
    if (info != null) {
      throw TraceException.at(file, line, process + " invokes after its info at line " + info
          + ": a process issues nothing after an info (continue under a new process name)");
    }
    Integer open = outstanding.get(process);
    if (open != null && open >= 0) {
      Pending o = ops.get(open);
      throw TraceException.at(file, line, process + " invokes " + f.wireName() + " " + key + " while its "
          + o.f.wireName() + " " + o.key + " of line " + o.invokeLine + " is outstanding: a process has at most"
          + " one operation outstanding");
    }
    Pending p = new Pending();
    p.process = process;
    p.f = f;
    p.key = key;
    p.invoke = time;
    p.invokeLine = line;
    switch (f) {
      case PUT -> p.value = integer(value, "put's value (the integer written)");
      case GET -> {
        if (!value.isNull()) {
          throw TraceException.at(file, line, "a get's invoke has value null, not " + value);
        }
      }
      case CAS -> {
        long[] pair = pair(value);
        p.expected = pair[0];
        p.value = pair[1];
      }
    }
    outstanding.put(process, ops.size());
    ops.add(p);
  }

  private void complete(String process, Operation.Function f, String key, JsonNode value, long time,
      Operation.Completion c) throws TraceException {
    Integer open = outstanding.get(process);
    if (open == null || open < 0) {
      throw TraceException.at(file, line, process + "'s " + c.wireName() + " has no invoke: " + process
          + " has no operation outstanding");
    }
    Pending p = ops.get(open);
    if (p.f != f || !p.key.equals(key)) {
      throw TraceException.at(file, line, process + "'s " + c.wireName() + " is for " + f.wireName() + " " + key
          + ", but its outstanding operation is " + p.f.wireName() + " " + p.key + " (line " + p.invokeLine + ")");
    }
    switch (f) {
      case PUT -> {
        long v = integer(value, "put's value (the integer written)");
        if (v != p.value) {
          throw TraceException.at(file, line, "the put's " + c.wireName() + " has value " + v + ", its invoke (line "
              + p.invokeLine + ") " + p.value + ": a completion repeats its put's value");
        }
      }
      case GET -> {
        if (c == Operation.Completion.OK) {
          p.value = value.isNull() ? null : integer(value, "a get's ok value (the integer read, or null)");
        } else if (!value.isNull()) {
          throw TraceException.at(file, line, "a get's " + c.wireName() + " has value null, not " + value);
        }
      }
      case CAS -> {
        long[] pair = pair(value);
        if (pair[0] != p.expected || pair[1] != p.value) {
          throw TraceException.at(file, line, "the cas's " + c.wireName() + " has value " + value + ", its invoke"
              + " (line " + p.invokeLine + ") [" + p.expected + "," + p.value + "]: a completion repeats its cas's"
              + " value");
        }
      }
    }
    p.completion = c;
    p.ret = time;
    p.completionLine = line;
    outstanding.put(process, -1);
    if (c == Operation.Completion.INFO) {
      retired.put(process, line);
    }
  }

  private long integer(JsonNode v, String what) throws TraceException {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw TraceException.at(file, line, what + " must be an integer, not " + v);
    }
    return v.asLong();
  }

  private long[] pair(JsonNode v) throws TraceException {
    if (!v.isArray() || v.size() != 2) {
      throw TraceException.at(file, line, "a cas's value must be [expected, new], two integers, not " + v);
    }
    return new long[] {integer(v.get(0), "a cas's expected value"), integer(v.get(1), "a cas's new value")};
  }
}
