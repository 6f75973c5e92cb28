package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spectrace mutants}: a small table (best-effort broadcast, 6 seeds) written as a record,
 * then held to it, to a record raised by hand (below it: exit 1, with the seed lost and its
 * replay command) and lowered by hand (above it), and {@code --record} refusing a weaker record
 * without {@code --lower}.
 */
class MutantsCommandTest {

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @TempDir Path tmp;

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private static String line(String table, String mutant) {
    return table.lines().filter(l -> l.startsWith(mutant + " ")).findFirst().orElseThrow(() -> new AssertionError(
        "no row for " + mutant + " in\n" + table));
  }

  /** {@code text} with the row of {@code mutant} claiming {@code seeds} caught. */
  private static String withSeeds(String text, String mutant, SortedSet<Long> seeds) {
    List<String> lines = new ArrayList<>();
    for (String l : text.lines().toList()) {
      String[] f = l.split("\t", -1);
      if (f[0].equals(mutant)) {
        f[5] = Integer.toString(seeds.size());
        f[6] = MutantRecord.ranges(seeds);
        l = String.join("\t", f);
      }
      lines.add(l);
    }
    return String.join("\n", lines) + "\n";
  }

  @Test
  void aTableIsRecordedThenHeldToItsRecord() throws Exception {
    Path f = tmp.resolve("beb.tsv");
    assertEquals(0, run("mutants", "beb", "--seeds", "6", "--record", "--record-file", f.toString()), out + "" + err);
    assertTrue(out.toString().contains("record written: " + f), out::toString);
    String written = Files.readString(f);
    MutantRecord rec = MutantRecord.read(f);
    assertEquals(6, rec.runs().seeds());

    // Held to its own record: the seeds and nodes come from it, and every row is ok.
    assertEquals(0, run("mutants", "beb", "--record-file", f.toString()), out + "" + err);
    String o = out.toString();
    assertTrue(o.startsWith("beb: seeds 1..6, 4 nodes, 5000 steps, faults "), o);
    assertTrue(line(o, "(correct implementation)").matches("\\(correct implementation\\) +0/6 +0/6 +ok +- +- *"), o);
    for (String m : List.of("delivers-on-broadcast", "reuses-sequence-number", "broadcasts-twice")) {
      assertTrue(line(o, m).contains(" ok "), o);
      assertTrue(line(o, m).contains("(./spectrace simulate beb --seed "), o);
    }
    assertTrue(o.contains("no mutant below its record; the correct implementation conforms in every run"), o);

    // A mutant that this run did not catch on some seed: a record that says it did is above this run.
    String name = null;
    long missed = -1;
    for (var e : rec.rows().entrySet()) {
      for (long s = 1; s <= 6 && name == null; s++) {
        if (!e.getKey().equals(MutantRecord.CORRECT) && !e.getValue().contains(s)) {
          name = e.getKey();
          missed = s;
        }
      }
    }
    assertTrue(name != null, "this test needs a mutant of beb that some seed of 1..6 does not catch: " + rec);
    SortedSet<Long> raised = new TreeSet<>(rec.rows().get(name));
    raised.add(missed);
    Files.writeString(f, withSeeds(written, name, raised));
    assertEquals(1, run("mutants", "beb", "--record-file", f.toString()), out + "" + err);
    o = out.toString();
    assertTrue(line(o, name).matches(".* " + (raised.size() - 1) + "/6 +" + raised.size() + "/6 +BELOW RECORD .*"), o);
    assertTrue(o.contains("  caught in the record, not now: seed " + missed + "; replay: ./spectrace simulate beb --seed "
        + missed + " --nodes 4 --steps 5000 --mutant " + name + " --no-check --trace t.ndjson\n"), o);
    assertTrue(o.contains("FAILED: "), o);

    // --record will not lower it without --lower; with it, the record is this run's again.
    assertEquals(1, run("mutants", "beb", "--record", "--record-file", f.toString()), out + "" + err);
    assertTrue(out.toString().contains("record not written: " + name + " is below its record"), out::toString);
    assertEquals(withSeeds(written, name, raised), Files.readString(f), "a refused --record leaves the file");
    assertEquals(0, run("mutants", "beb", "--record", "--lower", "--record-file", f.toString()), out + "" + err);
    assertEquals(written, Files.readString(f));

    // A record lowered by hand: the run is above it, and says so without failing.
    SortedSet<Long> lowered = new TreeSet<>(rec.rows().get("delivers-on-broadcast"));
    lowered.remove(lowered.last());
    Files.writeString(f, withSeeds(written, "delivers-on-broadcast", lowered));
    assertEquals(0, run("mutants", "beb", "--record-file", f.toString()), out + "" + err);
    assertTrue(line(out.toString(), "delivers-on-broadcast").contains(" above record: consider --record "), out::toString);
  }

