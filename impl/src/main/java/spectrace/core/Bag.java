package spectrace.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A multiset, traced as a TLA+ bag (the standard module Bags: a function from elements to
 * their positive number of copies), written {@code {"$bag": [[e, n], ...]}}.
 *
 * @param <E> the elements
 */
public final class Bag<E> {

  private final LinkedHashMap<E, Integer> counts = new LinkedHashMap<>();

  /** Adds one copy of {@code e}. */
  public void add(E e) {
    add(e, 1);
  }

  /** Adds {@code n} copies of {@code e} (n &gt; 0). */
  public void add(E e, int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("a bag adds a positive number of copies, not " + n);
    }
    counts.merge(Objects.requireNonNull(e), n, Integer::sum);
  }

  /** Takes one copy of {@code e} out; false when there is none. */
  public boolean remove(E e) {
    Integer n = counts.get(e);
    if (n == null) {
      return false;
    }
    if (n == 1) {
      counts.remove(e);
    } else {
      counts.put(e, n - 1);
    }
    return true;
  }

  /** The copies of {@code e} ({@code CopiesIn(e, B)}). */
  public int count(E e) {
    return counts.getOrDefault(e, 0);
  }

  /** The number of copies of all elements ({@code BagCardinality(B)}). */
  public int size() {
    int n = 0;
    for (int c : counts.values()) {
      n += c;
    }
    return n;
  }

  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /** Each element with its number of copies (read-only). */
  public Map<E, Integer> counts() {
    return Collections.unmodifiableMap(counts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bag<?> b && b.counts.equals(counts);
  }

  @Override
  public int hashCode() {
    return counts.hashCode();
  }

  @Override
  public String toString() {
    return counts.toString();
  }
}
