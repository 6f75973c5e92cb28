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
import net.jqwik.api.lifecycle.AfterContainer;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;
import spectrace.trace.TraceWriter;

/**
 * Across random seeds, process counts and fault mixes, every trace the simulator writes for
 * best-effort, eager, lazy and uniform reliable broadcast is a behaviour of its spec in
 * specs/broadcast/, checked through TLC.
 */
class BroadcastConformanceIT {

  private static final Path SPECS = Specs.locate().root();
  /** One loaded spec per protocol and constants, shared by the tries. */
  private static final Validator VALIDATOR = Validator.reusing(SPECS);

  @AfterContainer
  static void closeValidator() {
    VALIDATOR.close();
  }

  @Provide
  Arbitrary<String> protocols() {
    return Arbitraries.of("beb", "erb", "lrb", "urb");
  }

  @Provide
  Arbitrary<Integer> faultPicks() {
    return Arbitraries.integers().between(0, (1 << 5) - 1);
  }

  @Property(tries = 120)
  void everySimulatorTraceConforms(@ForAll("protocols") String name, @ForAll long seed,
                                   @ForAll @IntRange(min = 3, max = 6) int nodes,
                                   @ForAll("faultPicks") int pick) throws Exception {
    Protocol<?> protocol = Protocols.get(name);
    Set<Fault> faults = EnumSet.noneOf(Fault.class);
    int bit = 0;
    for (Fault f : EnumSet.copyOf(protocol.model().faults())) {
      if ((pick & (1 << bit++)) != 0) {
        faults.add(f);
      }
    }
    Path trace = Files.createTempFile("spectrace-bcast-", ".ndjson");
    try {
      String replay;
      try (OutputStream out = Files.newOutputStream(trace); TraceWriter w = new TraceWriter(out)) {
        Simulator sim = new Simulator(protocol, new SimConfig(seed, nodes, 20_000, faults, false, true,
            SimConfig.Rates.DEFAULT), w);
        replay = sim.replayCommand();
        sim.run();
      }
      Validator.Result r = VALIDATOR.validate(List.of(trace), Validator.Progress.NONE);
      assertTrue(r.actions() > 0);
      assertNull(r.divergence(), () -> Report.text(List.of(trace.toString()), r) + "\nreplay: " + replay
          + " --trace t.ndjson && ./spectrace validate t.ndjson");
    } finally {
      Files.deleteIfExists(trace);
    }
  }
}
