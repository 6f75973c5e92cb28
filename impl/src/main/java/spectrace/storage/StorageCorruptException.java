package spectrace.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A storage file holds a record that no crash can have left: damage that is not a torn tail
 * (see {@link FileStorage}). The file is left as it is, for someone to look at; opening it again
 * fails the same way. Starting as if the record had never been written would lose a flush the
 * node may have acted on (a commit decision it sent), so a node refuses to start.
 */
public final class StorageCorruptException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;
  private final int records;
  private final long bytes;

  /**
   * @param why     what is wrong with the record
   * @param records the records that would be lost: the damaged one and those found after it
   * @param bytes   the bytes from the damaged record to the end of the file
   * @param lost    what would be lost, in words
   */
  StorageCorruptException(Path file, long offset, String why, int records, long bytes, String lost) {
    super(file + ": corrupt record at byte " + offset + ": " + why + "; " + lost);
    this.file = file;
    this.offset = offset;
    this.records = records;
    this.bytes = bytes;
  }

  /** The corrupt file. */
  public Path file() {
    return file;
  }

  /** The byte offset in {@link #file()} where the corrupt record starts. */
  public long offset() {
    return offset;
  }

  /** The records that would be lost by cutting the file at {@link #offset()}, the damaged one included. */
  public int records() {
    return records;
  }

  /** The bytes from {@link #offset()} to the end of the file. */
  public long bytes() {
    return bytes;
  }
}
