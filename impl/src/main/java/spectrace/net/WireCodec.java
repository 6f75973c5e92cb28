package spectrace.net;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import spectrace.core.Message;

/**
 * The wire encoding of a protocol's sealed messages (and its client requests): JSON, a record
 * with {@code type} set to the record's simple name, then its components by name.
 *
 * <p>Encoding works on any record of strings, numbers, booleans, enums (by constant name),
 * lists, sets, string-keyed maps and nested records. Decoding knows only the types it was
 * given, so a frame can never make a node build an object of a class it did not expect; a
 * value that does not fit its component's declared type, a missing or unknown component, or
 * an unknown type is a {@link WireException} naming what is wrong.
 */
public final class WireCodec {

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final String TYPE = "type";

  private final Map<String, Class<? extends Record>> types = new TreeMap<>();

  /**
   * A codec for the records of {@code messageType}'s permitted subclasses (a sealed interface)
   * and for {@code others} (a protocol's request types).
   */
  @SuppressWarnings("unchecked")
  public WireCodec(Class<? extends Message> messageType, Collection<Class<? extends Record>> others) {
    if (messageType.isSealed()) {
      for (Class<?> c : messageType.getPermittedSubclasses()) {
        if (c.isRecord()) {
          add((Class<? extends Record>) c);
        }
      }
    } else if (messageType.isRecord()) {
      add((Class<? extends Record>) messageType);
    }
    others.forEach(this::add);
  }

  private void add(Class<? extends Record> c) {
    Class<? extends Record> clash = types.put(c.getSimpleName(), c);
    if (clash != null && clash != c) {
      throw new IllegalArgumentException("two wire types named " + c.getSimpleName() + ": " + clash.getName()
          + " and " + c.getName());
    }
  }

