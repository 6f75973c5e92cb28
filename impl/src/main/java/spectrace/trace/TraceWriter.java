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
import spectrace.core.Bag;
import spectrace.core.Journaled;
import spectrace.core.Message;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecLog;
import spectrace.core.SpecMap;
import spectrace.core.SpecValue;
import spectrace.core.VarSink;

/**
 * Writes a trace as NDJSON: a header line, then one line per event. The format is
 * {@value #FORMAT}, documented with its JSON Schema in {@code traces/README.md}.
 *
 * <p>Java values map onto TLA+ values: strings, integers and booleans as themselves; a
 * {@link SpecValue} as its spec value; sets as arrays in sorted order; lists as arrays;
 * maps with string keys as objects, other maps as {@code {"$fn": [[key, value], ...]}};
 * a {@link Bag} as {@code {"$bag": [[element, copies], ...]}}; records as objects of their
 * components, and a {@link Message} record with {@code type} first, set to its simple name.
 * A set or list that is not the direct value of a name (a variable, parameter, constant or
 * record field) but inside another value is tagged, {@code {"$set": [...]}} or
 * {@code {"$seq": [...]}}, so that no reader has to guess its type.
 *
 * <p>A {@link Journaled} variable ({@link SpecLog}, {@link SpecMap}) is logged whole the
 * first time a node logs it in this trace and after the node's crash, and otherwise as its
 * change since the node's previous event (traces/README.md, "Updates in place").
 *
 * <p>Not thread-safe: one writer per trace, written from one thread.
 */
public final class TraceWriter implements Closeable {

