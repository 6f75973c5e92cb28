package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import spectrace.cli.MutantRecord.Comparison;
import spectrace.cli.MutantRecord.Runs;
import spectrace.cli.MutantRecord.Verdict;
import spectrace.core.Fault;
import spectrace.protocols.Protocols;
import spectrace.tlc.Specs;

/**
 * The record of mutant catch rates, without running a simulation: the file format and its
 * errors, the comparison of a table with a record, when {@code --record} may write, and the
 * committed records themselves (one per protocol with mutants, naming exactly its mutants).
 */
class MutantRecordTest {

  private static final Path FILE = Path.of("traces/mutants/x.tsv");
  private static final Runs RUNS = new Runs(10, 4, 5000, EnumSet.of(Fault.DUPLICATE, Fault.CRASH_STOP));

  @TempDir Path tmp;

  private static SortedSet<Long> seeds(long... s) {
    return new TreeSet<>(LongStream.of(s).boxed().toList());
  }

  private static MutantTable.Row row(String mutant, int runs, long... caught) {
    SortedSet<Long> c = seeds(caught);
    return new MutantTable.Row(mutant, runs, c.size(), c.isEmpty() ? -1 : c.first(), c.isEmpty() ? null : "A at line 3", c,
        c.size(), 0);
  }

  /** A record of RUNS: correct never caught; a at 1-3,5; b at 10. */
  private static List<MutantTable.Row> table() {
    return List.of(row(null, 10), row("a", 10, 1, 2, 3, 5), row("b", 10, 10));
  }

  private static MutantRecord record(List<MutantTable.Row> rows) throws Exception {
    return MutantRecord.parse(FILE, MutantRecord.format("x", RUNS, rows).lines().toList());
  }

  @Test
  void aRecordIsWrittenAsTabSeparatedRowsWithSeedRangesAndReadBack() throws Exception {
    String text = MutantRecord.format("x", RUNS, table());
    assertTrue(text.contains("\n" + MutantRecord.HEADER + "\n"), text);
    assertTrue(text.contains("\n(correct)\t1..10\t4\t5000\tduplicate,crash-stop\t0\t-\n"), text);
    assertTrue(text.contains("\na\t1..10\t4\t5000\tduplicate,crash-stop\t4\t1-3,5\n"), text);
    assertTrue(text.contains("\nb\t1..10\t4\t5000\tduplicate,crash-stop\t1\t10\n"), text);
    Path f = tmp.resolve("sub/x.tsv");
    MutantRecord.write(f, "x", RUNS, table());
    MutantRecord r = MutantRecord.read(f);
    assertEquals(RUNS, r.runs());
    assertEquals(List.of("(correct)", "a", "b"), List.copyOf(r.rows().keySet()));
    assertEquals(seeds(1, 2, 3, 5), r.rows().get("a"));
    assertEquals(seeds(10), r.rows().get("b"));
    assertNull(MutantRecord.read(tmp.resolve("none.tsv")), "no file, no record");
  }

  @Test
  void seedRangesAreAscendingRunsOfConsecutiveSeeds() {
    assertEquals("-", MutantRecord.ranges(seeds()));
    assertEquals("7", MutantRecord.ranges(seeds(7)));
    assertEquals("1-3,5,7-8,10", MutantRecord.ranges(seeds(1, 2, 3, 5, 7, 8, 10)));
  }