  /** {@code value} as JSON, with its type. */
  public byte[] encode(Record value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(g, value, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@code value} (typed, when it is the top-level record) to {@code g}. */
  private void write(JsonGenerator g, Object value, boolean typed) throws IOException {
    if (value == null) {
      throw new IllegalArgumentException("null cannot go on the wire");
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Enum<?> e) {
      g.writeString(e.name());
    } else if (value instanceof Record r) {
      g.writeStartObject();
      if (typed) {
        g.writeStringField(TYPE, r.getClass().getSimpleName());
      }
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        g.writeFieldName(c.getName());
        try {
          java.lang.reflect.Method m = c.getAccessor();
          m.setAccessible(true);
          write(g, m.invoke(r), false);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getName(), e);
        }
      }
      g.writeEndObject();
    } else if (value instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue(), false);
      }
      g.writeEndObject();
    } else if (value instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object o : c) {
        write(g, o, false);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot go on the wire");
    }
  }

  /** The record that {@code json} encodes. */
  public Record decode(byte[] json) throws WireException {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new WireException("not a JSON object");
      }
      Record r = read(p, null);
      if (p.nextToken() != null) {
        throw new WireException("data after the object");
      }
      return r;
    } catch (IOException e) {
      throw new WireException("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** Reads an object whose start token is current: typed when {@code type} is null. */
  private Record read(JsonParser p, Class<?> type) throws IOException, WireException {
    Map<String, Object> fields = new LinkedHashMap<>();
    Class<?> t = type;
    Map<String, Type> componentTypes = t == null ? null : componentTypes(t);
    // Fields are read in order; "type" must come first on an untyped (top-level) object.
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.getCurrentName();
      p.nextToken();
      if (t == null) {
        if (!name.equals(TYPE) || p.currentToken() != JsonToken.VALUE_STRING) {
          throw new WireException("the first field must be \"type\", a string");
        }
        t = types.get(p.getText());
        if (t == null) {
          throw new WireException("unknown type '" + p.getText() + "' (known: " + String.join(", ", types.keySet()) + ")");
        }
        componentTypes = componentTypes(t);
        continue;
      }
      Type ct = componentTypes.get(name);
      if (ct == null) {
        throw new WireException(t.getSimpleName() + " has no field '" + name + "'");
      }
      if (fields.put(name, value(p, ct, t.getSimpleName() + "." + name)) != null) {
        throw new WireException(t.getSimpleName() + "." + name + " appears twice");
      }
    }
    if (t == null) {
      throw new WireException("an object without \"type\"");
    }
    return construct(t, fields);
  }

  private static Map<String, Type> componentTypes(Class<?> t) {
    Map<String, Type> out = new LinkedHashMap<>();
    for (RecordComponent c : t.getRecordComponents()) {
      out.put(c.getName(), c.getGenericType());
    }
    return out;
  }

  private static Record construct(Class<?> t, Map<String, Object> fields) throws WireException {
    RecordComponent[] cs = t.getRecordComponents();
    Class<?>[] sig = new Class<?>[cs.length];
    Object[] args = new Object[cs.length];
    for (int i = 0; i < cs.length; i++) {
      sig[i] = cs[i].getType();
      if (!fields.containsKey(cs[i].getName())) {
        throw new WireException(t.getSimpleName() + " lacks its field '" + cs[i].getName() + "'");
      }
      args[i] = fields.get(cs[i].getName());
    }
    try {
      Constructor<?> k = t.getDeclaredConstructor(sig);
      k.setAccessible(true);
      return (Record) k.newInstance(args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new WireException(t.getSimpleName() + " refuses its fields: " + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + t.getName(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object value(JsonParser p, Type type, String where) throws IOException, WireException {
    Class<?> raw = type instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) type;
    JsonToken tok = p.currentToken();
    if (raw == String.class) {
      expect(tok == JsonToken.VALUE_STRING, where, "a string");
      return p.getText();
    } else if (raw == long.class || raw == Long.class || raw == int.class || raw == Integer.class) {
      expect(tok == JsonToken.VALUE_NUMBER_INT, where, "an integer");
      long v = p.getLongValue();
      if (raw == int.class || raw == Integer.class) {
        expect(v == (int) v, where, "a 32-bit integer");
        return (int) v;
      }
      return v;
    } else if (raw == boolean.class || raw == Boolean.class) {
      expect(tok == JsonToken.VALUE_TRUE || tok == JsonToken.VALUE_FALSE, where, "a boolean");
      return tok == JsonToken.VALUE_TRUE;
    } else if (raw.isEnum()) {
      expect(tok == JsonToken.VALUE_STRING, where, "a string");
      for (Object c : raw.getEnumConstants()) {
        if (((Enum<?>) c).name().equals(p.getText())) {
          return c;
        }
      }
      throw new WireException(where + ": no constant " + p.getText() + " in " + raw.getSimpleName());
    } else if (raw.isRecord()) {
      expect(tok == JsonToken.START_OBJECT, where, "an object");
      return read(p, raw);
    } else if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
      expect(tok == JsonToken.START_ARRAY, where, "an array");
      Type elem = type instanceof ParameterizedType pt ? pt.getActualTypeArguments()[0] : Object.class;
      Collection c = SortedSet.class.isAssignableFrom(raw) ? new TreeSet<>()
          : Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        c.add(value(p, elem, where + "[]"));
      }
      return raw == List.class ? List.copyOf(c) : raw == Set.class ? Set.copyOf(c) : c;
    } else if (Map.class.isAssignableFrom(raw)) {
      expect(tok == JsonToken.START_OBJECT, where, "an object");
      Type val = type instanceof ParameterizedType pt ? pt.getActualTypeArguments()[1] : Object.class;
      Map m = new TreeMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String k = p.getCurrentName();
        p.nextToken();
        m.put(k, value(p, val, where + "." + k));
      }
      return raw == Map.class ? Map.copyOf(m) : m;
    }
    throw new WireException(where + ": a " + raw.getSimpleName() + " cannot come off the wire");
  }

  private static void expect(boolean ok, String where, String what) throws WireException {
    if (!ok) {
      throw new WireException(where + " must be " + what);
    }
  }

  /** A frame whose contents this codec cannot decode. */
  public static final class WireException extends Exception {
    public WireException(String message) {
      super(message);
    }
  }
}
