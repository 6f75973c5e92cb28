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
import java.util.LinkedHashMap;
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
 * <p>A record is {@code [length: int][CRC32C of the body: int][body]}, big-endian, and its body
 * is {@code [writes: int]}, then each write as {@code [key length: short][key, UTF-8][value
 * length: int][value]}, then, when the flush changed the log, a log section {@code [1: byte]
 * [base: long][keep: long][count: int]} and each entry as {@code [length: int][entry]}: discard
 * the entries up to {@code base}, drop those after {@code keep}, then append the {@code count}
 * entries. Records written before the log existed have no log section, and read the same.
 *
 * <p>On opening, the records are replayed from the start. A crash can only tear the last record,
 * since each flush waits for the fsync of its record before the next record is written, so:
 *
 * <ul>
 *   <li>a torn tail is cut: fewer bytes left than a header; a length that runs past the end of
 *       the file; or a record that fails its checksum (or is too short to hold a body) when it
 *       ends exactly at the end of the file, or when nothing but zero bytes follows it from its
 *       first byte to the end (a file the crash extended before its data reached the disk);
 *   <li>any other record that fails its checksum is corruption, not a crash: opening throws
 *       {@link StorageCorruptException} with the record's offset and leaves the file alone, as
 *       it does for a record that passes its checksum and does not parse.
 * </ul>
 *
 * <p>One corruption passes for a torn tail: a length field damaged to run past the end of the
 * file, in a record that is not the last, cuts the log there.
 *
 * <p>Compaction: when the file has grown to four times the size of the live state (the values
 * of the keys, and the log's entries from its first index to its last) and past a threshold
 * (1 MiB), the next flush writes the live state as one record to a new file, fsyncs it, renames
 * it over the old one and fsyncs the folder. A crash before the rename leaves the old file,
 * which holds the same state (the leftover new file is deleted on opening); after it, the new
 * one. So the file's size follows the live state, not the number of flushes or how often the
 * log's suffix was rewritten.
 *
 * <p>Keys are restricted to {@code [A-Za-z0-9._-]+}. Not thread-safe, like every {@link Storage}.
 */
public final class FileStorage implements Storage {

  /** The file's name in the folder. */
  public static final String LOG = "storage.log";
  private static final String TMP = LOG + ".tmp";
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+");
  private static final int HEADER = 8;
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
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    while (size - at >= HEADER) {
      head.clear();
      readFully(head, at);
      head.flip();
      int length = head.getInt();
      int crc = head.getInt();
      if (length < 0 || length > size - at - HEADER) {
        return at; // torn: the crash came while this record was being written
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      readFully(body, at + HEADER);
      CRC32C sum = new CRC32C();
      sum.update(body.array());
      long end = at + HEADER + length;
      if (length < MIN_BODY || (int) sum.getValue() != crc) {
        if (end == size || zerosFrom(at, size)) {
          return at; // torn: the last record, written in part
        }
        throw new StorageCorruptException(file, at, (length < MIN_BODY ? "a length of " + length
            : "its checksum fails") + ", and " + (size - end) + " bytes of other records follow it");
      }
      body.flip();
      try {
        apply(body);
      } catch (BufferUnderflowException | IllegalStateException | NegativeArraySizeException e) {
        throw new StorageCorruptException(file, at, "it passes its checksum but does not parse (" + e + ")");
      }
      at = end;
    }
    return at;
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

  private boolean zerosFrom(long from, long size) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
    for (long at = from; at < size; at += chunk.limit()) {
      chunk.clear();
      chunk.limit((int) Math.min(chunk.capacity(), size - at));
      readFully(chunk, at);
      for (int i = 0; i < chunk.limit(); i++) {
        if (chunk.get(i) != 0) {
          return false;
        }
      }
    }
    return true;
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
    return HEADER + MIN_BODY + liveBytes + entries.liveBytes();
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
    CRC32C sum = new CRC32C();
    sum.update(b);
    return ByteBuffer.allocate(HEADER + b.length).putInt(b.length).putInt((int) sum.getValue()).put(b).array();
  }

  private static void check(String key) {
    if (!KEY.matcher(key).matches() || key.length() > 255) {
      throw new IllegalArgumentException("storage key must match [A-Za-z0-9._-]+ (at most 255 characters): " + key);
    }
  }
}
