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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import spectrace.conformance.Report;
import spectrace.conformance.Validator;
import spectrace.history.LinearizabilityChecker;
import spectrace.sim.RunResult;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/**
 * One simulated run of a replicated service, judged by both of its oracles: its clients'
 * history must be linearizable, and its trace must conform to the spec. The traces ITs of Raft,
 * VR and PBFT run their seeds through it.
 */
final class ServiceRun {

  private static final Pattern ACTION = Pattern.compile("\"kind\":\"action\",\"node\":\"[^\"]*\",\"action\":\"(\\w+)\"");

  /** What a run did: its result, the events validated, the client operations checked, and its actions by name. */
  record Outcome(RunResult run, long events, long operations, Map<String, Long> actions) {}

  private ServiceRun() {}

  /**
   * Runs the simulator {@code make} builds on a writer of {@code trace}, and fails, naming
   * {@code what} (the run: a variant, a seed, a replay command), when the history is not
   * linearizable or the trace diverges.
   */
  static Outcome judge(String what, Function<TraceWriter, Simulator> make, Validator validator, Path trace)
      throws Exception {
    Simulator sim;
    RunResult run;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(trace), 1 << 16);
         TraceWriter w = new TraceWriter(out)) {
      sim = make.apply(w);
      run = sim.run();
    }
    LinearizabilityChecker.Result lin = ClientHistory.check(sim.clients(), sim.replayCommand());
    if (lin instanceof LinearizabilityChecker.NotLinearizable n) {
      fail(what + ": the clients' history is not linearizable\n" + n.witness().report());
    }
    assertTrue(lin instanceof LinearizabilityChecker.Linearizable, what + ": no verdict on the history: " + lin);
    Validator.Result r = validator.validate(List.of(trace), Validator.Progress.NONE);
    if (!r.conforms()) {
      fail(what + ": the trace diverges from the spec\n" + Report.text(List.of(trace.toString()), r));
    }
    Map<String, Long> actions = new TreeMap<>();
    try (BufferedReader in = Files.newBufferedReader(trace)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        Matcher m = ACTION.matcher(line);
        if (m.find()) {
          actions.merge(m.group(1), 1L, Long::sum);
        }
      }
    }
    return new Outcome(run, r.events(), lin.operations(), actions);
  }
}