  static Stream<Arguments> malformed() {
    String h = MutantRecord.HEADER;
    String c = "(correct)\t1..10\t4\t5000\tduplicate\t0\t-";
    return Stream.of(
        Arguments.of("x:2: the header must be 'mutant<tab>seeds<tab>nodes", List.of("# c", "mutant seeds", c)),
        Arguments.of("x:3: a row has 7 tab-separated fields", List.of("# c", h, "(correct)\t1..10\t4")),
        Arguments.of("x:2: the first row is the correct implementation's", List.of(h, "a\t1..10\t4\t5000\tduplicate\t1\t1")),
        Arguments.of("x:3: (correct) is the first row only", List.of(h, c, c)),
        Arguments.of("x:4: a has a row already", List.of(h, c, "a\t1..10\t4\t5000\tduplicate\t1\t1",
            "a\t1..10\t4\t5000\tduplicate\t1\t1")),
        Arguments.of("x:2: seeds are 1..N, not '2..10'", List.of(h, "(correct)\t2..10\t4\t5000\tduplicate\t0\t-")),
        Arguments.of("x:2: nodes must be a whole number of at least 1, not 'four'",
            List.of(h, "(correct)\t1..10\tfour\t5000\tduplicate\t0\t-")),
        Arguments.of("x:2: unknown fault 'dup'", List.of(h, "(correct)\t1..10\t4\t5000\tdup\t0\t-")),
        Arguments.of("x:3: every row has the runs of the first", List.of(h, c, "a\t1..10\t5\t5000\tduplicate\t1\t1")),
        Arguments.of("x:3: caught is the number of caught-seeds (2), not '3'", List.of(h, c,
            "a\t1..10\t4\t5000\tduplicate\t3\t1-2")),
        Arguments.of("x:2: the correct implementation's record is 0 caught, not 1",
            List.of(h, "(correct)\t1..10\t4\t5000\tduplicate\t1\t4")),
        Arguments.of("x:3: a: a record of 0 caught holds nothing", List.of(h, c, "a\t1..10\t4\t5000\tduplicate\t0\t-")),
        Arguments.of("x:3: caught-seeds must ascend, apart, within 1..10: '11'", List.of(h, c,
            "a\t1..10\t4\t5000\tduplicate\t2\t3,11")),
        Arguments.of("x:3: caught-seeds must ascend, apart, within 1..10: '2'", List.of(h, c,
            "a\t1..10\t4\t5000\tduplicate\t2\t5,2")),
        Arguments.of("x:3: caught-seeds are ranges like 1-3,5", List.of(h, c, "a\t1..10\t4\t5000\tduplicate\t1\tseven")),
        Arguments.of("x:1: no rows", List.of(h)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedLineIsOneErrorNamingFileAndLine(String expected, List<String> lines) {
    MutantRecord.Malformed e = assertThrows(MutantRecord.Malformed.class, () -> MutantRecord.parse(Path.of("x"), lines));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  private static Verdict verdict(List<Comparison> cs, String mutant) {
    return cs.stream().filter(c -> java.util.Objects.equals(c.mutant(), mutant)).findFirst().orElseThrow().verdict();
  }

  @Test
  void eachMutantIsComparedSeedBySeedOnTheSeedsBothRan() throws Exception {
    MutantRecord rec = record(table());
    List<Comparison> same = MutantRecord.compare(rec, RUNS, table());
    assertTrue(same.stream().allMatch(c -> c.verdict() == Verdict.OK), same::toString);

    // a loses seed 2 and gains 9 (the same count: ok); b loses 10 (below, and seed 10 is named).
    List<Comparison> cs = MutantRecord.compare(rec, RUNS, List.of(row(null, 10), row("a", 10, 1, 3, 5, 9), row("b", 10)));
    assertEquals(Verdict.OK, verdict(cs, "a"));
    Comparison b = cs.get(2);
    assertEquals(Verdict.BELOW, b.verdict());
    assertEquals(List.of(10L), b.lost());
    assertEquals(0, b.now());
    assertEquals(1, b.recorded());
    assertTrue(b.verdict().fails);

    // above its record, and the correct implementation caught
    cs = MutantRecord.compare(rec, RUNS, List.of(row(null, 10, 4), row("a", 10, 1, 2, 3, 5, 6), row("b", 10, 10)));
    assertEquals(Verdict.CORRECT_CAUGHT, verdict(cs, null));
    assertEquals(Verdict.ABOVE, verdict(cs, "a"));
    assertTrue(!Verdict.ABOVE.fails && Verdict.CORRECT_CAUGHT.fails);
  }

  @Test
  void aFailureIsOneLineNamingProtocolMutantRatesAndAReplayCommand() throws Exception {
    MutantRecord rec = record(table());
    List<Comparison> cs = MutantRecord.compare(rec, RUNS,
        List.of(row(null, 10, 6), row("a", 10, 1, 3), row("c", 10, 7)));
    assertEquals("x: the correct implementation was caught in 1/10 runs; first at seed 6 (A at line 3):"
        + " ./spectrace simulate x --seed 6 --nodes 4 --steps 5000 --no-check --trace t.ndjson", cs.get(0).failure("x", RUNS));
    assertEquals("x: a caught 2/10, below its record of 4/10; caught in the record, not now: seeds 2,5; replay:"
        + " ./spectrace simulate x --seed 2 --nodes 4 --steps 5000 --mutant a --no-check --trace t.ndjson",
        cs.get(1).failure("x", RUNS));
    assertEquals("x: c (caught 1/10) has no row in the record: ./spectrace mutants x --record", cs.get(2).failure("x", RUNS));
    assertEquals("x: the record has b, which x does not list: ./spectrace mutants x --record --lower",
        cs.get(3).failure("x", RUNS));
  }

  @Test
  void fewerOrMoreSeedsThanTheRecordAreComparedOnTheSeedsInCommon() throws Exception {
    MutantRecord rec = record(table());
    Runs four = new Runs(4, RUNS.nodes(), RUNS.steps(), RUNS.faults());
    // Over seeds 1..4 the record has a at 1-3 and b nowhere: a at 1-3 is ok, and b's 0 is too.
    List<Comparison> cs = MutantRecord.compare(rec, four, List.of(row(null, 4), row("a", 4, 1, 2, 3), row("b", 4)));
    assertEquals(4, cs.get(1).covered());
    assertEquals(3, cs.get(1).recorded());
    assertEquals(Verdict.OK, verdict(cs, "a"));
    assertEquals(Verdict.OK, verdict(cs, "b"));
    Runs twenty = new Runs(20, RUNS.nodes(), RUNS.steps(), RUNS.faults());
    cs = MutantRecord.compare(rec, twenty, List.of(row(null, 20), row("a", 20, 1, 2, 3, 15), row("b", 20, 10)));
    assertEquals(10, cs.get(1).covered());
    assertEquals(Verdict.BELOW, verdict(cs, "a"), "seed 15 is beyond the record and does not make up for seed 5");
    assertEquals(List.of(5L), cs.get(1).lost());
  }

  @Test
  void aRecordOfOtherRunsDoesNotApplyAndThenAMutantMustOnlyBeCaught() throws Exception {
    MutantRecord rec = record(table());
    Runs five = new Runs(10, 5, RUNS.steps(), RUNS.faults());
    List<Comparison> cs = MutantRecord.compare(rec, five, List.of(row(null, 10), row("a", 10, 4), row("b", 10)));
    assertEquals(Verdict.NO_RECORD, verdict(cs, "a"));
    assertEquals(Verdict.NEVER_CAUGHT, verdict(cs, "b"));
    assertEquals(-1, cs.get(1).recorded());
    cs = MutantRecord.compare(null, RUNS, table());
    assertEquals(Verdict.NO_RECORD, verdict(cs, "a"));
    assertTrue(cs.stream().noneMatch(c -> c.verdict().fails), cs::toString);
  }

  @Test
  void aMutantTheRecordLacksOrOnlyTheRecordHasFails() throws Exception {
    MutantRecord rec = record(table());
    List<Comparison> cs = MutantRecord.compare(rec, RUNS, List.of(row(null, 10), row("a", 10, 1, 2, 3, 5), row("c", 10, 7)));
    assertEquals(Verdict.NOT_RECORDED, verdict(cs, "c"));
    assertEquals(Verdict.RECORD_ONLY, verdict(cs, "b"));
    assertTrue(Verdict.NOT_RECORDED.fails && Verdict.RECORD_ONLY.fails);
  }

  @Test
  void recordRefusesAWeakerRecordWithoutLower() throws Exception {
    MutantRecord rec = record(table());
    assertNull(MutantRecord.refusal(null, RUNS, table(), false), "no record yet");
    assertNull(MutantRecord.refusal(rec, RUNS, List.of(row(null, 10), row("a", 10, 1, 2, 3, 5, 6), row("b", 10, 10)), false),
        "better");
    List<MutantTable.Row> worse = List.of(row(null, 10), row("a", 10, 1, 2, 3), row("b", 10, 10));
    assertEquals("a is below its record (3/10 against 4/10); --lower writes it", MutantRecord.refusal(rec, RUNS, worse, false));
    assertNull(MutantRecord.refusal(rec, RUNS, worse, true));
    Runs four = new Runs(4, RUNS.nodes(), RUNS.steps(), RUNS.faults());
    assertTrue(MutantRecord.refusal(rec, four, List.of(row(null, 4), row("a", 4, 1), row("b", 4, 2)), false)
        .startsWith("the record has 10 seeds, this run 4"));
    Runs other = new Runs(10, 5, RUNS.steps(), RUNS.faults());
    assertTrue(MutantRecord.refusal(rec, other, table(), false).startsWith("the record is of other runs"));
    assertTrue(MutantRecord.refusal(rec, RUNS, List.of(row(null, 10), row("a", 10, 1, 2, 3, 5)), false)
        .startsWith("the record has b, which the protocol has not"));
    // never, even with --lower
    assertTrue(MutantRecord.refusal(rec, RUNS, List.of(row(null, 10, 3), row("a", 10, 1), row("b", 10, 10)), true)
        .startsWith("the correct implementation was caught (first at seed 3)"));
    assertTrue(MutantRecord.refusal(null, RUNS, List.of(row(null, 10), row("a", 10)), true)
        .startsWith("a was never caught in 10 seeds"));
  }

  /**
   * The committed records: every protocol with mutants has one, of the runs the table makes
   * (every fault of the model, {@link MutantTable#STEPS} steps), naming exactly its mutants,
   * in their listed order.
   */
  @Test
  void everyProtocolWithMutantsHasARecordOfItsMutants() throws Exception {
    Path specs = Specs.locate().root();
    List<String> checked = new ArrayList<>();
    for (String p : Protocols.names()) {
      if (!MutantRecord.held(p)) {
        continue;
      }
      Path f = MutantRecord.file(specs, p);
      MutantRecord rec = MutantRecord.read(f);
      assertNotNull(rec, p + " has no record at " + f + ": run ./spectrace mutants " + p + " --record");
      List<String> names = new ArrayList<>();
      names.add(MutantRecord.CORRECT);
      names.addAll(Protocols.mutants(p));
      assertEquals(names, List.copyOf(rec.rows().keySet()), f.toString());
      assertEquals(MutantTable.runs(p, rec.runs().seeds(), rec.runs().nodes()), rec.runs(),
          f + ": the record is of other runs than the table makes");
      checked.add(p);
    }
    assertTrue(checked.size() >= 10, checked::toString);
    try (var files = Files.list(MutantRecord.file(specs, "x").getParent())) {
      assertEquals(checked.stream().map(p -> p + ".tsv").sorted().toList(),
          files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tsv")).sorted().toList(),
          "a record for a protocol that has no mutants");
    }
  }
}
