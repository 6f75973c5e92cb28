package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertNull;

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
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;
import spectrace.trace.TraceWriter;

/**
 * Across random seeds, process counts and the faults each model allows, every trace the
 * simulator writes for FIFO, causal, total-order and gossip broadcast is a behaviour of its
 * spec (specs/broadcast/), checked through TLC.
 */
class OrderedAndGossipConformancePropertiesIT {

  private static final Path SPECS = Specs.locate().root();

  @Provide
  Arbitrary<String> protocols() {
    return Arbitraries.of("fifo", "causal", "total", "gossip");
  }

  @Provide
  Arbitrary<Set<Fault>> faultMixes() {
    return Arbitraries.of(Fault.values()).set()
        .map(s -> s.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(s));
  }

  @Property(tries = 60)
  void everySimulatorTraceConforms(@ForAll("protocols") String name, @ForAll long seed,
                                   @ForAll @IntRange(min = 2, max = 6) int nodes,
                                   @ForAll("faultMixes") Set<Fault> wanted) throws Exception {
    Protocol<?> protocol = Protocols.get(name);
    Set<Fault> faults = EnumSet.noneOf(Fault.class);
    for (Fault f : wanted) {
      if (protocol.model().allows(f)) {
        faults.add(f);
      }
    }
    Path trace = Files.createTempFile("spectrace-prop-", ".ndjson");
    try {
      String replay;
      try (OutputStream out = Files.newOutputStream(trace); TraceWriter w = new TraceWriter(out)) {
        Simulator sim = new Simulator(protocol, new SimConfig(seed, nodes, 5_000, faults, false, true,
            SimConfig.Rates.DEFAULT), w);
        replay = sim.replayCommand();
        sim.run();
      }
      // A run may have no event at all: its workload can give every process nothing to broadcast.
      Validator.Result r = new Validator(SPECS).validate(List.of(trace), Validator.Progress.NONE);
      assertNull(r.divergence(), () -> Report.text(List.of(trace.toString()), r) + "\nreplay: " + replay
          + " --trace t.ndjson && ./spectrace validate t.ndjson");
    } finally {
      Files.deleteIfExists(trace);
    }
  }
}
