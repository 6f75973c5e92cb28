package spectrace.conformance;

import java.nio.file.Path;

/** What the adapter inside a spec's class loader may use of this package's helpers. */
public final class SpecLoaderAccess {
  private SpecLoaderAccess() {}

  /** Deletes a temporary folder, quietly. */
  public static void delete(Path dir) {
    spectrace.tlc.TempFolders.delete(dir);
  }
}
