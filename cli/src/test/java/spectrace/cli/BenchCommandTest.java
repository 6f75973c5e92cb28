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

/** {@code spectrace bench}: its help, its tables, and what its defaults measure. */
class BenchCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path tmp;

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** Regression: the help described simulator and gossip, not validate. */
  @Test
  void theHelpDescribesEveryTarget() {
    assertEquals(0, run("bench", "--help"));
    String help = out.toString();
    assertTrue(help.contains("What to measure: simulator, validate, gossip, history, folder."), help);
    for (String target : List.of("simulator", "validate", "gossip", "history", "folder")) {
      assertTrue(help.lines().anyMatch(l -> l.startsWith(target + ": ")), target + " is not described:\n" + help);
    }
  }

  @Test
  void benchFolderRefusesBadSizesInOneLine() {
    String[][] cases = {
        {"bench", "folder", "--traces", "0"},
        {"bench", "folder", "--steps", "0"},
        {"bench", "folder", "--jobs", "0"},
        {"bench", "folder", "--jvm-traces", "0"},
    };
    String[] expected = {
        "error: --traces must be from 1 to 100,000, not 0",
        "error: --steps must be from 1 to 10,000,000, not 0",
        "error: --jobs must be at least 1, not 0",
        "error: --jvm-traces must be at least 1, not 0",
    };
    for (int i = 0; i < cases.length; i++) {
      StringWriter e = new StringWriter();
      assertEquals(Main.USAGE, Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(e, true), cases[i]));
      assertEquals(expected[i] + "\n", e.toString(), String.join(" ", cases[i]));
    }
  }

  /** Regression: "tracing on (serialised, discarded)" was wider than its column and pushed its figure right. */
  @Test
  void theSimulatorTableIsAligned() {
    assertEquals(0, run("bench", "simulator", "--rounds", "1", "--round-seconds", "0.05"), err::toString);
    List<String> rows = out.toString().lines().filter(l -> l.startsWith("tracing")).toList();
    assertEquals(3, rows.size(), out::toString);
    for (String r : rows) {
      assertEquals(rows.get(0).indexOf(" events/s"), r.indexOf(" events/s"), out::toString);
    }
  }

  /**
   * Regression: the README's table says 8 nodes, and bench validate ran 4 whatever --nodes
   * said. Its trace is the one simulate writes with the same settings.
   */
  @Test
  void validateRunsTheTraceThatSimulateWritesWithItsSettings() throws Exception {
    assertEquals(0, run("bench", "validate", "--sizes", "2000", "--tlc-max", "0"), err::toString);
    String table = out.toString();
    assertTrue(table.startsWith("two-phase commit, 8 nodes, seed 5, faults duplicate,reorder,crash-recovery\n"), table);
    Path trace = tmp.resolve("t.ndjson");
    assertEquals(0, run("simulate", "twophase", "--seed", "5", "--nodes", "8", "--steps", "2000", "--keep-going",
        "--faults", "crash-recovery,duplicate,reorder", "--no-check", "--trace", trace.toString()), err::toString);
    long events = Files.readAllLines(trace).size() - 1;
    List<String> lines = table.lines().toList();
    String header = lines.get(1);
    String row = lines.get(2);
    assertTrue(row.strip().startsWith(String.format("%,d ", events)), events + " events expected:\n" + table);
    // Right-aligned columns: each header ends where its figure ends.
    for (String column : List.of("events", "validate s", "events/s", "old-gen MB", "TLC spec s", "TLC events/s", "ratio")) {
      int end = header.indexOf(column) + column.length();
      assertTrue(end == row.length() || row.charAt(end) == ' ', column + " misaligned:\n" + table);
      assertTrue(row.charAt(end - 1) != ' ', column + " misaligned:\n" + table);
    }
  }

  /** bench history: a row per kind of values for each size, every generated history found linearizable. */
  @Test
  void historyChecksEachSizeWithNewAndRepeatedValues() {
    assertEquals(0, run("bench", "history", "--sizes", "500", "--rounds", "1"), err::toString);
    List<String> rows = out.toString().lines().filter(l -> l.strip().startsWith("500 ")).toList();
    assertEquals(2, rows.size(), out::toString);
    assertTrue(rows.get(0).contains("each write new") && rows.get(1).contains("0 to 4"), out::toString);
  }
}
