package spectrace.protocols;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import spectrace.core.Protocol;
import spectrace.protocols.twophase.TwoPhase;

/** The protocols spectrace implements, by the names the command line uses. */
public final class Protocols {

  private static final Map<String, Protocol<?>> ALL = new TreeMap<>();

  static {
    register(new TwoPhase());
  }

  private Protocols() {}

  private static void register(Protocol<?> p) {
    ALL.put(p.name(), p);
  }

  /** The protocol named {@code name}. */
  public static Protocol<?> get(String name) {
    Protocol<?> p = ALL.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown protocol '" + name + "' (protocols: " + String.join(", ", names()) + ")");
    }
    return p;
  }

  /** Every protocol's name, sorted. */
  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }
}
