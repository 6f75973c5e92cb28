package spectrace.kv;

/**
 * The key-value store's operations. A trace writes one as its name in lower case
 * ({@code "put"}), the history's {@code f}.
 */
public enum Op {
  /** put(key, value): writes the value; always succeeds. */
  PUT,
  /** get(key): reads the value, or that the key has none. */
  GET,
  /** cas(key, expected, new): writes new if the current value is expected, else changes nothing. */
  CAS;

  /** The name in histories and traces: {@code put}, {@code get}, {@code cas}. */
  public String lowerCase() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
