package spectrace.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The spec folders under {@code specs/}: every folder that holds a {@link Manifest}.
 *
 * @param root the {@code specs/} folder
 */
public record Specs(Path root) {

  /**
   * The specs folder of this checkout: the system property {@code spectrace.specs}, set by the
   * launcher and by the build, or {@code ./specs}.
   */
  public static Specs locate() {
    String prop = System.getProperty("spectrace.specs");
    return new Specs(Path.of(prop != null ? prop : "specs").toAbsolutePath().normalize());
  }

  /** Every spec folder with a manifest, in name order. */
  public List<Path> folders() throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("no specs folder at " + root);
    }
    List<Path> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root, 3)) {
      walk.filter(p -> Files.isRegularFile(p.resolve(Manifest.FILE))).sorted().forEach(out::add);
    }
    return out;
  }

  /** The folder of spec {@code name} (a folder name under {@code specs/}, or a path). */
  public Path folder(String name) throws IOException {
    Path asPath = Path.of(name);
    if (Files.isRegularFile(asPath.resolve(Manifest.FILE))) {
      return asPath.toAbsolutePath().normalize();
    }
    for (Path p : folders()) {
      if (p.getFileName().toString().equals(name) || root.relativize(p).toString().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** The names {@code check} accepts, for a list or an error message. */
  public List<String> names() throws IOException {
    return folders().stream().map(p -> root.relativize(p).toString()).toList();
  }
}
