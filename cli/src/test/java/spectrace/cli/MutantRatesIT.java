package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import spectrace.protocols.Protocols;
import spectrace.tlc.Specs;

/**
 * Every protocol's mutants are caught by trace validation at least as often as their record
 * says ({@code traces/mutants/<protocol>.tsv}), on the record's seeds, and the correct
 * implementation never: a mutant whose catch rate falls (a weaker check in the validator, a
 * simulator that no longer reaches the bug) fails the build, naming the protocol, the mutant,
 * both rates, and the command that replays a seed the record caught and this run did not.
 * The record is raised with {@code ./spectrace mutants <protocol> --record}.
 */
class MutantRatesIT {

  @TestFactory
  Stream<DynamicTest> everyMutantIsCaughtAtLeastAsOftenAsItsRecordAndTheCorrectImplementationNever() {
    Path specs = Specs.locate().root();
    return Protocols.names().stream().filter(MutantRecord::held)
        .map(p -> DynamicTest.dynamicTest(p, () -> {
          Path file = MutantRecord.file(specs, p);
          MutantRecord rec = MutantRecord.read(file);
          assertNotNull(rec, p + ": no record at " + file + " (./spectrace mutants " + p + " --record writes it)");
          MutantRecord.Runs runs = MutantTable.runs(p, rec.runs().seeds(), rec.runs().nodes());
          assertEquals(runs, rec.runs(), p + ": " + file + " records other runs than the table makes; re-record it");
          long start = System.nanoTime();
          List<MutantTable.Row> rows = MutantTable.run(p, runs, specs, Runtime.getRuntime().availableProcessors());
          double seconds = (System.nanoTime() - start) / 1e9;
          List<MutantRecord.Comparison> cs = MutantRecord.compare(rec, runs, rows);
          List<String> failures = new ArrayList<>();
          for (MutantRecord.Comparison c : cs) {
            String name = c.mutant() == null ? "the correct implementation" : c.mutant();
            System.out.printf("%s %-34s caught %s, record %s: %s%n", p, name,
                c.row() == null ? "-" : c.row().caught() + "/" + c.row().runs(),
                c.recorded() < 0 ? "-" : c.recorded() + "/" + c.covered(), c.verdict().text);
            if (c.verdict().fails) {
              failures.add(c.failure(p, runs));
            }
          }
          System.out.printf("%s: %d variants x %d seeds in %.1f s on %d threads%n", p, rows.size(), runs.seeds(), seconds,
              Runtime.getRuntime().availableProcessors());
          assertTrue(failures.isEmpty(), String.join("\n", failures));
        }));
  }
}
