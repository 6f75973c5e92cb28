package spectrace.report;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Where a report is written before it is complete. */
final class Outputs {

  private Outputs() {}

  /**
   * A new file in {@code dir} beside {@code out}, readable by all as an ordinary file would be
   * (a temporary file is created private), to be moved over {@code out} once written.
   */
  static Path temporary(Path dir, Path out) throws IOException {
    Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    }
    return tmp;
  }
}
