package spectrace.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import spectrace.core.Message;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecValue;
import spectrace.core.VarSink;

/**
 * Writes a trace as NDJSON: a header line, then one line per event. The format is
 * {@value #FORMAT}, documented with its JSON Schema in {@code traces/README.md}.
 *
 * <p>Java values map onto TLA+ values: strings, integers and booleans as themselves; a
 * {@link SpecValue} as its spec value; sets as arrays in sorted order; lists as arrays;
 * maps as objects (functions from strings); records as objects of their components, and a
 * {@link Message} record with {@code type} first, set to its simple name.
 *
 * <p>Not thread-safe: one writer per trace, written from one thread.
 */
public final class TraceWriter implements Closeable {

  /** The format name and version in every header. */
  public static final String FORMAT = "spectrace-trace/1";

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final Map<Class<?>, Component[]> COMPONENTS = new ConcurrentHashMap<>();
  private static final Map<String, String[]> PARAM_NAMES = new ConcurrentHashMap<>();

  // Names written on every event, encoded once. Constants of the code (field names, action,
  // parameter and variable names, which are class-file constants) go in NAMES, which stays
  // small; the run's node ids go in this writer's own cache when the header is written.
  private static final Map<String, SerializedString> NAMES = new ConcurrentHashMap<>();
  private static final SerializedString SEQ = encoded("seq");
  private static final SerializedString TIME = encoded("time");
  private static final SerializedString KIND = encoded("kind");
  private static final SerializedString NODE = encoded("node");
  private static final SerializedString ACTION = encoded("action");
  private static final SerializedString PARAMS = encoded("params");
  private static final SerializedString RECV = encoded("recv");
  private static final SerializedString FROM = encoded("from");
  private static final SerializedString TO = encoded("to");
  private static final SerializedString MSG = encoded("msg");
  private static final SerializedString SENT = encoded("sent");
  private static final SerializedString VARS = encoded("vars");
  private static final SerializedString VC = encoded("vc");
  private static final SerializedString TYPE = encoded("type");

  private final Map<String, SerializedString> ids = new java.util.HashMap<>();
  private final Map<String, SerializedString> constants = new java.util.HashMap<>();
  private SerializedString[] idArray = new SerializedString[0];

