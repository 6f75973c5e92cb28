package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spectrace.protocols.Protocols;
import spectrace.tlc.Specs;

/**
 * Every mutant of FIFO, causal, total-order and gossip broadcast is caught by trace
 * validation on some of 100 seeds, and the correct implementation on none. The table is
 * printed, as {@code ./spectrace mutants <protocol>} prints it (which runs 300 seeds).
 */
class OrderedAndGossipMutantCatchTest {

  @ParameterizedTest
  @ValueSource(strings = {"fifo", "causal", "total", "gossip"})
  void everyMutantIsCaughtAndTheCorrectImplementationNever(String protocol) throws Exception {
    List<MutantTable.Row> rows = MutantTable.run(protocol, 100, 4, Specs.locate().root());
    rows.forEach(r -> System.out.printf("%s %-34s caught %3d/%d%n", protocol,
        r.mutant() == null ? "(correct implementation)" : r.mutant(), r.caught(), r.runs()));
    assertEquals(Protocols.mutants(protocol).size() + 1, rows.size());
    assertTrue(Protocols.mutants(protocol).size() >= 3, "the listed mutants of " + protocol);
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
