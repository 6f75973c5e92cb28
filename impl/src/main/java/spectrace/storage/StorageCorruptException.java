package spectrace.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A storage file holds a record that no crash can have left: one that fails its checksum with
 * more data after it, or one that passes its checksum and still does not parse. The file is
 * left as it is, for someone to look at; opening it again fails the same way.
 */
public final class StorageCorruptException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  StorageCorruptException(Path file, long offset, String why) {
    super(file + ": corrupt record at byte " + offset + ": " + why);
    this.file = file;
    this.offset = offset;
  }

  /** The corrupt file. */
  public Path file() {
    return file;
  }

  /** The byte offset in {@link #file()} where the corrupt record starts. */
  public long offset() {
    return offset;
  }
}
