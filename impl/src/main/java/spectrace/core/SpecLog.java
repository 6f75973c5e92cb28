package spectrace.core;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * A list that a trace logs by its changes: a TLA+ sequence (a replicated log) that grows by
 * appends and shrinks by truncation. Since it was last {@linkplain #mark() marked} it remembers
 * only the shortest length it was cut back to ({@link #kept()}); every element after that is
 * new. A trace event then logs {@code {"$append": [...]}} (the elements after the base's
 * length), or {@code {"$truncate": n, "$append": [...]}} when the list was cut back to
 * {@code n} first, in O(1) plus the new elements: never a diff of the whole list.
 *
 * <p>Any change in the middle ({@link #set}, {@link #add(int, Object)}, {@link #remove(int)})
 * counts as a truncation at its index followed by appends of what follows it, so it costs as
 * many elements as it moves.
 *
 * @param <E> the elements, traced as TLA+ values
 */
public final class SpecLog<E> extends AbstractList<E> implements RandomAccess, Journaled {

  private final ArrayList<E> items = new ArrayList<>();
  private boolean journaling;
  /** The size at the last mark. */
  private int base;
  /** The shortest size since the last mark: elements before it are the base's. */
  private int kept;

  /** An empty log. */
  public SpecLog() {}

  /** A log holding {@code items}, in order. */
  public SpecLog(Collection<? extends E> items) {
    this.items.addAll(items);
  }

  @Override
  public E get(int index) {
    return items.get(index);
  }

  @Override
  public int size() {
    return items.size();
  }

  /** Appends {@code e} at the end. */
  @Override
  public boolean add(E e) {
    items.add(e);
    modCount++;
    return true;
  }

  @Override
  public void add(int index, E e) {
    touch(index);
    items.add(index, e);
    modCount++;
  }

  @Override
  public E set(int index, E e) {
    E old = items.set(index, e);
    touch(index);
    return old;
  }

  @Override
  public E remove(int index) {
    E old = items.remove(index);
    touch(index);
    modCount++;
    return old;
  }

  @Override
  protected void removeRange(int from, int to) {
    if (from < to) {
      touch(from);
      items.subList(from, to).clear();
      modCount++;
    }
  }

  /** Appends {@code e} at the end (the spec's {@code Append(log, e)}). */
  public void append(E e) {
    add(e);
  }

  /** Keeps the first {@code n} elements only (the spec's {@code SubSeq(log, 1, n)}). */
  public void truncate(int n) {
    if (n < 0 || n > items.size()) {
      throw new IndexOutOfBoundsException("cannot truncate a log of " + items.size() + " to " + n);
    }
    removeRange(n, items.size());
  }

  /** The last element; the log must not be empty. */
  public E last() {
    return items.get(items.size() - 1);
  }

  private void touch(int index) {
    if (index < kept) {
      kept = index;
    }
  }

  @Override
  public void mark() {
    journaling = true;
    base = items.size();
    kept = base;
  }

  @Override
  public boolean journaling() {
    return journaling;
  }

  /** The length at the last mark. */
  public int base() {
    return base;
  }

  /** The shortest length since the last mark: the first {@code kept()} elements are the base's. */
  public int kept() {
    return journaling ? Math.min(kept, items.size()) : 0;
  }

  /** The elements after {@link #kept()}: those appended since the last mark (a view). */
  public List<E> appended() {
    return items.subList(kept(), items.size());
  }
}
