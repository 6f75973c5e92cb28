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
import spectrace.tlc.Specs;

/** {@code spectrace validate DIR --jobs N}: the table, the lines of what is not fine, the exit codes, refusals. */
class ValidateFolderTest {

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @TempDir Path tmp;

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private Path simulate(Path file, int seed) throws Exception {
    Files.createDirectories(file.getParent());
    assertEquals(0, run("simulate", "twophase", "--seed", Integer.toString(seed), "--trace", file.toString()),
        err::toString);
    return file;
  }

  @Test
  void aFolderThatConformsExitsZeroWithItsTable() throws Exception {
    for (int seed = 1; seed <= 4; seed++) {
      simulate(tmp.resolve("runs/s" + seed + ".ndjson"), seed);
    }
    assertEquals(0, run("validate", tmp.resolve("runs").toString(), "--jobs", "2"), out::toString);
    String o = out.toString();
    assertTrue(o.startsWith("4 items under " + tmp.resolve("runs") + " checked in "), o);
    assertTrue(o.contains(" on 2 threads: "), o);
    assertTrue(o.lines().anyMatch(l -> l.matches("  twophase TwoPhase +4 +4 +0 +0 +[0-9,]+ +[0-9,]+/s")), o);
    assertTrue(o.strip().endsWith("all 4 fine"), o);
  }

  @Test
  void exitCodesSayTheWorstThatWasFoundAndEveryItemIsChecked() throws Exception {
    Path dir = tmp.resolve("d");
    simulate(dir.resolve("a.ndjson"), 1);
    simulate(dir.resolve("b.ndjson"), 2);
    // A file that does not read: bad input, exit 2, the others still checked.
    Files.writeString(dir.resolve("broken.ndjson"), "not json\n");
    assertEquals(Main.USAGE, run("validate", dir.toString()), out::toString);
    assertTrue(out.toString().contains("error: " + dir.resolve("broken.ndjson") + ":1:"), out::toString);
    assertTrue(out.toString().contains("1 of 3 not fine"), out::toString);

    // A divergence outranks bad input: exit 1, and the divergence is named by file and line.
    Path c = simulate(dir.resolve("c.ndjson"), 7);
    Files.writeString(c, Files.readString(c).replace("\"action\":\"TMAbort\"", "\"action\":\"TMCommit\""));
    assertEquals(Main.FOUND, run("validate", dir.toString()), out::toString);
    assertTrue(out.toString().contains(c + ":8: divergence at event "), out::toString);
    assertTrue(out.toString().contains("2 of 4 not fine"), out::toString);

    // So does a history that no order explains, in a folder of its own.
    Path h = tmp.resolve("h");
    Files.createDirectories(h);
    Files.copy(Specs.locate().root().getParent().resolve("traces/histories/stale-read.ndjson"),
        h.resolve("history.ndjson"));
    assertEquals(Main.FOUND, run("validate", h.toString()), out::toString);
    assertTrue(out.toString().contains(h.resolve("history.ndjson") + ": not linearizable: key k1"), out::toString);
  }

  @Test
  void jsonGivesALinePerItemThenTheTotals() throws Exception {
    simulate(tmp.resolve("a.ndjson"), 1);
    simulate(tmp.resolve("b.ndjson"), 2);
    assertEquals(0, run("validate", "--json", tmp.toString()), out::toString);
    List<String> lines = out.toString().lines().toList();
    assertEquals(3, lines.size(), out::toString);
    assertTrue(lines.get(0).startsWith("{\"item\":\"" + tmp.resolve("a.ndjson") + "\",\"kind\":\"trace\",\"ok\":true,"),
        lines.get(0));
    assertTrue(lines.get(0).contains("\"validation\":{\"conforms\":true,"), lines.get(0));
    assertTrue(lines.get(2).startsWith("{\"items\":2,\"fine\":2,\"found\":0,\"errors\":0,\"unknown\":0,\"jobs\":"),
        lines.get(2));
  }

  @Test
  void badArgumentsAreRefusedInOneLine() throws Exception {
    Path t = simulate(tmp.resolve("t.ndjson"), 1);
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    String[][] cases = {
        {"validate", tmp.toString(), t.toString()},
        {"validate", tmp.toString(), "--tlc"},
        {"validate", tmp.toString(), "--report", tmp.resolve("r.html").toString()},
        {"validate", tmp.toString(), "--jobs", "0"},
        {"validate", t.toString(), "--jobs", "2"},
        {"validate", empty.toString()},
    };
    String[] expected = {
        t + " is not a folder: give folders, or the trace files of one run, not both",
        "--tlc is for one trace (or one run's files), not folders",
        "--report is for one trace (or one run's files), not folders",
        "--jobs must be at least 1, not 0",
        "--jobs is for folders of traces; one trace (or one run's files) is checked on one thread",
        "no trace or history (.ndjson) under " + empty,
    };
    for (int i = 0; i < cases.length; i++) {
      assertEquals(Main.USAGE, run(cases[i]), String.join(" ", cases[i]));
      assertEquals("error: " + expected[i] + "\n", err.toString(), String.join(" ", cases[i]));
    }
  }
}
