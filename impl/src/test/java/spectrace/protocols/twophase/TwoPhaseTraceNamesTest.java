package spectrace.protocols.twophase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.SpecNames;
import spectrace.trace.TraceWriter;

/**
 * The names in two-phase commit's traces are TwoPhase.tla's: every action an event names is
 * an operator the spec defines, and every logged variable is one the spec declares. Over
 * enough seeds, every action of the spec's Next shows up.
 */
class TwoPhaseTraceNamesTest {

  private static final Path SPEC = Path.of(System.getProperty("spectrace.specs", "../specs"), "twophase", "TwoPhase.tla");

  @Test
  void traceNamesAreTheSpecsNames() throws Exception {
    String spec = Files.readString(SPEC);
    Set<String> defined = SpecNames.definitions(spec);
    Set<String> declared = SpecNames.variables(spec);
    assertTrue(!declared.isEmpty(), "no VARIABLES in " + SPEC);
    assertEquals(Set.of("rmState", "tmState", "tmPrepared", "tmUp", "msgs"), declared);

    Set<String> actions = new TreeSet<>();
    Set<String> logged = new TreeSet<>();
    for (long seed = 0; seed < 200; seed++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TraceWriter w = new TraceWriter(out)) {
        new Simulator(new TwoPhase(), new SimConfig(seed, 4, 2_000,
            EnumSet.of(spectrace.core.Fault.DUPLICATE, spectrace.core.Fault.REORDER, spectrace.core.Fault.CRASH_RECOVERY),
            false, true, SimConfig.Rates.DEFAULT), w).run();
      }
      for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
        SpecNames.collect(line, actions, logged);
      }
    }
    assertTrue(defined.containsAll(actions), "actions the spec does not define: " + SpecNames.minus(actions, defined));
    assertTrue(declared.containsAll(logged), "variables the spec does not declare: " + SpecNames.minus(logged, declared));
    assertEquals(new TreeSet<>(Set.of("TMRcvPrepared", "TMCommit", "TMAbort", "TMCrash", "TMRecover", "RMPrepare",
        "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg")), actions, "every action of Next, over 200 seeds");
  }

}
