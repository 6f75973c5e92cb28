package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.tlc.Specs;

/**
 * The TLC trace spec ({@link TraceSpec}, TLC in a child JVM) on a run's per-node files, as
 * {@link PerNodeValidationTest} splits them: it merges them as the engine does.
 */
class PerNodeTraceSpecIT {

  @TempDir Path tmp;

  @Test
  void theTlcTraceSpecMergesPerNodeFilesAsTheEngineDoes() throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      List<Path> files = PerNodeValidationTest.split(tmp, seed);
      TraceSpec.Result t = TraceSpec.check(files, Specs.locate().root());
      assertTrue(t.conforms(), "seed " + seed + ": " + t);
      assertTrue(t.events() > 5, t.toString());
    }
    // The TM's first receipt, said to come from the TM itself: both verdicts diverge there.
    List<Path> files = PerNodeValidationTest.split(tmp, 1);
    Path tm = files.stream().filter(p -> p.toString().endsWith("-tm.ndjson")).findFirst().orElseThrow();
    List<String> lines = new ArrayList<>(Files.readAllLines(tm));
    lines.set(1, lines.get(1).replaceFirst("\"recv\":\\{\"from\":\"(rm\\d)\"", "\"recv\":{\"from\":\"tm\""));
    Files.write(tm, lines);
    Validator.Result v = new Validator(Specs.locate().root()).validate(files, Validator.Progress.NONE);
    TraceSpec.Result t = TraceSpec.check(files, Specs.locate().root());
    assertEquals(tm + ":2", v.divergence().where(), v.divergence().toString());
    assertEquals(tm + ":2", t.firstUnmatched(), t.toString());
  }
}
