package spectrace.storage;

import java.io.IOException;
import java.nio.file.Path;

/** A storage file in a record format this version does not read; the file is left as it is. */
public final class StorageFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  StorageFormatException(Path file, String why) {
    super(file + ": " + why);
  }
}