  private final JsonGenerator g;
  private final VarSink vars = new VarSink() {
    @Override
    public void whole(String name, Object value) {
      try {
        g.writeFieldName(name(name));
        value(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void indexed(String name, Object value) {
      try {
        g.writeFieldName(name(name));
        g.writeStartObject();
        g.writeFieldName(currentNode);
        value(value);
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  private SerializableString currentNode;
  private long lines;

  /** A writer onto {@code out}, which it closes. */
  public TraceWriter(OutputStream out) {
    try {
      g = JSON.createGenerator(out, JsonEncoding.UTF8);
      g.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines written so far, the header included. */
  public long lines() {
    return lines;
  }

  /**
   * The header line.
   *
   * @param variables each spec variable the nodes log, with {@code whole} or {@code indexed}
   */
  public void header(String protocol, String module, Map<String, Object> constants, List<String> nodes,
                     long seed, Map<String, String> variables) throws IOException {
    idArray = new SerializedString[nodes.size()];
    for (int i = 0; i < idArray.length; i++) {
      idArray[i] = new SerializedString(nodes.get(i));
      ids.put(nodes.get(i), idArray[i]);
    }
    g.writeStartObject();
    g.writeStringField("format", FORMAT);
    g.writeStringField("protocol", protocol);
    g.writeStringField("module", module);
    g.writeFieldName("constants");
    value(constants);
    g.writeFieldName("nodes");
    value(nodes);
    g.writeNumberField("seed", seed);
    g.writeFieldName("variables");
    value(variables);
    g.writeEndObject();
    endLine();
  }

  /**
   * Continues a trace whose header is already in the file (a node recovering after a crash
   * appends to its own trace): learns the node ids the header listed, writes nothing.
   */
  public void resume(List<String> nodes) {
    idArray = new SerializedString[nodes.size()];
    for (int i = 0; i < idArray.length; i++) {
      idArray[i] = new SerializedString(nodes.get(i));
      ids.put(nodes.get(i), idArray[i]);
    }
  }

  /**
   * An action event: {@code node} completed spec action {@code action}.
   *
   * @param recvFrom the sender of the message the action consumed, or null
   * @param recv     the message the action consumed, or null
   * @param sentTo   the destinations of the messages the action sent
   * @param sent     the messages the action sent, in order
   * @param vc       the node's vector clock after the action, indexed like {@code nodes}
   */
  public void action(long seq, long time, ProtocolNode<?> node, String action, String paramNames, Object[] params,
                     String recvFrom, Message recv, List<String> sentTo, List<Message> sent,
                     long[] vc, List<String> nodes) throws IOException {
    start(seq, time, node.id(), "action");
    g.writeFieldName(ACTION);
    g.writeString(name(action));
    g.writeFieldName(PARAMS);
    g.writeStartObject();
    if (!paramNames.isEmpty()) {
      String[] names = PARAM_NAMES.computeIfAbsent(paramNames, s -> s.split(","));
      for (int i = 0; i < names.length; i++) {
        g.writeFieldName(name(names[i]));
        value(params[i]);
      }
    }
    g.writeEndObject();
    if (recv != null) {
      g.writeFieldName(RECV);
      g.writeStartObject();
      g.writeFieldName(FROM);
      string(recvFrom);
      g.writeFieldName(MSG);
      value(recv);
      g.writeEndObject();
    }
    g.writeFieldName(SENT);
    g.writeStartArray();
    for (int i = 0; i < sent.size(); i++) {
      g.writeStartObject();
      g.writeFieldName(TO);
      string(sentTo.get(i));
      g.writeFieldName(MSG);
      value(sent.get(i));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeFieldName(VARS);
    g.writeStartObject();
    currentNode = id(node.id());
    node.$specVars(vars);
    g.writeEndObject();
    clock(vc, nodes);
    g.writeEndObject();
    endLine();
  }

  /**
   * A crash of {@code node}; {@code action} is the spec action it is, or null.
   */
  public void crash(long seq, long time, String node, String action, boolean recovers, long[] vc, List<String> nodes)
      throws IOException {
    crash(seq, time, node, action, null, recovers, vc, nodes);
  }

  /**
   * A crash of {@code node}; {@code action} is the spec action it is, or null, and
   * {@code param} the action's parameter that names the crashed node, or null for none.
   */
  public void crash(long seq, long time, String node, String action, String param, boolean recovers, long[] vc,
                    List<String> nodes) throws IOException {
    start(seq, time, node, action == null ? "fault" : "action");
    if (action != null) {
      g.writeStringField("action", action);
      g.writeObjectFieldStart("params");
      if (param != null) {
        g.writeStringField(param, node);
      }
      g.writeEndObject();
      g.writeArrayFieldStart("sent");
      g.writeEndArray();
      g.writeObjectFieldStart("vars");
      g.writeEndObject();
    }
    g.writeStringField("fault", recovers ? "crash-recovery" : "crash-stop");
    clock(vc, nodes);
    g.writeEndObject();
    endLine();
  }

  /**
   * A fault that is no spec action: {@code fault} names it, and the message it concerns
   * (from, to, msg) or the node it concerns may be null.
   */
  public void fault(long seq, long time, String fault, String node, String from, String to, Message msg)
      throws IOException {
    start(seq, time, node, "fault");
    g.writeStringField("fault", fault);
    if (msg != null) {
      g.writeStringField("from", from);
      g.writeStringField("to", to);
      g.writeFieldName("msg");
      value(msg);
    }
    g.writeEndObject();
    endLine();
  }

  /** A partition: {@code side} is cut off from the other nodes until the next heal. */
  public void partition(long seq, long time, List<String> side) throws IOException {
    start(seq, time, null, "fault");
    g.writeStringField("fault", "partition");
    g.writeFieldName("side");
    value(side);
    g.writeEndObject();
    endLine();
  }

  private void start(long seq, long time, String node, String kind) throws IOException {
    g.writeStartObject();
    g.writeFieldName(SEQ);
    g.writeNumber(seq);
    g.writeFieldName(TIME);
    g.writeNumber(time);
    g.writeFieldName(KIND);
    g.writeString(name(kind));
    if (node != null) {
      g.writeFieldName(NODE);
      string(node);
    }
  }

  private void clock(long[] vc, List<String> nodes) throws IOException {
    g.writeFieldName(VC);
    g.writeStartObject();
    for (int i = 0; i < vc.length; i++) {
      if (vc[i] != 0) {
        g.writeFieldName(i < idArray.length ? idArray[i] : new SerializedString(nodes.get(i)));
        g.writeNumber(vc[i]);
      }
    }
    g.writeEndObject();
  }

  /** A constant of the code, encoded once (static: for the writer's own field names). */
  private static SerializedString encoded(String constant) {
    return NAMES.computeIfAbsent(constant, SerializedString::new);
  }

  /** A constant of the protocol's code (an action, parameter or variable name), encoded once per writer. */
  private SerializedString name(String constant) {
    SerializedString s = constants.get(constant);
    if (s == null) {
      s = encoded(constant);
      constants.put(constant, s);
    }
    return s;
  }

  /** A node id of this run, encoded once. */
  private SerializableString id(String node) {
    SerializedString s = ids.get(node);
    return s != null ? s : new SerializedString(node);
  }

  /** A string value: pre-encoded when it is a node id of this run. */
  private void string(String s) throws IOException {
    SerializedString id = ids.get(s);
    if (id != null) {
      g.writeString(id);
    } else {
      g.writeString(s);
    }
  }

  private void endLine() throws IOException {
    g.writeRaw('\n');
    lines++;
  }

  /** Writes one Java value as its TLA+ counterpart. */
  private void value(Object v) throws IOException {
    if (v == null) {
      throw new IllegalArgumentException("null has no TLA+ counterpart: a traced value must not be null");
    } else if (v instanceof String s) {
      string(s);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).intValue());
    } else if (v instanceof Character c) {
      g.writeString(c.toString());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof SpecValue sv) {
      Object spec = sv.specValue();
      if (spec instanceof String str) {
        g.writeString(name(str));
      } else {
        value(spec);
      }
    } else if (v instanceof SortedSet<?> set && set.comparator() == null) {
      g.writeStartArray();
      for (Object o : set) {
        value(o);
      }
      g.writeEndArray();
    } else if (v instanceof Set<?> set) {
      g.writeStartArray();
      for (Object o : sorted(set, "a set")) {
        value(o);
      }
      g.writeEndArray();
    } else if (v instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object o : c) {
        value(o);
      }
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Object k : sorted(m.keySet(), "a map's keys")) {
        g.writeFieldName(String.valueOf(k));
        value(m.get(k));
      }
      g.writeEndObject();
    } else if (v instanceof Record r) {
      record(r);
    } else if (v instanceof Enum<?> e) {
      g.writeString(e.name().toLowerCase(java.util.Locale.ROOT));
    } else if (v instanceof long[] a) {
      g.writeArray(a, 0, a.length);
    } else {
      throw new IllegalArgumentException("no TLA+ counterpart for a " + v.getClass().getName()
          + " (use strings, numbers, booleans, sets, lists, maps, records or SpecValue)");
    }
  }

  /** A record component and its accessor, made accessible once (records need not be public). */
  private record Component(SerializedString name, java.lang.reflect.Method accessor) {}

  private static Component[] components(Class<?> type) {
    RecordComponent[] rc = type.getRecordComponents();
    Component[] out = new Component[rc.length];
    for (int i = 0; i < rc.length; i++) {
      java.lang.reflect.Method m = rc[i].getAccessor();
      m.setAccessible(true);
      out[i] = new Component(new SerializedString(rc[i].getName()), m);
    }
    return out;
  }

  private void record(Record r) throws IOException {
    Component[] cs = COMPONENTS.computeIfAbsent(r.getClass(), TraceWriter::components);
    g.writeStartObject();
    if (r instanceof Message) {
      g.writeFieldName(TYPE);
      g.writeString(name(r.getClass().getSimpleName()));
    }
    for (Component c : cs) {
      g.writeFieldName(c.name());
      try {
        value(c.accessor().invoke(r));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + c.name() + " of " + r.getClass().getName(), e);
      }
    }
    g.writeEndObject();
  }

  /**
   * The elements in their natural order. Iteration order of a hash set can differ from one
   * JVM to the next, so a set whose elements have no natural order would make a trace that
   * does not replay byte for byte: it is refused.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Object> sorted(Collection<?> c, String what) {
    List<Object> list = new ArrayList<>(c);
    for (Object o : list) {
      if (!(o instanceof Comparable)) {
        throw new IllegalArgumentException(what + " holds a " + (o == null ? "null" : o.getClass().getName())
            + ", which has no natural order; traced sets need Comparable elements (or a SortedSet)");
      }
    }
    list.sort((a, b) -> ((Comparable) a).compareTo(b));
    return list;
  }

  /** Flushes what is buffered to the stream. */
  public void flush() throws IOException {
    g.flush();
  }

  @Override
  public void close() throws IOException {
    g.close();
  }
}
