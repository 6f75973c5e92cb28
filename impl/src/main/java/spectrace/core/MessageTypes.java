package spectrace.core;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/** Finds the message type {@code M} a class binds in {@code Protocol<M>}, however indirectly. */
final class MessageTypes {

  private MessageTypes() {}

  /** The class bound to {@code Protocol}'s type parameter by {@code c}, or null when it binds none. */
  static Class<?> of(Class<?> c) {
    return find(c, new HashMap<>());
  }

  /**
   * Searches {@code type}'s supertypes for {@code Protocol<X>}, with {@code bound} giving the
   * type variables of the classes below it their arguments.
   */
  private static Class<?> find(Type type, Map<TypeVariable<?>, Type> bound) {
    Class<?> raw;
    if (type instanceof ParameterizedType p) {
      raw = (Class<?>) p.getRawType();
      TypeVariable<?>[] vars = raw.getTypeParameters();
      Type[] args = p.getActualTypeArguments();
      Map<TypeVariable<?>, Type> inner = new HashMap<>(bound);
      for (int i = 0; i < vars.length; i++) {
        inner.put(vars[i], resolve(args[i], bound));
      }
      if (raw == Protocol.class) {
        return inner.get(vars[0]) instanceof Class<?> m ? m : null;
      }
      bound = inner;
    } else if (type instanceof Class<?> c) {
      raw = c;
    } else {
      return null;
    }
    for (Type t : raw.getGenericInterfaces()) {
      Class<?> m = find(t, bound);
      if (m != null) {
        return m;
      }
    }
    Type sup = raw.getGenericSuperclass();
    return sup == null ? null : find(sup, bound);
  }

  private static Type resolve(Type t, Map<TypeVariable<?>, Type> bound) {
    return t instanceof TypeVariable<?> v && bound.containsKey(v) ? bound.get(v) : t;
  }
}
