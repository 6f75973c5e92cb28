package spectrace.storage;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import spectrace.core.DurableLog;

/**
 * The log both storages share: its durable entries, and the operations since the last flush.
 *
 * <p>Whatever appends, truncations and compactions come between two flushes, their net effect
 * on the durable log is one change of the form "discard up to {@code base}, drop what comes
 * after {@code keep}, append {@code tail}", with {@code durableBase <= base <= keep}, and the
 * entries in {@code (base, keep]} durable ones. That triple is what the view reads through,
 * what a flush writes (so a record is as big as the net change, however much the suffix was
 * rewritten in between), and what {@link #commit()} applies.
 */
final class BufferedLog implements DurableLog {

  /** Tags the log section of a flush record, after its key-value writes. */
  static final byte SECTION = 1;
  /** Bytes a log section takes besides its entries: tag, base, keep, count. */
  static final int SECTION_OVERHEAD = 1 + 8 + 8 + 4;
  /** Bytes an entry takes besides its own: its length. */
  static final int ENTRY_OVERHEAD = 4;

  // Durable entries: indexes durableBase + 1 .. durableBase + durable.size().
  private final ArrayList<byte[]> durable = new ArrayList<>();
  private long durableBase;
  private long durableBytes;
  // The view: entries (base, keep] are durable ones, then come the tail's.
  private long base;
  private long keep;
  private final ArrayList<byte[]> tail = new ArrayList<>();
  private int pendingOps;

  @Override
  public long append(byte[] entry) {
    tail.add(entry.clone());
    pendingOps++;
    return lastIndex();
  }

  @Override
  public void truncateFrom(long index) {
    if (index < firstIndex() || index > lastIndex() + 1) {
      throw new IndexOutOfBoundsException("cannot truncate the log from index " + index + ": it holds "
          + bounds() + ", so the index must be in [" + firstIndex() + ", " + (lastIndex() + 1) + "]");
    }
    if (index == lastIndex() + 1) {
      return;
    }
    if (index > keep) {
      tail.subList((int) (index - 1 - keep), tail.size()).clear();
    } else {
      keep = index - 1;
      tail.clear();
    }
    pendingOps++;
  }

  @Override
  public void compactTo(long index) {
    if (index < base) {
      throw new IndexOutOfBoundsException("cannot compact the log to index " + index + ": it holds "
          + bounds() + ", and entries up to " + base + " are discarded already");
    }
    if (index == base) {
      return;
    }
    if (index <= keep) {
      base = index;
    } else {
      tail.subList(0, (int) Math.min(index - keep, tail.size())).clear();
      base = index;
      keep = index;
    }
    pendingOps++;
  }

  @Override
  public byte[] get(long index) {
    if (index < firstIndex() || index > lastIndex()) {
      throw new IndexOutOfBoundsException("log index " + index + " is outside " + bounds());
    }
    return entry(index).clone();
  }

  @Override
  public List<byte[]> read(long from, long toInclusive) {
    if (from > toInclusive + 1) {
      throw new IllegalArgumentException("log range [" + from + ", " + toInclusive + "] is reversed");
    }
    if (from < firstIndex() || toInclusive > lastIndex()) {
      throw new IndexOutOfBoundsException("log range [" + from + ", " + toInclusive + "] is not within " + bounds());
    }
    List<byte[]> out = new ArrayList<>((int) (toInclusive - from + 1));
    for (long i = from; i <= toInclusive; i++) {
      out.add(entry(i).clone());
    }
    return out;
  }

  @Override
  public long firstIndex() {
    return base + 1;
  }

  @Override
  public long lastIndex() {
    return keep + tail.size();
  }

  private byte[] entry(long index) {
    return index <= keep ? durable.get((int) (index - durableBase - 1)) : tail.get((int) (index - keep - 1));
  }

  private String bounds() {
    return lastIndex() < firstIndex() ? "no entry (first index " + firstIndex() + ", last " + lastIndex() + ")"
        : "[" + firstIndex() + ", " + lastIndex() + "]";
  }

  /** How many appends, truncations and compactions that changed the log came since the last flush. */
  int pendingOps() {
    return pendingOps;
  }

  /** Bytes the durable log takes in a compacted record: its section and entries. */
  long liveBytes() {
    return SECTION_OVERHEAD + durableBytes;
  }

  /** Writes the pending change as a log section of a flush record. */
  void writePending(DataOutputStream out) throws IOException {
    writeSection(out, base, keep, tail);
  }

  /** Writes the durable log as a log section that rebuilds it from an empty log. */
  void writeDurable(DataOutputStream out) throws IOException {
    writeSection(out, durableBase, durableBase, durable);
  }

  /** True when the durable log is that of a new storage, so a compacted record can leave it out. */
  boolean durableEmpty() {
    return durableBase == 0 && durable.isEmpty();
  }

  private static void writeSection(DataOutputStream out, long base, long keep, List<byte[]> entries)
      throws IOException {
    out.writeByte(SECTION);
    out.writeLong(base);
    out.writeLong(keep);
    out.writeInt(entries.size());
    for (byte[] e : entries) {
      out.writeInt(e.length);
      out.write(e);
    }
  }

  /**
   * Reads a log section written by {@link #writePending} (its tag already read) and applies it
   * to the durable log, which must have no pending operation.
   *
   * @throws IllegalStateException when the section cannot follow the durable log (it names
   *     entries the log never held, or undiscards some)
   * @throws java.nio.BufferUnderflowException when the section is cut short
   */
  void applySection(ByteBuffer in) {
    long b = in.getLong();
    long k = in.getLong();
    int count = in.getInt();
    if (b < durableBase || k < b || k > Math.max(b, durableBase + durable.size()) || count < 0) {
      throw new IllegalStateException("log section (base " + b + ", keep " + k + ", " + count
          + " entries) cannot follow a log of entries (" + durableBase + ", " + (durableBase + durable.size()) + "]");
    }
    base = b;
    keep = k;
    for (int i = 0; i < count; i++) {
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalStateException("log entry of length " + length + " with " + in.remaining() + " bytes left");
      }
      byte[] e = new byte[length];
      in.get(e);
      tail.add(e);
    }
    commit();
  }

  /** The pending operations were flushed: applies them to the durable log. */
  void commit() {
    long durableLast = durableBase + durable.size();
    if (keep < durableLast) {
      List<byte[]> dropped = durable.subList((int) (keep - durableBase), durable.size());
      durableBytes -= bytes(dropped);
      dropped.clear();
    }
    if (base > durableBase) {
      List<byte[]> dropped = durable.subList(0, (int) Math.min(base - durableBase, durable.size()));
      durableBytes -= bytes(dropped);
      dropped.clear();
      durableBase = base;
    }
    durable.addAll(tail);
    durableBytes += bytes(tail);
    tail.clear();
    keep = durableBase + durable.size();
    pendingOps = 0;
  }

  /** The node crashed before a flush: forgets the pending operations. */
  void rollback() {
    base = durableBase;
    keep = durableBase + durable.size();
    tail.clear();
    pendingOps = 0;
  }

  private static long bytes(List<byte[]> entries) {
    long n = 0;
    for (byte[] e : entries) {
      n += ENTRY_OVERHEAD + e.length;
    }
    return n;
  }
}
