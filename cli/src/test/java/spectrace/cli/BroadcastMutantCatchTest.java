package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import spectrace.protocols.Protocols;
import spectrace.tlc.Specs;

/**
 * Every mutant of each reliable broadcast protocol is caught by trace validation on some of
 * 40 seeds (every fault its model allows), and the correct implementation on none. The
 * tables are printed, as {@code ./spectrace mutants <protocol>} prints them.
 */
class BroadcastMutantCatchTest {

  @TestFactory
  Stream<DynamicTest> everyBroadcastMutantIsCaughtAndTheCorrectImplementationNever() {
    return Stream.of("beb", "erb", "lrb", "urb").map(protocol -> DynamicTest.dynamicTest(protocol, () -> {
      List<MutantTable.Row> rows = MutantTable.run(protocol, 40, 4, Specs.locate().root());
      rows.forEach(r -> System.out.printf("%s %-28s caught %3d/%d  %s%n", protocol,
          r.mutant() == null ? "(correct implementation)" : r.mutant(), r.caught(), r.runs(),
          r.firstWhere() == null ? "" : "first: seed " + r.firstCaught() + ", " + r.firstWhere()));
      assertEquals(Protocols.mutants(protocol).size() + 1, rows.size());
      assertTrue(Protocols.mutants(protocol).size() >= 3, protocol + "'s mutants");
      for (MutantTable.Row r : rows) {
        if (r.mutant() == null) {
          assertEquals(0, r.caught(), protocol + ": the correct implementation diverged; first at seed "
              + r.firstCaught() + ": " + r.firstWhere());
        } else {
          assertTrue(r.caught() > 0, protocol + ": " + r.mutant() + " was never caught in " + r.runs() + " seeds");
        }
      }
    }));
  }
}
