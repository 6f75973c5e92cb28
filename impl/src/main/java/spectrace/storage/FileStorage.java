package spectrace.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import spectrace.core.Storage;

/**
 * Durable storage in a folder, one file per key, for the real runtime.
 *
 * <p>{@link #flush()} writes each pending value to a temporary file, fsyncs it, renames it
 * over the key's file atomically, and fsyncs the folder, so that after a crash each key holds
 * either its old value or its new one, never a torn write. Keys are restricted to
 * {@code [A-Za-z0-9._-]+} so that they are safe file names.
 */
public final class FileStorage implements Storage {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+");
  private static final String TMP = ".tmp";

  private final Path dir;
  private final Map<String, byte[]> pending = new LinkedHashMap<>();

  /** Storage in {@code dir}, which is created if missing. */
  public FileStorage(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    if (!Files.isWritable(dir) || !Files.isReadable(dir)) {
      throw new IOException(dir + ": not readable and writable");
    }
  }

  @Override
  public byte[] get(String key) {
    check(key);
    byte[] v = pending.get(key);
    if (v != null) {
      return v.clone();
    }
    try {
      return Files.readAllBytes(dir.resolve(key));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(dir.resolve(key) + ": cannot read", e);
    }
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
      for (Map.Entry<String, byte[]> e : pending.entrySet()) {
        Path tmp = dir.resolve(e.getKey() + TMP);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
          ByteBuffer buf = ByteBuffer.wrap(e.getValue());
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.force(true);
        }
        try {
          Files.move(tmp, dir.resolve(e.getKey()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException ex) {
          Files.move(tmp, dir.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException ignored) {
        // Some file systems cannot fsync a directory; the renames are then as durable as they get.
      }
      pending.clear();
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot write durable state", e);
    }
  }

  private static void check(String key) {
    if (!KEY.matcher(key).matches() || key.endsWith(TMP)) {
      throw new IllegalArgumentException("storage key must match [A-Za-z0-9._-]+ and not end in .tmp: " + key);
    }
  }
}