  @Test
  void theFirstCaughtRunOfEachMutantIsKeptWithItsReportAndLinked() throws Exception {
    Path dir = tmp.resolve("reports");
    assertEquals(0, run("mutants", "twophase", "--seeds", "2", "--reports", dir.toString()), out + "" + err);
    String o = out.toString();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("  first caught run: (\\S+?\\.html)#seq=(\\d+)").matcher(o);
    int links = 0;
    while (m.find()) {
      Path html = Path.of(m.group(1));
      assertTrue(Files.isRegularFile(html), html + " is linked but missing");
      Path trace = Path.of(m.group(1).replaceFirst("\\.html$", ".ndjson"));
      assertTrue(Files.isRegularFile(trace), trace + " is missing beside its report");
      String page = Files.readString(html);
      assertTrue(page.contains("\"conforms\":false"), html + " does not show the divergence");
      links++;
    }
    // Each mutant caught within the two seeds is linked; the correct implementation, never caught, is not.
    long caught = o.lines().filter(l -> l.matches("[a-z-]+ +[1-9]\\d*/2 .*")).count();
    assertTrue(caught > 0, o);
    assertEquals(caught, links, o);
    assertFalse(o.contains("twophase-correct-"), o);
  }

  /** Each run depends on its seed only: runs made three at a time give the table made one at a time. */
  @Test
  void theTableIsTheSameForAnyNumberOfJobs() throws Exception {
    Path f = tmp.resolve("beb.tsv");
    assertEquals(0, run("mutants", "beb", "--seeds", "6", "--jobs", "1", "--record", "--record-file",
        f.toString()), out + "" + err);
    String one = Files.readString(f);
    String table = out.toString().replace("record written", "");
    assertEquals(0, run("mutants", "beb", "--seeds", "6", "--jobs", "3", "--record", "--record-file",
        tmp.resolve("again.tsv").toString()), out + "" + err);
    assertEquals(one, Files.readString(tmp.resolve("again.tsv")));
    assertEquals(table.replace(f.toString(), "F"), out.toString().replace("record written", "")
        .replace(tmp.resolve("again.tsv").toString(), "F"));
    assertTrue(one.lines().anyMatch(l -> !l.startsWith("#") && !l.startsWith("(correct)") && !l.startsWith("mutant\t")
        && !l.endsWith("\t-")), "no mutant caught in 6 seeds: the comparison shows nothing\n" + one);
  }

  @Test
  void fewerSeedsThanTheRecordAreHeldToTheRecordOnThoseSeeds() throws Exception {
    Path f = tmp.resolve("beb.tsv");
    assertEquals(0, run("mutants", "beb", "--seeds", "4", "--record", "--record-file", f.toString()), out + "" + err);
    assertEquals(0, run("mutants", "beb", "--seeds", "2", "--record-file", f.toString()), out + "" + err);
    String o = out.toString();
    assertTrue(o.contains(f + ", verdicts on seeds 1..2"), o);
    assertTrue(line(o, "(correct implementation)").matches("\\(correct implementation\\) +0/2 +0/2 +ok .*"), o);
    // Other nodes than the record's: the record does not apply.
    assertEquals(0, run("mutants", "beb", "--seeds", "2", "--nodes", "3", "--record-file", f.toString()), out + "" + err);
    o = out.toString();
    assertTrue(o.contains(" is of other runs (seeds 1..4, 4 nodes, "), o);
    assertTrue(line(o, "delivers-on-broadcast").contains(" no record of these runs "), o);
    assertFalse(o.contains("BELOW"), o);
  }

  @Test
  void aMalformedRecordAndBadOptionsAreOneLineAndExitTwo() throws Exception {
    Path f = tmp.resolve("bad.tsv");
    Files.writeString(f, "# a record\n" + MutantRecord.HEADER + "\n(correct)\t1..5\t4\t5000\tloss\t0\n");
    for (String[] args : List.of(
        new String[] {"mutants", "beb", "--record-file", f.toString()},
        new String[] {"mutants"},
        new String[] {"mutants", "beb", "--all"},
        new String[] {"mutants", "beb", "--lower"},
        new String[] {"mutants", "beb", "--seeds", "0"},
        new String[] {"mutants", "beb", "--jobs", "0"},
        new String[] {"mutants", "--all", "--record-file", f.toString()},
        new String[] {"mutants", "paxos"})) {
      assertEquals(2, run(args), String.join(" ", args) + ": " + out + err);
      String e = err.toString();
      assertEquals(1, e.strip().lines().count(), e);
      assertFalse(e.contains("\tat "), e);
    }
    run("mutants", "beb", "--record-file", f.toString());
    assertEquals("error: " + f + ":3: a row has 7 tab-separated fields (mutant, seeds, nodes, steps, faults, caught,"
        + " caught-seeds), not 6", err.toString().strip());
    run("mutants", "beb", "--lower");
    assertEquals("error: --lower goes with --record", err.toString().strip());
  }
}
