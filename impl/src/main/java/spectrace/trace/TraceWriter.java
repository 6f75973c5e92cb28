package spectrace.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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

  private final JsonGenerator g;
  private final VarSink vars = new VarSink() {
    @Override
    public void whole(String name, Object value) {
      try {
        g.writeFieldName(name);
        value(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void indexed(String name, Object value) {
      try {
        g.writeObjectFieldStart(name);
        g.writeFieldName(currentNode);
        value(value);
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  private String currentNode;
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
    g.writeStringField("action", action);
    g.writeObjectFieldStart("params");
    if (!paramNames.isEmpty()) {
      String[] names = PARAM_NAMES.computeIfAbsent(paramNames, s -> s.split(","));
      for (int i = 0; i < names.length; i++) {
        g.writeFieldName(names[i]);
        value(params[i]);
      }
    }
    g.writeEndObject();
    if (recv != null) {
      g.writeObjectFieldStart("recv");
      g.writeStringField("from", recvFrom);
      g.writeFieldName("msg");
      value(recv);
      g.writeEndObject();
    }
    g.writeArrayFieldStart("sent");
    for (int i = 0; i < sent.size(); i++) {
      g.writeStartObject();
      g.writeStringField("to", sentTo.get(i));
      g.writeFieldName("msg");
      value(sent.get(i));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectFieldStart("vars");
    currentNode = node.id();
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
    start(seq, time, node, action == null ? "fault" : "action");
    if (action != null) {
      g.writeStringField("action", action);
      g.writeObjectFieldStart("params");
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
    g.writeNumberField("seq", seq);
    g.writeNumberField("time", time);
    g.writeStringField("kind", kind);
    if (node != null) {
      g.writeStringField("node", node);
    }
  }

  private void clock(long[] vc, List<String> nodes) throws IOException {
    g.writeObjectFieldStart("vc");
    for (int i = 0; i < vc.length; i++) {
      if (vc[i] != 0) {
        g.writeNumberField(nodes.get(i), vc[i]);
      }
    }
    g.writeEndObject();
  }

  private void endLine() throws IOException {
    g.writeRaw('\n');
    lines++;
  }

  /** Writes one Java value as its TLA+ counterpart. */
  private void value(Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof SpecValue sv) {
      value(sv.specValue());
    } else if (v instanceof Set<?> set) {
      g.writeStartArray();
      for (Object o : sorted(set)) {
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
      for (Object k : sorted(m.keySet())) {
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
  private record Component(String name, java.lang.reflect.Method accessor) {}

  private static Component[] components(Class<?> type) {
    RecordComponent[] rc = type.getRecordComponents();
    Component[] out = new Component[rc.length];
    for (int i = 0; i < rc.length; i++) {
      java.lang.reflect.Method m = rc[i].getAccessor();
      m.setAccessible(true);
      out[i] = new Component(rc[i].getName(), m);
    }
    return out;
  }

  private void record(Record r) throws IOException {
    Component[] cs = COMPONENTS.computeIfAbsent(r.getClass(), TraceWriter::components);
    g.writeStartObject();
    if (r instanceof Message) {
      g.writeStringField("type", r.getClass().getSimpleName());
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

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Object> sorted(Collection<?> c) {
    List<Object> list = new ArrayList<>(c);
    if (list.size() > 1 && list.get(0) instanceof Comparable) {
      list.sort((a, b) -> ((Comparable) a).compareTo(b));
    }
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
