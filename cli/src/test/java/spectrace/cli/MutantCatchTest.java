package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import spectrace.protocols.Protocols;
import spectrace.tlc.Specs;

/**
 * Every mutant of two-phase commit is caught by trace validation on some of 300 seeds, and
 * the correct implementation on none: validation tells a broken implementation from a right
 * one. The table is printed, as {@code ./spectrace mutants twophase} prints it.
 */
class MutantCatchTest {

  @Test
  void everyTwoPhaseMutantIsCaughtAndTheCorrectImplementationNever() throws Exception {
    List<MutantTable.Row> rows = MutantTable.run("twophase", 300, 4, Specs.locate().root());
    rows.forEach(r -> System.out.printf("%-34s caught %3d/%d%n",
        r.mutant() == null ? "(correct implementation)" : r.mutant(), r.caught(), r.runs()));
    assertEquals(Protocols.mutants("twophase").size() + 1, rows.size());
    assertTrue(Protocols.mutants("twophase").size() >= 6, "the listed mutants");
    for (MutantTable.Row r : rows) {
      if (r.mutant() == null) {
        assertEquals(0, r.caught(), "the correct implementation diverged; first at seed " + r.firstCaught()
            + ": " + r.firstWhere());
      } else {
        assertTrue(r.caught() > 0, r.mutant() + " was never caught in " + r.runs() + " seeds");
      }
    }
  }
}
