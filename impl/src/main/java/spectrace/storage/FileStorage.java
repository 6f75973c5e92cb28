package spectrace.storage;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import spectrace.core.DurableLog;
import spectrace.core.Storage;

/**
 * Durable storage in a folder, for the real runtime: an append-only file of flushes.
 *
 * <p>Each {@link #flush()} appends one record holding every pending key-value write and the net
 * change to the {@link #log() log}, and fsyncs the file before it returns. So a flush is atomic
 * across keys and log operations: after a crash (a SIGKILL, a power cut) either all of a flush
 * is there or none of it. This matters to the runtime, which flushes a node's state together
 * with the mark of how far its trace file is durable (see {@code spectrace.net.TcpNode}).
 *
 * <h2>Record format 2</h2>
 * A record is, big-endian: a header {@code ["SPR2": 4 bytes][length of the body: int][CRC32C
 * of the body: int][CRC32C of the header's first 12 bytes: int]}, the body, and an end marker
 * {@code ["EOR."]}. The body is {@code [writes: int]}, then each write as {@code [key length:
 * short][key, UTF-8][value length: int][value]}, then, when the flush changed the log, a log
 * section {@code [1: byte][base: long][keep: long][count: int]} and each entry as {@code
 * [length: int][entry]}: discard the entries up to {@code base}, drop those after {@code keep},
 * then append the {@code count} entries. (Format 1, before issue 13, had neither markers nor a
 * header checksum; such a file is refused with a {@link StorageFormatException}.)
 *
 * <h2>Torn tail or corruption</h2>
 * On opening, the records are replayed from the start. A crash can only tear the last record,
 * since each flush waits for the fsync of its record before the next record is written, and a
 * torn record was never acknowledged: nothing the node did can depend on it. What a crash leaves
 * of an append is a prefix of it (the file was not extended as far), or sectors that read as
 * zeros (the file's new size reached the disk before its data). So the end of the file from
 * offset {@code x} is a torn tail, and is cut, only when
 *
 * <ul>
 *   <li>fewer bytes than a header are left after {@code x}; or
 *   <li>a valid header (its marker and checksum right) starts at {@code x}, and its record runs
 *       past the end of the file; or
 *   <li>the record at {@code x} fails its checks and the file reads as zeros from {@code x}, or
 *       from a 512-byte sector boundary inside the record before its end marker (inside its
 *       header, when the header is what fails), to its end.
 * </ul>
 *
 * Anything else that fails a check is corruption: a header with a wrong marker or checksum or an
 * implausible length, a body that fails its checksum, a wrong end marker, a record that passes
 * its checksums and does not parse. Opening then throws {@link StorageCorruptException} with the
 * record's offset and what replaying would have lost (the records found after it, their bytes,
 * the keys they write), and leaves the file alone. A damaged length is caught by the header's
 * checksum, so it can neither pass for a tail nor truncate what follows. No single damaged
 * byte can pass for a torn tail: the header's marker and the end marker are non-zero bytes, so
 * one byte cannot turn a record into zeros to the end of the file; and CRC32C detects every
 * error within 32 consecutive bits.
 *
 * <h2>Compaction</h2>
 * When the file has grown to four times the size of the live state (the values of the keys,
 * and the log's entries from its first index to its last) and past a threshold (1 MiB), the
 * next flush writes the live state as one record to a new file, fsyncs it, renames it over the
 * old one and fsyncs the folder. A crash before the rename leaves the old file, which holds the
 * same state (the leftover new file is deleted on opening); after it, the new one. So the
 * file's size follows the live state, not the number of flushes or how often the log's suffix
 * was rewritten.
 *
 * <p>Keys are restricted to {@code [A-Za-z0-9._-]+}. Not thread-safe, like every {@link Storage}.
 */
public final class FileStorage implements Storage {

  /** The file's name in the folder. */
  public static final String LOG = "storage.log";
  private static final String TMP = LOG + ".tmp";
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+");
  /** The marker a record starts with: "SPR2", format 2. */
  private static final int MAGIC = 0x53505232;
  /** The marker a record ends with: "EOR.". */
  private static final int END = 0x454f522e;
  /** Offset of the body's length in a record's header. */
  static final int LENGTH_AT = 4;
  private static final int HEADER = 16;
  private static final int TRAILER = 4;
  /** The sector size a crash tears a write at. */
  private static final int SECTOR = 512;
  /** The largest body a record may have: a length above it is damage, not a flush. */
  private static final int MAX_BODY = Integer.MAX_VALUE - HEADER - TRAILER - 8;
  /** The smallest body: the count of its key-value writes. */
  private static final int MIN_BODY = 4;
  /** Bytes a key-value write takes besides its key and value: their lengths. */
  private static final int WRITE_OVERHEAD = 2 + 4;
  private static final long COMPACT_AT = 1 << 20;

