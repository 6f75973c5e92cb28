package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import spectrace.core.Fault;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;
import spectrace.trace.TraceWriter;

/**
 * Across random seeds, node counts and fault mixes, every trace the simulator writes for
 * two-phase commit is a behaviour of TwoPhase.tla, checked through TLC.
 */
class ConformancePropertiesIT {

  private static final Path SPECS = Specs.locate().root();

  @Provide
  Arbitrary<Set<Fault>> faultMixes() {
    return Arbitraries.subsetOf(new TwoPhase().model().faults())
        .map(s -> s.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(s));
  }

  @Property(tries = 60)
  void everySimulatorTraceConforms(@ForAll long seed, @ForAll @IntRange(min = 2, max = 6) int nodes,
                                   @ForAll("faultMixes") Set<Fault> faults) throws Exception {
    Path trace = Files.createTempFile("spectrace-prop-", ".ndjson");
    try {
      String replay;
      try (OutputStream out = Files.newOutputStream(trace); TraceWriter w = new TraceWriter(out)) {
        Simulator sim = new Simulator(new TwoPhase(),
            new SimConfig(seed, nodes, 5_000, faults, false, true, SimConfig.Rates.DEFAULT), w);
        replay = sim.replayCommand();
        sim.run();
      }
      Validator.Result r = new Validator(SPECS).validate(List.of(trace), Validator.Progress.NONE);
      assertTrue(r.actions() > 0);
      assertNull(r.divergence(), () -> Report.text(List.of(trace.toString()), r) + "\nreplay: " + replay
          + " --trace t.ndjson && ./spectrace validate t.ndjson");
    } finally {
      Files.deleteIfExists(trace);
    }
  }
}
