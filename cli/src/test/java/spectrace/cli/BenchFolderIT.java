package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench folder}: its table's rows, on a folder small enough for a test, kept with --dir. */
class BenchFolderIT {

  @TempDir Path tmp;

  @Test
  void theTableHasARowPerWayOfValidatingAndTheFolderIsKept() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path dir = tmp.resolve("traces");
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "folder", "--traces", "4",
        "--steps", "300", "--jvm-traces", "2", "--dir", dir.toString());
    assertEquals(0, code, err::toString);
    String o = out.toString();
    assertTrue(o.startsWith("raft, 5 nodes, 300 steps, faults "), o);
    List<String> rows = o.lines().filter(l -> l.startsWith("validate ")).toList();
    assertEquals(3, rows.size(), o);
    assertTrue(rows.get(0).matches("validate DIR --jobs 1 \\(one JVM\\) +4 +[0-9.]+ +[0-9.,]+ +[0-9,]+ +1\\.00x"), rows.get(0));
    assertTrue(rows.get(1).startsWith("validate DIR --jobs 2 (one JVM)"), rows.get(1));
    assertTrue(rows.get(2).matches("validate FILE, a JVM each, 2 at once +2 .*x"), rows.get(2));
    try (var files = Files.list(dir)) {
      assertEquals(4, files.filter(p -> p.toString().endsWith(".ndjson")).count());
    }
  }
}