  private final Path dir;
  private final Path file;
  private final long compactAt;
  private final boolean sync;
  private final Map<String, byte[]> durable = new TreeMap<>();
  private final Map<String, byte[]> pending = new LinkedHashMap<>();
  private final BufferedLog entries = new BufferedLog();
  private FileChannel out;
  private long liveBytes;

  /**
   * Storage in {@code dir}, which is created if missing; reads the file there, if any, and cuts
   * a torn tail off it.
   *
   * @throws StorageCorruptException when the file holds a corrupt record
   * @throws IOException when the folder cannot be created, read or written
   */
  public FileStorage(Path dir) throws IOException {
    this(dir, COMPACT_AT, true);
  }

  /**
   * Storage that compacts once the file passes {@code compactAt} bytes (and four times the live
   * state), and fsyncs (flushes and compactions) only when {@code sync}: for tests, which cut
   * files to simulate crashes and need no fsync for that.
   */
  FileStorage(Path dir, long compactAt, boolean sync) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.file = dir.resolve(LOG);
    this.compactAt = compactAt;
    this.sync = sync;
    if (!Files.isWritable(dir) || !Files.isReadable(dir)) {
      throw new IOException(dir + ": not readable and writable");
    }
    Files.deleteIfExists(dir.resolve(TMP)); // a compaction that crashed before its rename
    out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long end = replay();
      if (end < out.size()) {
        out.truncate(end);
        if (sync) {
          out.force(true);
        }
      }
      out.position(end);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /** Replays every whole record; returns the offset after the last one, where a torn tail starts. */
  private long replay() throws IOException {
    long size = out.size();
    long at = 0;
    while (size - at >= HEADER) {
      Checked c = check(at, size);
      if (c.torn) {
        return at; // torn: the crash came while this record was being written
      }
      if (c.why != null) {
        if (at == 0 && formatOne(size)) {
          throw new StorageFormatException(file, "written in storage format 1 (before issue 13), which this version"
              + " does not read; run the version that wrote it, or start from an empty folder");
        }
        throw corrupt(at, c.why, size);
      }
      try {
        apply(c.body);
      } catch (BufferUnderflowException | IllegalStateException | NegativeArraySizeException e) {
        throw corrupt(at, "it passes its checksums but does not parse (" + e + ")", size);
      }
      at = c.end;
    }
    return at;
  }

  /** What {@link #check} found at an offset: a whole record, a torn tail, or why it is corrupt. */
  private record Checked(ByteBuffer body, long end, boolean torn, String why) {}

