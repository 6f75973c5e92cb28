package spectrace.core;

import java.util.List;

/**
 * A node's durable log of entries, part of its {@link Storage} (see {@link Storage#log()}): the
 * replicated log of Raft, Viewstamped Replication and PBFT.
 *
 * <p>Entries are numbered from 1, as in Raft: the first entry ever appended has index 1, and
 * {@link #lastIndex()} is 0 while the log is empty. A prefix may be discarded for a snapshot
 * ({@link #compactTo(long)}); the entries from {@link #firstIndex()} to {@link #lastIndex()}
 * are the ones the log still holds.
 *
 * <p>Durability is that of the storage the log belongs to. Appends, truncations and compactions
 * are buffered like {@link Storage#put} and become durable in the storage's next
 * {@link Storage#flush()}, in the same atomic step as the key-value writes buffered with them:
 * after a crash, either every key-value write and every log operation of a flush is there or
 * none is, and operations that no flush has covered may be lost. Reads ({@link #get},
 * {@link #read}, the indexes) see every operation so far, flushed or not.
 *
 * <p>Entries are copied in and out: changing an array passed to {@link #append} or returned by
 * {@link #get} does not change the log. Not thread-safe, like its storage.
 */
public interface DurableLog {

  /**
   * Appends {@code entry} after the last entry; durable once the storage is flushed.
   *
   * @return the new entry's index: the previous {@link #lastIndex()} plus one
   */
  long append(byte[] entry);

  /**
   * Drops the entries from {@code index} to the last one (a follower's conflicting suffix); the
   * next append gets {@code index}. {@code index == lastIndex() + 1} drops nothing.
   *
   * @throws IndexOutOfBoundsException unless {@code firstIndex() <= index <= lastIndex() + 1}
   */
  void truncateFrom(long index);

  /**
   * Discards the entries up to and including {@code index}, which a snapshot now covers; then
   * {@code firstIndex() == index + 1}. When {@code index >= lastIndex()} the whole log is
   * discarded and the next append gets {@code index + 1} (a snapshot installed past the end of
   * the log). {@code index == firstIndex() - 1} discards nothing.
   *
   * @throws IndexOutOfBoundsException when {@code index < firstIndex() - 1}
   */
  void compactTo(long index);

  /**
   * The entry at {@code index}, including unflushed appends.
   *
   * @throws IndexOutOfBoundsException unless {@code firstIndex() <= index <= lastIndex()}
   */
  byte[] get(long index);

  /**
   * The entries from {@code from} to {@code toInclusive}, in order; empty when
   * {@code from == toInclusive + 1}.
   *
   * @throws IndexOutOfBoundsException when the range is not empty and not within
   *     {@code [firstIndex(), lastIndex()]}, or is empty and starts outside
   *     {@code [firstIndex(), lastIndex() + 1]}
   * @throws IllegalArgumentException when {@code from > toInclusive + 1}
   */
  List<byte[]> read(long from, long toInclusive);

  /** The index of the first entry the log holds; {@code lastIndex() + 1} when it holds none. */
  long firstIndex();

  /**
   * The index of the last entry appended (and not truncated since), or the last index a
   * snapshot covers when the log holds no entry after it; 0 for a log that never held one.
   */
  long lastIndex();
}
