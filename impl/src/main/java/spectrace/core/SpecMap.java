package spectrace.core;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A map that a trace logs by its changes: a TLA+ function (PBFT's log keyed by (view, seq),
 * Raft's nextIndex keyed by server). Since it was last {@linkplain #mark() marked} it
 * remembers the keys it set or removed; a trace event logs
 * {@code {"$put": [[k, v], ...], "$remove": [k, ...]}} with their values now, in O(number of
 * keys changed). Iteration is in insertion order; the trace sorts keys itself.
 *
 * <p>Entries change through {@link #put}, {@link #remove}, {@link #clear} and the methods of
 * {@link Map} built on them ({@code computeIfAbsent}, {@code merge}, ...); the entry set is a
 * read-only view. A value that is changed in place (a mutable set held as a value) must be
 * put again, or the trace will not see the change.
 *
 * @param <K> the keys: the function's domain
 * @param <V> the values
 */
public final class SpecMap<K, V> extends AbstractMap<K, V> implements Journaled {

  private final LinkedHashMap<K, V> entries = new LinkedHashMap<>();
  private boolean journaling;
  private final Set<Object> changed = new HashSet<>();

  /** An empty map. */
  public SpecMap() {}

  /** A map holding {@code m}'s entries. */
  public SpecMap(Map<? extends K, ? extends V> m) {
    entries.putAll(m);
  }

  @Override
  public V get(Object key) {
    return entries.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return entries.containsKey(key);
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public V put(K key, V value) {
    if (journaling) {
      changed.add(key);
    }
    return entries.put(key, value);
  }

  @Override
  public V remove(Object key) {
    if (journaling && entries.containsKey(key)) {
      changed.add(key);
    }
    return entries.remove(key);
  }

  @Override
  public void clear() {
    if (journaling) {
      changed.addAll(entries.keySet());
    }
    entries.clear();
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    return Collections.unmodifiableMap(entries).entrySet();
  }

  @Override
  public void mark() {
    journaling = true;
    changed.clear();
  }

  @Override
  public boolean journaling() {
    return journaling;
  }

  /** The keys set or removed since the last mark (a view; empty before the first mark). */
  public Set<Object> changed() {
    return Collections.unmodifiableSet(changed);
  }
}
