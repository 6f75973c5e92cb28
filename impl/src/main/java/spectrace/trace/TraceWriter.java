package spectrace.trace;

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

  /** Each record class's components, and a message's type name, read once per class. */
  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      return new Shape(encoded(type.getSimpleName()), components(type));
    }
  };
  /** Parameter names, encoded, by the comma-separated constant the woven code passes. */
  private static final Map<String, JsonOut.Text[]> PARAM_NAMES = new ConcurrentHashMap<>();

  // Names written on every event, encoded once. Constants of the code (field names, action,
  // parameter and variable names, which are class-file constants) go in NAMES, which stays
  // small; the run's node ids go in this writer's own cache when the header is written.
  private static final Map<String, JsonOut.Text> NAMES = new ConcurrentHashMap<>();
  private static final JsonOut.Text SEQ = encoded("seq");
  private static final JsonOut.Text TIME = encoded("time");
  private static final JsonOut.Text KIND = encoded("kind");
  private static final JsonOut.Text NODE = encoded("node");
  private static final JsonOut.Text ACTION = encoded("action");
  private static final JsonOut.Text PARAMS = encoded("params");
  private static final JsonOut.Text RECV = encoded("recv");
  private static final JsonOut.Text FROM = encoded("from");
  private static final JsonOut.Text TO = encoded("to");
  private static final JsonOut.Text MSG = encoded("msg");
  private static final JsonOut.Text SENT = encoded("sent");
  private static final JsonOut.Text VARS = encoded("vars");
  private static final JsonOut.Text VC = encoded("vc");
  private static final JsonOut.Text TYPE = encoded("type");
  private static final JsonOut.Text FAULT = encoded("fault");
  private static final JsonOut.Text REASON = encoded("reason");

  /**
   * Bytes a writer buffers before it hands them to its stream: small, since a writer lives
   * for one run and the stream buffers too (a simulator run of two-phase commit writes ~5 KB).
   */
  private static final int BUFFER = 1024;

  private final Map<String, JsonOut.Text> ids = new java.util.HashMap<>();
  private JsonOut.Text[] idArray = new JsonOut.Text[0];

  private final JsonOut g;
  /** Messages' text by identity (see {@link #message}); a power of two. */
  private static final int MESSAGE_CACHE = 64;
  private final Object[] messageKeys = new Object[MESSAGE_CACHE];
  private final byte[][] messageText = new byte[MESSAGE_CACHE][];
  /** Where a message is written to be cached; in use while {@link #inMessage}. */
  private final JsonOut scratch = new JsonOut(null, 256);
  private boolean inMessage;
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
  private JsonOut.Text currentNode;
  private long lines;

  /** A writer onto {@code out}, which it closes. */
  public TraceWriter(OutputStream out) {
    g = new JsonOut(out, BUFFER);
  }

  /** Bytes written so far, buffered ones included. */
  public long bytes() {
    return g.size();
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
    // A simulation campaign writes the same header but for its seed run after run: its text
    // before and after the seed, and the encoded ids, are kept for the header written last.
    HeaderText h = lastHeader;
    if (h == null || !h.protocol.equals(protocol) || !h.module.equals(module) || !h.nodes.equals(nodes)
        || !h.constants.equals(constants) || !h.variables.equals(variables)) {
      h = headerText(protocol, module, constants, nodes, variables);
      lastHeader = h;
    }
    idArray = h.ids;
    for (JsonOut.Text id : idArray) {
      ids.put(id.value, id);
    }
    g.fragment(h.beforeSeed, false);
    g.value(seed);
    g.fragment(h.afterSeed, true);
    endLine();
  }

  /** A header's text around its seed, and the run's node ids encoded. */
  private record HeaderText(String protocol, String module, Map<String, Object> constants, List<String> nodes,
                            Map<String, String> variables, byte[] beforeSeed, byte[] afterSeed,
                            JsonOut.Text[] ids) {}

  private static volatile HeaderText lastHeader;

  private HeaderText headerText(String protocol, String module, Map<String, Object> constants, List<String> nodes,
                                Map<String, String> variables) throws IOException {
    JsonOut.Text[] encodedIds = new JsonOut.Text[nodes.size()];
    for (int i = 0; i < encodedIds.length; i++) {
      encodedIds[i] = new JsonOut.Text(nodes.get(i));
    }
    JsonOut h = new JsonOut(null, 256);
    h.startObject();
    h.field(encoded("format"));
    h.value(FORMAT);
    h.field(encoded("protocol"));
    h.value(protocol);
    h.field(encoded("module"));
    h.value(module);
    h.field(encoded("constants"));
    h.startObject();
    for (Object k : sorted(constants.keySet(), "the constants' names")) {
      h.field((String) k);
      value(h, constants.get(k), false);
    }
    h.endObject();
    h.field(encoded("nodes"));
    value(h, nodes, false);
    h.field(encoded("seed"));
    byte[] beforeSeed = h.take();
    h.value(0); // a stand-in for the seed, so that the text after it starts with its comma
    h.take();
    h.field(encoded("variables"));
    value(h, variables, false);
    h.endObject();
    byte[] afterSeed = h.take();
    return new HeaderText(protocol, module, Map.copyOf(constants), List.copyOf(nodes), Map.copyOf(variables),
        beforeSeed, afterSeed, encodedIds);
  }

  /**
   * Continues a trace whose header is already in the file (a node recovering after a crash
   * appends to its own trace): learns the node ids the header listed, writes nothing.
   */
  public void resume(List<String> nodes) {
    idArray = new JsonOut.Text[nodes.size()];
    for (int i = 0; i < idArray.length; i++) {
      idArray[i] = encoded(nodes.get(i));
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
    start(seq, time, node.id(), ACTION);
    g.field(ACTION);
    g.value(constant(action));
    g.field(PARAMS);
    g.startObject();
    if (!paramNames.isEmpty()) {
      JsonOut.Text[] names = paramNames(paramNames);
      for (int i = 0; i < names.length; i++) {
        g.field(names[i]);
        value(g, params[i], false);
      }
    }
    g.endObject();
    if (recv != null) {
      g.field(RECV);
      g.startObject();
      g.field(FROM);
      string(recvFrom);
      g.field(MSG);
      value(g, recv, false);
      g.endObject();
    }
    g.field(SENT);
    g.startArray();
    for (int i = 0; i < sent.size(); i++) {
      g.startObject();
      g.field(TO);
      string(sentTo.get(i));
      g.field(MSG);
      value(g, sent.get(i), false);
      g.endObject();
    }
    g.endArray();
    g.field(VARS);
    g.startObject();
    currentNode = id(node.id());
    currentId = node.id();
    node.$specVars(vars);
    g.endObject();
    clock(vc, nodes);
    g.endObject();
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
    start(seq, time, node, action == null ? FAULT : ACTION);
    if (action != null) {
      g.field(ACTION);
    g.value(action);
      g.field(PARAMS);
      g.startObject();
      if (param != null) {
        g.field(param);
        g.value(node);
      }
      g.endObject();
      g.field(SENT);
      g.startArray();
      g.endArray();
      g.field(VARS);
      g.startObject();
      g.endObject();
    }
    g.field(FAULT);
    g.value(recovers ? "crash-recovery" : "crash-stop");
    clock(vc, nodes);
    g.endObject();
    endLine();
  }

  /**
   * A fault that is no spec action: {@code fault} names it, and the message it concerns
   * (from, to, msg) or the node it concerns may be null.
   */
  public void fault(long seq, long time, String fault, String node, String from, String to, Message msg)
      throws IOException {
    fault(seq, time, fault, node, from, to, msg, null, null);
  }

  /** A fault event, with the node's vector clock {@code vc} after its other fields when not null. */
  private void fault(long seq, long time, String fault, String node, String from, String to, Message msg, long[] vc,
                     List<String> nodes) throws IOException {
    start(seq, time, node, FAULT);
    g.field(FAULT);
    g.value(fault);
    if (msg != null) {
      g.field(FROM);
      g.value(from);
      g.field(TO);
      g.value(to);
      g.field(MSG);
      value(g, msg, false);
    }
    if (vc != null) {
      clock(vc, nodes);
    }
    g.endObject();
    endLine();
  }

  /**
   * Byzantine node {@code node} sent {@code msg} to {@code to} under the name {@code from}, with
   * its vector clock {@code vc} (a node's own trace over TCP: the merge orders its sends by it).
   */
  public void byzantine(long seq, long time, String node, String from, String to, Message msg, long[] vc,
                        List<String> nodes) throws IOException {
    fault(seq, time, "byzantine", node, from, to, msg, vc, nodes);
  }

  /**
   * Node {@code node} rejected {@code msg} from {@code from}, unread: it failed the check
   * {@code reason} names (a signature, a digest, a proof). No spec action accounts for it.
   * {@code vc}, when not null, is the node's vector clock (a node's own trace over TCP: the merge
   * puts the rejection after the send of what it rejects).
   */
  public void rejected(long seq, long time, String node, String from, Message msg, String reason, long[] vc,
                       List<String> nodes) throws IOException {
    start(seq, time, node, FAULT);
    g.field(FAULT);
    g.value("rejected");
    g.field(FROM);
    g.value(from);
    g.field(MSG);
    value(g, msg, false);
    g.field(REASON);
    g.value(reason);
    if (vc != null) {
      clock(vc, nodes);
    }
    g.endObject();
    endLine();
  }

  /** A partition: {@code side} is cut off from the other nodes until the next heal. */
  public void partition(long seq, long time, List<String> side) throws IOException {
    start(seq, time, null, FAULT);
    g.field(FAULT);
    g.value("partition");
    g.field(encoded("side"));
    value(g, side, false);
    g.endObject();
    endLine();
  }

  private void start(long seq, long time, String node, JsonOut.Text kind) throws IOException {
    g.startObject();
    g.field(SEQ);
    g.value(seq);
    g.field(TIME);
    g.value(time);
    g.field(KIND);
    g.value(kind);
    if (node != null) {
      g.field(NODE);
      string(node);
    }
  }

  private void clock(long[] vc, List<String> nodes) throws IOException {
    g.field(VC);
    g.startObject();
    for (int i = 0; i < vc.length; i++) {
      if (vc[i] != 0) {
        g.field(i < idArray.length ? idArray[i] : new JsonOut.Text(nodes.get(i)));
        g.value(vc[i]);
      }
    }
    g.endObject();
  }

  /** A constant of the code (a field, action, parameter or variable name), encoded once. */
  private static JsonOut.Text encoded(String constant) {
    JsonOut.Text t = NAMES.get(constant);
    return t != null ? t : NAMES.computeIfAbsent(constant, JsonOut.Text::new);
  }


  /** A node id of this run, encoded once. */
  private JsonOut.Text id(String node) {
    JsonOut.Text s = ids.get(node);
    return s != null ? s : new JsonOut.Text(node);
  }

  /*
   * The strings of a trace are few and repeat on every line and in every run: names of the
   * code (actions, parameters, variables, spec values), which are class-file constants, and
   * node ids, which are the run's own String objects. Their encoded text is kept in a
   * direct-mapped cache keyed by identity, shared by all writers, so that a line costs no hash
   * lookup for them: a slot is found by the string's (cached) hash and hit by a reference
   * compare. A miss falls back on the lookups behind it, and its result takes the slot. An
   * entry is immutable, so a slot read in one thread while another writes it holds either
   * entry, whole; either is right, since a string's text does not depend on the run.
   */
  private static final int SLOTS = 1024;
  private static final Cached[] CACHE = new Cached[SLOTS];

  /** A cached value: a string's encoded text (null: seen once, not encoded), or parameter names. */
  private record Cached(Object key, Object value) {}

  private static Cached cached(Object key) {
    return CACHE[key.hashCode() & (SLOTS - 1)];
  }

  private static void cache(Object key, Object value) {
    CACHE[key.hashCode() & (SLOTS - 1)] = new Cached(key, value);
  }

  /** The encoded text of a constant of the code. */
  private static JsonOut.Text constant(String s) {
    Cached e = cached(s);
    if (e != null && e.key == s && e.value instanceof JsonOut.Text t) {
      return t;
    }
    JsonOut.Text t = encoded(s);
    cache(s, t);
    return t;
  }

  /** A string value: written from its encoded text when it is an id, a constant, or seen before. */
  private void string(String s) throws IOException {
    string(g, s);
  }

  private void string(JsonOut g, String s) throws IOException {
    Cached e = cached(s);
    if (e != null && e.key == s) {
      JsonOut.Text t = e.value instanceof JsonOut.Text text ? text : null;
      if (t == null) { // the second time: encode it
        t = new JsonOut.Text(s);
        cache(s, t);
      }
      g.value(t);
      return;
    }
    JsonOut.Text t = ids.get(s);
    if (t == null) {
      t = NAMES.get(s);
    }
    cache(s, t);
    if (t != null) {
      g.value(t);
    } else {
      g.value(s);
    }
  }

  /** The encoded names of an action's parameters, from the comma-separated constant the woven code passes. */
  private static JsonOut.Text[] paramNames(String names) {
    Cached e = cached(names);
    if (e != null && e.key == names && e.value instanceof JsonOut.Text[] t) {
      return t;
    }
    JsonOut.Text[] t = PARAM_NAMES.get(names);
    if (t == null) {
      t = PARAM_NAMES.computeIfAbsent(names,
          p -> java.util.Arrays.stream(p.split(",")).map(TraceWriter::encoded).toArray(JsonOut.Text[]::new));
    }
    cache(names, t);
    return t;
  }

  private void endLine() throws IOException {
    g.newline();
    lines++;
  }

  /** One spec variable of the acting node: whole or this node's entry, a journaled one as its change when it can. */
  private void variable(String name, Object value, boolean indexed) {
    try {
      g.field(constant(name));
      if (indexed) {
        g.startObject();
        g.field(currentNode);
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
        g.endObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A journaled value's change since its last mark: O(what changed). */
  private void change(Journaled j) throws IOException {
    g.startObject();
    if (j instanceof SpecLog<?> log) {
      if (log.kept() < log.base()) {
        g.field(encoded("$truncate"));
        g.value(log.kept());
      }
      g.field(encoded("$append"));
      g.startArray();
      for (Object o : log.appended()) {
        value(g, o, true);
      }
      g.endArray();
    } else if (j instanceof SpecMap<?, ?> map) {
      List<Object> removed = new ArrayList<>();
      g.field(encoded("$put"));
      g.startArray();
      for (Object k : sorted(map.changed(), "a map's keys")) {
        if (map.containsKey(k)) {
          g.startArray();
          value(g, k, true);
          value(g, map.get(k), true);
          g.endArray();
        } else {
          removed.add(k);
        }
      }
      g.endArray();
      if (!removed.isEmpty()) {
        g.field(encoded("$remove"));
        g.startArray();
        for (Object k : removed) {
          value(g, k, true);
        }
        g.endArray();
      }
    }
    g.endObject();
  }

  /**
   * Writes one Java value as its TLA+ counterpart. {@code nested} is true when the value is
   * not the direct value of a name (a variable, parameter, constant or record field) but inside
   * another value: an element, a function's key or value. A nested set or list is then tagged.
   */
  private void value(JsonOut g, Object v, boolean nested) throws IOException {
    if (v == null) {
      throw new IllegalArgumentException("null has no TLA+ counterpart: a traced value must not be null");
    } else if (v instanceof String s) {
      string(g, s);
    } else if (v instanceof Integer i) {
      g.value(i);
    } else if (v instanceof Long l) {
      g.value(l);
    } else if (v instanceof Short || v instanceof Byte) {
      g.value(((Number) v).intValue());
    } else if (v instanceof Character c) {
      g.value(c.toString());
    } else if (v instanceof Boolean b) {
      g.value(b);
    } else if (v instanceof SpecValue sv) {
      Object spec = sv.specValue();
      if (spec instanceof String str) {
        g.value(constant(str));
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
        g.startObject();
        for (Object k : sorted(m.keySet(), "a map's keys")) {
          g.field((String) k);
          value(g, m.get(k), true);
        }
        g.endObject();
      } else {
        startTagged(g, "$fn");
        for (Object k : sorted(m.keySet(), "a map's keys")) {
          g.startArray();
          value(g, k, true);
          value(g, m.get(k), true);
          g.endArray();
        }
        endTagged(g, true);
      }
    } else if (v instanceof Bag<?> bag) {
      startTagged(g, "$bag");
      Map<?, Integer> counts = bag.counts();
      for (Object e : sorted(counts.keySet(), "a bag")) {
        g.startArray();
        value(g, e, true);
        g.value(counts.get(e));
        g.endArray();
      }
      endTagged(g, true);
    } else if (v instanceof Message m && v instanceof Record && !inMessage) {
      message(g, m);
    } else if (v instanceof Record r) {
      record(g, r);
    } else if (v instanceof Enum<?> e) {
      g.value(e.name().toLowerCase(java.util.Locale.ROOT));
    } else if (v instanceof long[] a) {
      startTagged(g, nested ? "$seq" : null);
      for (long x : a) {
        g.value(x);
      }
      endTagged(g, nested);
    } else {
      throw new IllegalArgumentException("no TLA+ counterpart for a " + v.getClass().getName()
          + " (use strings, numbers, booleans, sets, lists, maps, bags, records or SpecValue)");
    }
  }

  /** Starts an array, inside {@code {"<tag>": ...}} when {@code tag} is not null. */
  private static void startTagged(JsonOut g, String tag) throws IOException {
    if (tag != null) {
      g.startObject();
      g.field(tag);
    }
    g.startArray();
  }

  private static void endTagged(JsonOut g, boolean tagged) throws IOException {
    g.endArray();
    if (tagged) {
      g.endObject();
    }
  }

  /** A record component and its accessor, made accessible once (records need not be public). */
  private record Component(JsonOut.Text name, java.lang.reflect.Method accessor) {}

  /** A record class as written: its simple name (a message's type) and its components. */
  private record Shape(JsonOut.Text type, Component[] components) {}



  private static Component[] components(Class<?> type) {
    RecordComponent[] rc = type.getRecordComponents();
    Component[] out = new Component[rc.length];
    for (int i = 0; i < rc.length; i++) {
      java.lang.reflect.Method m = rc[i].getAccessor();
      m.setAccessible(true);
      out[i] = new Component(new JsonOut.Text(rc[i].getName()), m);
    }
    return out;
  }

  /**
   * A message, as the text it was written as before when this writer has it: a message is
   * written when sent, again when received, and once more for each copy, and does not change
   * (a message is a record; what it holds is never mutated once sent). The cache is
   * direct-mapped by identity, so a hit costs a hash and a compare.
   */
  private void message(JsonOut g, Message m) throws IOException {
    int slot = System.identityHashCode(m) & (MESSAGE_CACHE - 1);
    byte[] text;
    if (messageKeys[slot] == m) {
      text = messageText[slot];
    } else {
      inMessage = true;
      try {
        record(scratch, (Record) m);
      } catch (RuntimeException | IOException e) {
        scratch.take(); // what was written of it
        scratch.restart();
        throw e;
      } finally {
        inMessage = false;
      }
      text = scratch.take();
      scratch.restart();
      messageKeys[slot] = m;
      messageText[slot] = text;
    }
    g.raw(text);
  }

  private void record(JsonOut g, Record r) throws IOException {
    Shape shape = SHAPES.get(r.getClass());
    g.startObject();
    if (r instanceof Message) {
      g.field(TYPE);
      g.value(shape.type());
    }
    for (Component c : shape.components()) {
      g.field(c.name());
      try {
        value(g, c.accessor().invoke(r), false);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + c.name() + " of " + r.getClass().getName(), e);
      }
    }
    g.endObject();
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
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (JsonOut text = new JsonOut(out, 256)) {
      value(text, v, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
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
