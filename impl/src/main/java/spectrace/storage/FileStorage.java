package spectrace.storage;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import spectrace.core.Storage;

/**
 * Durable storage in a folder, for the real runtime: an append-only log of flushes.
 *
 * <p>Each {@link #flush()} appends one record holding every pending write, and fsyncs the log
 * before it returns. A record is {@code [length][CRC32C][writes]}; on opening, the log is read
 * up to the first record that is torn or fails its checksum, and cut there. So a flush is
 * atomic across keys: after a crash (a SIGKILL, a power cut) either every write of a flush is
 * there or none is. This matters to the runtime, which flushes a node's state together with
 * the mark of how far its trace file is durable (see {@code spectrace.net.TcpNode}).
 *
 * <p>When the log has grown to four times the size of the live values (and past 1 MiB), the
 * next flush writes the live values to a new log, fsyncs it, and renames it over the old one.
 *
 * <p>Keys are restricted to {@code [A-Za-z0-9._-]+}. Not thread-safe, like every {@link Storage}.
 */
public final class FileStorage implements Storage {

  /** The log's file name in the folder. */
  public static final String LOG = "storage.log";
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+");
  private static final int HEADER = 8;
  private static final long COMPACT_AT = 1 << 20;

  private final Path dir;
  private final Map<String, byte[]> durable = new TreeMap<>();
  private final Map<String, byte[]> pending = new LinkedHashMap<>();
  private FileChannel log;
  private long liveBytes;

  /**
   * Storage in {@code dir}, which is created if missing; reads the log there, if any.
   *
   * @throws IOException when the folder cannot be created, read or written
   */
  public FileStorage(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    if (!Files.isWritable(dir) || !Files.isReadable(dir)) {
      throw new IOException(dir + ": not readable and writable");
    }
    log = FileChannel.open(dir.resolve(LOG), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    long end = replay();
    if (end < log.size()) {
      log.truncate(end);
      log.force(true);
    }
    log.position(end);
  }

  /** Reads every whole record into {@link #durable}; returns the offset after the last one. */
  private long replay() throws IOException {
    long size = log.size();
    long at = 0;
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    while (at + HEADER <= size) {
      head.clear();
      log.read(head, at);
      head.flip();
      int length = head.getInt();
      int crc = head.getInt();
      if (length < 0 || at + HEADER + length > size) {
        break; // torn: the crash came while this record was being written
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      while (body.hasRemaining() && log.read(body, at + HEADER + body.position()) > 0) {
        // read it all
      }
      CRC32C sum = new CRC32C();
      sum.update(body.array());
      if ((int) sum.getValue() != crc) {
        break;
      }
      body.flip();
      int writes = body.getInt();
      for (int i = 0; i < writes; i++) {
        byte[] key = new byte[body.getShort() & 0xffff];
        body.get(key);
        byte[] value = new byte[body.getInt()];
        body.get(value);
        put(durable, new String(key, StandardCharsets.UTF_8), value);
      }
      at += HEADER + length;
    }
    return at;
  }

  private void put(Map<String, byte[]> into, String key, byte[] value) {
    byte[] old = into.put(key, value);
    if (into == durable) {
      liveBytes += key.length() + value.length - (old == null ? 0 : key.length() + old.length);
    }
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
  public boolean dirty() {
    return !pending.isEmpty();
  }

  @Override
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    try {
      log.write(ByteBuffer.wrap(record(pending)));
      log.force(false);
      for (Map.Entry<String, byte[]> e : pending.entrySet()) {
        put(durable, e.getKey(), e.getValue());
      }
      pending.clear();
      if (log.size() > COMPACT_AT && log.size() > 4 * liveBytes) {
        compact();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot write durable state", e);
    }
  }

  /** Rewrites the log as one record of the live values, replacing the old log atomically. */
  private void compact() throws IOException {
    Path tmp = dir.resolve(LOG + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(record(durable)));
      ch.force(true);
    }
    try {
      Files.move(tmp, dir.resolve(LOG), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException ex) {
      Files.move(tmp, dir.resolve(LOG), StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // Some file systems cannot fsync a directory; the rename is then as durable as it gets.
    }
    log.close();
    log = FileChannel.open(dir.resolve(LOG), StandardOpenOption.READ, StandardOpenOption.WRITE);
    log.position(log.size());
  }

  private static byte[] record(Map<String, byte[]> writes) throws IOException {
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