  /** Checks the record at {@code at} of a file of {@code size} bytes, with a header's bytes left. */
  private Checked check(long at, long size) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    readFully(head, at);
    int magic = head.getInt(0);
    int length = head.getInt(LENGTH_AT);
    int bodyCrc = head.getInt(8);
    if (magic != MAGIC || crc(head.array(), 0, 12) != head.getInt(12)) {
      if (zeroSectorsToTheEnd(at, at + HEADER - 1 + TRAILER, size)) {
        // The file was extended before the data reached it: zeros from the header's first byte,
        // or from a sector boundary inside the header, to the end.
        return new Checked(null, 0, true, null);
      }
      return new Checked(null, 0, false, magic != MAGIC ? "no record marker where its header should start"
          : "its header fails its checksum");
    }
    if (length < MIN_BODY || length > MAX_BODY) {
      return new Checked(null, 0, false, "its header passes its checksum and gives a length of " + length);
    }
    long end = at + HEADER + length + TRAILER;
    if (end > size) {
      return new Checked(null, 0, true, null); // the file ends inside the record
    }
    ByteBuffer rest = ByteBuffer.allocate(length + TRAILER);
    readFully(rest, at + HEADER);
    boolean bodyOk = crc(rest.array(), 0, length) == bodyCrc;
    boolean endOk = rest.getInt(length) == END;
    if (bodyOk && endOk) {
      return new Checked(ByteBuffer.wrap(rest.array(), 0, length), end, false, null);
    }
    if (zeroSectorsToTheEnd(at, end, size)) {
      return new Checked(null, 0, true, null); // sectors of the record never reached the disk
    }
    return new Checked(null, 0, false, !bodyOk ? "its body fails its checksum" : "its end marker is damaged");
  }

  /**
   * True when the file reads as zeros from {@code at}, or from a sector boundary inside the
   * record {@code [at, end)} no later than its end marker, to its end: sectors a crash did not
   * write.
   */
  private boolean zeroSectorsToTheEnd(long at, long end, long size) throws IOException {
    long z = size;
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
    scan:
    while (z > at) {
      long from = Math.max(at, z - chunk.capacity());
      chunk.clear();
      chunk.limit((int) (z - from));
      readFully(chunk, from);
      for (int i = chunk.limit() - 1; i >= 0; i--) {
        if (chunk.get(i) != 0) {
          z = from + i + 1;
          break scan;
        }
      }
      z = from;
    }
    if (z <= at) {
      return true;
    }
    long boundary = (z + SECTOR - 1) / SECTOR * SECTOR;
    return boundary <= end - TRAILER;
  }

  /** True when the file starts with a whole record of format 1: {@code [length][CRC32C][body]}. */
  private boolean formatOne(long size) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(8);
    readFully(head, 0);
    int length = head.getInt(0);
    if (length < MIN_BODY || length > size - 8) {
      return false;
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    readFully(body, 8);
    return crc(body.array(), 0, length) == head.getInt(4);
  }

  /**
   * The exception for a corrupt record at {@code at}, with what replaying would lose: the
   * records from there to the end of the file, found by their markers.
   */
  private StorageCorruptException corrupt(long at, String why, long size) throws IOException {
    List<String> writes = new ArrayList<>();
    // The damaged record's own writes, read without their checksum: the best guess of what it held.
    int damaged = lenientWrites(at, size, writes);
    int records = 1;
    int later = 0;
    long scanned = Math.min(size - at, 64L << 20);
    ByteBuffer tail = ByteBuffer.allocate((int) scanned);
    readFully(tail, at);
    for (int i = 1; i + HEADER <= scanned; i++) {
      if (tail.getInt(i) == MAGIC) {
        Checked c = check(at + i, size);
        if (c.body != null) {
          records++;
          writes.addAll(keys(c.body));
          later++;
          i = (int) Math.min(Integer.MAX_VALUE - 1, c.end - at - 1);
        }
      }
    }
    StringBuilder lost = new StringBuilder();
    lost.append(records).append(records == 1 ? " record, " : " records, ").append(size - at)
        .append(" bytes from byte ").append(at).append(" to the end of the file would be lost");
    if (scanned < size - at) {
      lost.append(" (records searched for in the first ").append(scanned).append(" bytes only)");
    }
    lost.append(": the damaged one");
    if (damaged > 0) {
      lost.append(" (which reads, unchecked, as writing ").append(String.join(", ", writes.subList(0, damaged)))
          .append(')');
    }
    if (later > 0) {
      lost.append(" and ").append(later).append(" after it, writing ")
          .append(String.join(", ", new java.util.LinkedHashSet<>(writes.subList(damaged, writes.size()))));
    }
    return new StorageCorruptException(file, at, why, records, size - at, lost.toString());
  }

  /**
   * Reads the key-value writes of the record at {@code at} as far as they parse, without trusting
   * its header or checksum, into {@code into} as {@code key=value} (or the key alone); returns
   * how many it read.
   */
  private int lenientWrites(long at, long size, List<String> into) throws IOException {
    int n = (int) Math.min(size - at - HEADER, 1 << 16);
    if (n < MIN_BODY) {
      return 0;
    }
    ByteBuffer body = ByteBuffer.allocate(n);
    readFully(body, at + HEADER);
    body.flip();
    int before = into.size();
    try {
      int writes = body.getInt();
      for (int i = 0; i < writes && i < 16; i++) {
        byte[] key = new byte[body.getShort() & 0xffff];
        body.get(key);
        String k = new String(key, StandardCharsets.UTF_8);
        if (!KEY.matcher(k).matches()) {
          break;
        }
        int length = body.getInt();
        if (length < 0 || length > body.remaining()) {
          into.add(k);
          break;
        }
        byte[] value = new byte[length];
        body.get(value);
        into.add(k + "=" + printable(value));
      }
    } catch (BufferUnderflowException e) {
      // as far as it went
    }
    return into.size() - before;
  }

  /** The keys a checked body writes, and "the log" when it changes the log. */
  private static List<String> keys(ByteBuffer body) {
    List<String> keys = new ArrayList<>();
    ByteBuffer b = body.duplicate();
    int writes = b.getInt();
    for (int i = 0; i < writes; i++) {
      byte[] key = new byte[b.getShort() & 0xffff];
      b.get(key);
      keys.add(new String(key, StandardCharsets.UTF_8));
      int length = b.getInt();
      b.position(b.position() + length);
    }
    if (b.hasRemaining()) {
      keys.add("the log");
    }
    return keys;
  }

  /** A short printable value as text in quotes, any other as its size. */
  private static String printable(byte[] value) {
    if (value.length <= 40) {
      String s = new String(value, StandardCharsets.US_ASCII);
      if (s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        return "\"" + s + "\"";
      }
    }
    return "(" + value.length + " bytes)";
  }

  private static int crc(byte[] bytes, int from, int length) {
    CRC32C sum = new CRC32C();
    sum.update(bytes, from, length);
    return (int) sum.getValue();
  }

  /** Applies one record's body to the durable state. */
  private void apply(ByteBuffer body) {
    int writes = body.getInt();
    for (int i = 0; i < writes; i++) {
      byte[] key = new byte[body.getShort() & 0xffff];
      body.get(key);
      byte[] value = new byte[body.getInt()];
      body.get(value);
      putDurable(new String(key, StandardCharsets.UTF_8), value);
    }
    if (body.hasRemaining()) {
      byte tag = body.get();
      if (tag != BufferedLog.SECTION) {
        throw new IllegalStateException("a section tagged " + tag + " after the key-value writes");
      }
      entries.applySection(body);
    }
    if (body.hasRemaining()) {
      throw new IllegalStateException(body.remaining() + " bytes after the log section");
    }
  }

  private void readFully(ByteBuffer into, long at) throws IOException {
    while (into.hasRemaining()) {
      if (out.read(into, at + into.position()) < 0) {
        throw new IOException(file + ": ends before byte " + (at + into.limit()) + " while being read");
      }
    }
  }

  private void putDurable(String key, byte[] value) {
    byte[] old = durable.put(key, value);
    liveBytes += value.length - (old == null ? -WRITE_OVERHEAD - key.length() : old.length);
  }

  @Override
  public byte[] get(String key) {
    check(key);
    byte[] v = pending.get(key);
    if (v == null) {
      v = durable.get(key);
    }
    return v == null ? null : v.clone();
  }

  @Override
  public void put(String key, byte[] value) {
    check(key);
    pending.put(key, value.clone());
  }

  @Override
  public DurableLog log() {
    return entries;
  }

  @Override
  public boolean dirty() {
    return !pending.isEmpty() || entries.pendingOps() > 0;
  }

  @Override
  public void flush() {
    if (!dirty()) {
      return;
    }
    try {
      out.write(ByteBuffer.wrap(record(pending, entries.pendingOps() > 0 ? entries::writePending : null)));
      if (sync) {
        out.force(false);
      }
      for (Map.Entry<String, byte[]> e : pending.entrySet()) {
        putDurable(e.getKey(), e.getValue());
      }
      pending.clear();
      entries.commit();
      if (out.size() > compactAt && out.size() > 4 * liveSize()) {
        compact();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot write durable state", e);
    }
  }

  /** Closes the file; for tests, which open one folder again and again. */
  void close() throws IOException {
    out.close();
  }

  /** The size of the file {@link #compact()} would write. */
  private long liveSize() {
    return HEADER + MIN_BODY + TRAILER + liveBytes + entries.liveBytes();
  }

  /**
   * Rewrites the file as one record of the live state, replacing the old file atomically.
   * Package-private so that tests can stage a crash around it.
   */
  void compact() throws IOException {
    Path tmp = dir.resolve(TMP);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(record(durable, entries.durableEmpty() ? null : entries::writeDurable)));
      if (sync) {
        ch.force(true);
      }
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException ex) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    if (sync) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException ignored) {
        // Some file systems cannot fsync a directory; the rename is then as durable as it gets.
      }
    }
    out.close();
    out = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    out.position(out.size());
  }

  /** Writes a log section into a record's body. */
  private interface Section {
    void writeTo(DataOutputStream body) throws IOException;
  }

  private static byte[] record(Map<String, byte[]> writes, Section log) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream body = new DataOutputStream(bytes);
    body.writeInt(writes.size());
    for (Map.Entry<String, byte[]> e : writes.entrySet()) {
      byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
      body.writeShort(key.length);
      body.write(key);
      body.writeInt(e.getValue().length);
      body.write(e.getValue());
    }
    if (log != null) {
      log.writeTo(body);
    }
    byte[] b = bytes.toByteArray();
    ByteBuffer r = ByteBuffer.allocate(HEADER + b.length + TRAILER);
    r.putInt(MAGIC).putInt(b.length).putInt(crc(b, 0, b.length));
    r.putInt(crc(r.array(), 0, 12)).put(b).putInt(END);
    return r.array();
  }

  private static void check(String key) {
    if (!KEY.matcher(key).matches() || key.length() > 255) {
      throw new IllegalArgumentException("storage key must match [A-Za-z0-9._-]+ (at most 255 characters): " + key);
    }
  }
}
