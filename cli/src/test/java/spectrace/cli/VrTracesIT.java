package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import spectrace.conformance.Report;
import spectrace.conformance.Validator;
import spectrace.history.LinearizabilityChecker;
import spectrace.protocols.vr.Vr;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;
import spectrace.trace.TraceWriter;

/**
 * VR's runs are correct by both oracles, with five replicas and with three: for each, seeds 1
 * to {@value #SEEDS} with every fault the system model allows (replicas crash and come back
 * with nothing, at most F crashed or recovering at once), each trace validated against VR.tla
 * and each run's client history checked for linearizability. A failure names the size, the
 * seed and the divergence or the witness. The runs together must have done what makes VR VR:
 * view changes completed, recoveries completed, state transferred; a run that never got there
 * would pass for nothing.
 *
 * <p>{@code -Dvr.seeds=N} runs more seeds.
 */
class VrTracesIT {

  static final int SEEDS = Integer.getInteger("vr.seeds", 4);
  static final long STEPS = 5_000;
  private static final Pattern ACTION = Pattern.compile("\"kind\":\"action\",\"node\":\"[^\"]*\",\"action\":\"(\\w+)\"");

  private static Validator validator;
  private static Path trace;

  @BeforeAll
  static void open() throws Exception {
    validator = Validator.reusing(Specs.locate().root());
    trace = Files.createTempFile("spectrace-vr-", ".ndjson");
  }

  @AfterAll
  static void close() throws Exception {
    validator.close();
    Files.deleteIfExists(trace);
  }

  @TestFactory
  Stream<DynamicTest> everySizesTracesConformAndItsHistoriesAreLinearizable() {
    return Stream.of(5, 3).map(n -> DynamicTest.dynamicTest(n + " replicas", () -> size(n)));
  }

  private static void size(int replicas) throws Exception {
    Vr vr = new Vr();
    long events = 0;
    long operations = 0;
    Map<String, Long> actions = new TreeMap<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      SimConfig cfg = new SimConfig(seed, replicas, STEPS, vr.model().faults(), false, true, SimConfig.Rates.DEFAULT);
      Simulator sim;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(trace), 1 << 16);
           TraceWriter w = new TraceWriter(out)) {
        sim = new Simulator(vr, cfg, w);
        sim.run();
      }
      LinearizabilityChecker.Result lin = ClientHistory.check(sim.clients(), sim.replayCommand());
      if (lin instanceof LinearizabilityChecker.NotLinearizable n) {
        fail("vr (" + replicas + " replicas), seed " + seed + ": the clients' history is not linearizable\n"
            + n.witness().report());
      }
      assertTrue(lin instanceof LinearizabilityChecker.Linearizable, "no verdict on the history: " + lin);
      operations += lin.operations();
      Validator.Result r = validator.validate(List.of(trace), Validator.Progress.NONE);
      if (!r.conforms()) {
        fail("vr (" + replicas + " replicas), seed " + seed + ": the trace diverges from the spec\n"
            + Report.text(List.of(trace.toString()), r));
      }
      events += r.events();
      try (BufferedReader in = Files.newBufferedReader(trace)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          Matcher m = ACTION.matcher(line);
          if (m.find()) {
            actions.merge(m.group(1), 1L, Long::sum);
          }
        }
      }
    }
    System.out.printf("vr (%d replicas): %d traces validated, %d events, %d client operations linearizable; %s%n",
        replicas, SEEDS, events, operations, actions);
    for (String a : List.of("StartView", "HandleStartView", "CompleteRecovery", "HandleNewState", "PrimaryCommit")) {
      assertTrue(actions.getOrDefault(a, 0L) > 0, "no " + a + " in " + SEEDS + " runs of " + replicas + ": " + actions);
    }
    assertTrue(operations > SEEDS, "the clients did almost nothing: " + operations + " operations");
  }
}
