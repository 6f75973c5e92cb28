package spectrace.trace;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecVar;

/** The spec variables that a protocol's nodes log, for a trace header: name to whole or indexed. */
public final class SpecVars {

  private SpecVars() {}

  /** Each node class's spec variables, read once per class. */
  private static final ClassValue<Map<String, String>> BY_CLASS = new ClassValue<>() {
    @Override
    protected Map<String, String> computeValue(Class<?> type) {
      Map<String, String> vars = new TreeMap<>();
      boolean annotated = false;
      for (Class<?> c = type; c != ProtocolNode.class && c != null; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          SpecVar v = f.getAnnotation(SpecVar.class);
          if (v != null) {
            annotated = true;
            vars.put(v.value(), v.indexed() ? "indexed" : "whole");
          }
        }
      }
      if (annotated) {
        try {
          type.getField(spectrace.trace.weave.Weaver.MARKER);
        } catch (NoSuchFieldException e) {
          throw new IllegalStateException(type.getName() + " has @SpecVar fields but was not woven: build it with"
              + " Maven, whose process-classes phase weaves trace emission (see traces/README.md)");
        }
      }
      return Map.copyOf(vars);
    }
  };

  /** The last answer of {@link #of}, for the run after the run: the same protocol object and ids. */
  private record Last(Protocol<?> protocol, List<String> ids, Map<String, String> vars) {}

  private static volatile Last last;

  /**
   * The variables that the nodes {@code ids} of {@code protocol} log, sorted by name. Finding
   * them makes a node of each id; the answer for the protocol object and ids asked last is
   * kept, since a simulation campaign asks the same question run after run.
   */
  public static Map<String, String> of(Protocol<?> protocol, List<String> ids) {
    Last l = last;
    if (l != null && l.protocol() == protocol && l.ids().equals(ids)) {
      return l.vars();
    }
    Map<String, String> vars = new TreeMap<>();
    for (String id : ids) {
      vars.putAll(BY_CLASS.get(protocol.newNode(id, ids).getClass()));
    }
    Map<String, String> answer = java.util.Collections.unmodifiableMap(vars);
    last = new Last(protocol, List.copyOf(ids), answer);
    return answer;
  }
}
