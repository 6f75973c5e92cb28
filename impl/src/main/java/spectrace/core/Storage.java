package spectrace.core;

import java.nio.charset.StandardCharsets;

/**
 * A node's durable storage: what survives a crash.
 *
 * <p>Writes are buffered until {@link #flush()}. The runtime flushes a step's writes before it
 * releases any of that step's sends, deliveries or decisions, so that no effect can depend on
 * a write that a crash may still lose; writes that no effect depends on may stay unflushed,
 * and a crash may lose them. Protocol code reads and writes; only the runtime flushes.
 *
 * <p>Beside the key-value map, each storage holds one {@link DurableLog} ({@link #log()}), whose
 * appends and truncations are buffered with the key-value writes and made durable by the same
 * flush: a flush is atomic across keys and log operations alike.
 *
 * <p>Not thread-safe: a node and its storage are driven by one thread at a time.
 */
public interface Storage {

  /** The value under {@code key}, including unflushed writes, or null. */
  byte[] get(String key);

  /** Writes {@code value} under {@code key}; durable once {@link #flush()} returns. */
  void put(String key, byte[] value);

  /**
   * The node's log: one per storage, the same object on every call. Its operations are
   * buffered and flushed with this storage's key-value writes (see {@link DurableLog}).
   */
  DurableLog log();

  /** True when key-value writes or log operations are waiting for a flush. */
  boolean dirty();

  /**
   * Makes every key-value write and log operation so far durable, all of them or (after a crash
   * during the flush) none (for a file store: written and fsynced).
   */
  void flush();

  /** The value under {@code key} as UTF-8 text, or null. */
  default String getString(String key) {
    byte[] v = get(key);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  /** Writes {@code value} as UTF-8 text under {@code key}. */
  default void putString(String key, String value) {
    put(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
