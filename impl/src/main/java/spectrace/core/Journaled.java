package spectrace.core;

/**
 * A spec variable's value that records how it changed since it was last traced, so that a
 * trace can log the change (an append, a truncation, the keys set) instead of the whole value:
 * {@link SpecLog} and {@link SpecMap}. Protocol code uses them as {@link SpecVar} fields for
 * large values (a replicated log, a map keyed by (view, seq)); the trace writer reads the
 * change at each event, then {@link #mark}s the value. The record costs O(1) per change and
 * nothing at all until the value is first marked, so with tracing off it is a plain
 * collection.
 *
 * <p>See traces/README.md, "Updates in place".
 */
public sealed interface Journaled permits SpecLog, SpecMap {

  /**
   * Forgets the changes recorded so far: the value as it is now is the base of the next
   * change. The first call starts the record.
   */
  void mark();

  /** Whether changes are being recorded, that is, whether {@link #mark} was ever called. */
  boolean journaling();
}