  /** The format name and version in every header. */
  public static final String FORMAT = "spectrace-trace/2";

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
      variable(name, value, false);
    }

    @Override
    public void indexed(String name, Object value) {
      variable(name, value, true);
    }
  };
  /** Per node, the journaled value it last logged of each variable: the base of its next change. */
  private final Map<String, Map<String, Journaled>> bases = new java.util.HashMap<>();
  private String currentId;
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
    g.writeStartObject();
    for (Object k : sorted(constants.keySet(), "the constants' names")) {
      g.writeFieldName((String) k);
      value(g, constants.get(k), false);
    }
    g.writeEndObject();
    g.writeFieldName("nodes");
    value(g, nodes, false);
    g.writeNumberField("seed", seed);
    g.writeFieldName("variables");
    value(g, variables, false);
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
        value(g, params[i], false);
      }
    }
    g.writeEndObject();
    if (recv != null) {
      g.writeFieldName(RECV);
      g.writeStartObject();
      g.writeFieldName(FROM);
      string(recvFrom);
      g.writeFieldName(MSG);
      value(g, recv, false);
      g.writeEndObject();
    }
    g.writeFieldName(SENT);
    g.writeStartArray();
    for (int i = 0; i < sent.size(); i++) {
      g.writeStartObject();
      g.writeFieldName(TO);
      string(sentTo.get(i));
      g.writeFieldName(MSG);
      value(g, sent.get(i), false);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeFieldName(VARS);
    g.writeStartObject();
    currentNode = id(node.id());
    currentId = node.id();
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
    bases.remove(node); // its next event logs its journaled variables whole
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
      value(g, msg, false);
    }
    g.writeEndObject();
    endLine();
  }

  /** A partition: {@code side} is cut off from the other nodes until the next heal. */
  public void partition(long seq, long time, List<String> side) throws IOException {
    start(seq, time, null, "fault");
    g.writeStringField("fault", "partition");
    g.writeFieldName("side");
    value(g, side, false);
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
    string(g, s);
  }

  private void string(JsonGenerator g, String s) throws IOException {
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

  /** One spec variable of the acting node: whole or this node's entry, a journaled one as its change when it can. */
  private void variable(String name, Object value, boolean indexed) {
    try {
      g.writeFieldName(name(name));
      if (indexed) {
        g.writeStartObject();
        g.writeFieldName(currentNode);
      }
      if (value instanceof Journaled j) {
        Map<String, Journaled> mine = bases.computeIfAbsent(currentId, k -> new java.util.HashMap<>());
        if (mine.get(name) == j && j.journaling()) {
          change(j);
        } else {
          value(g, j, false);
          mine.put(name, j);
        }
        j.mark();
      } else {
        value(g, value, false);
      }
      if (indexed) {
        g.writeEndObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A journaled value's change since its last mark: O(what changed). */
  private void change(Journaled j) throws IOException {
    g.writeStartObject();
    if (j instanceof SpecLog<?> log) {
      if (log.kept() < log.base()) {
        g.writeFieldName("$truncate");
        g.writeNumber(log.kept());
      }
      g.writeFieldName("$append");
      g.writeStartArray();
      for (Object o : log.appended()) {
        value(g, o, true);
      }
      g.writeEndArray();
    } else if (j instanceof SpecMap<?, ?> map) {
      List<Object> removed = new ArrayList<>();
      g.writeFieldName("$put");
      g.writeStartArray();
      for (Object k : sorted(map.changed(), "a map's keys")) {
        if (map.containsKey(k)) {
          g.writeStartArray();
          value(g, k, true);
          value(g, map.get(k), true);
          g.writeEndArray();
        } else {
          removed.add(k);
        }
      }
      g.writeEndArray();
      if (!removed.isEmpty()) {
        g.writeFieldName("$remove");
        g.writeStartArray();
        for (Object k : removed) {
          value(g, k, true);
        }
        g.writeEndArray();
      }
    }
    g.writeEndObject();
  }

  /**
   * Writes one Java value as its TLA+ counterpart. {@code nested} is true when the value is
   * not the direct value of a name (a variable, parameter, constant or record field) but inside
   * another value: an element, a function's key or value. A nested set or list is then tagged.
   */
  private void value(JsonGenerator g, Object v, boolean nested) throws IOException {
    if (v == null) {
      throw new IllegalArgumentException("null has no TLA+ counterpart: a traced value must not be null");
    } else if (v instanceof String s) {
      string(g, s);
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
        value(g, spec, nested);
      }
    } else if (v instanceof Set<?> set) {
      startTagged(g, nested ? "$set" : null);
      for (Object o : set instanceof SortedSet<?> ss && ss.comparator() == null ? set : sorted(set, "a set")) {
        value(g, o, true);
      }
      endTagged(g, nested);
    } else if (v instanceof Collection<?> c) {
      startTagged(g, nested ? "$seq" : null);
      for (Object o : c) {
        value(g, o, true);
      }
      endTagged(g, nested);
    } else if (v instanceof Map<?, ?> m) {
      boolean strings = true;
      for (Object k : m.keySet()) {
        strings &= k instanceof String;
      }
      if (strings) {
        g.writeStartObject();
        for (Object k : sorted(m.keySet(), "a map's keys")) {
          g.writeFieldName((String) k);
          value(g, m.get(k), true);
        }
        g.writeEndObject();
      } else {
        startTagged(g, "$fn");
        for (Object k : sorted(m.keySet(), "a map's keys")) {
          g.writeStartArray();
          value(g, k, true);
          value(g, m.get(k), true);
          g.writeEndArray();
        }
        endTagged(g, true);
      }
    } else if (v instanceof Bag<?> bag) {
      startTagged(g, "$bag");
      Map<?, Integer> counts = bag.counts();
      for (Object e : sorted(counts.keySet(), "a bag")) {
        g.writeStartArray();
        value(g, e, true);
        g.writeNumber(counts.get(e));
        g.writeEndArray();
      }
      endTagged(g, true);
    } else if (v instanceof Record r) {
      record(g, r);
    } else if (v instanceof Enum<?> e) {
      g.writeString(e.name().toLowerCase(java.util.Locale.ROOT));
    } else if (v instanceof long[] a) {
      startTagged(g, nested ? "$seq" : null);
      for (long x : a) {
        g.writeNumber(x);
      }
      endTagged(g, nested);
    } else {
      throw new IllegalArgumentException("no TLA+ counterpart for a " + v.getClass().getName()
          + " (use strings, numbers, booleans, sets, lists, maps, bags, records or SpecValue)");
    }
  }

  /** Starts an array, inside {@code {"<tag>": ...}} when {@code tag} is not null. */
  private static void startTagged(JsonGenerator g, String tag) throws IOException {
    if (tag != null) {
      g.writeStartObject();
      g.writeFieldName(tag);
    }
    g.writeStartArray();
  }

  private static void endTagged(JsonGenerator g, boolean tagged) throws IOException {
    g.writeEndArray();
    if (tagged) {
      g.writeEndObject();
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

  private void record(JsonGenerator g, Record r) throws IOException {
    Component[] cs = COMPONENTS.computeIfAbsent(r.getClass(), TraceWriter::components);
    g.writeStartObject();
    if (r instanceof Message) {
      g.writeFieldName(TYPE);
      g.writeString(name(r.getClass().getSimpleName()));
    }
    for (Component c : cs) {
      g.writeFieldName(c.name());
      try {
        value(g, c.accessor().invoke(r), false);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + c.name() + " of " + r.getClass().getName(), e);
      }
    }
    g.writeEndObject();
  }

  /**
   * The elements in their natural order, or, when they have none (tuples, sets, maps, records
   * that are not Comparable), in the order of their JSON text. Iteration order of a hash set
   * can differ from one JVM to the next; either order is the same on every run, so a trace
   * replays byte for byte.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Object> sorted(Collection<?> c, String what) {
    List<Object> list = new ArrayList<>(c);
    boolean comparable = true;
    for (Object o : list) {
      if (o == null) {
        throw new IllegalArgumentException(what + " holds a null, which has no TLA+ counterpart");
      }
      comparable &= o instanceof Comparable && !(o instanceof Collection) && o.getClass() == list.get(0).getClass();
    }
    if (comparable) {
      list.sort((a, b) -> ((Comparable) a).compareTo(b));
      return list;
    }
    Map<Object, String> text = new java.util.IdentityHashMap<>();
    for (Object o : list) {
      text.put(o, json(o));
    }
    list.sort(java.util.Comparator.comparing(text::get));
    return list;
  }

  /** A value's JSON text, as this writer writes it nested. */
  private String json(Object v) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (JsonGenerator text = JSON.createGenerator(out)) {
      value(text, v, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
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
