package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import spectrace.core.Fault;
import spectrace.protocols.maekawa.Maekawa;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;
import spectrace.trace.TraceWriter;

/**
 * Across random seeds (hence random request patterns), node counts and delays, every trace
 * the simulator writes for Maekawa is a behaviour of Maekawa.tla, checked through TLC.
 */
class MaekawaConformancePropertiesIT {

  private static final Path SPECS = Specs.locate().root();

  @Property(tries = 40)
  void everySimulatorTraceConforms(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int nodes,
                                   @ForAll boolean delays) throws Exception {
    Set<Fault> faults = delays ? EnumSet.of(Fault.DELAY) : EnumSet.noneOf(Fault.class);
    Path trace = Files.createTempFile("spectrace-maekawa-", ".ndjson");
    try {
      String replay;
      try (OutputStream out = Files.newOutputStream(trace); TraceWriter w = new TraceWriter(out)) {
        Simulator sim = new Simulator(new Maekawa(),
            new SimConfig(seed, nodes, 100_000, faults, false, true, SimConfig.Rates.DEFAULT), w);
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
