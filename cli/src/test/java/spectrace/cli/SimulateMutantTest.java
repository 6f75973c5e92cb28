package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spectrace simulate --mutant}: deliberately broken implementations, for testing validation. */
class SimulateMutantTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path tmp;

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void aMutantWritesItsTraceInFullWithTheSpecsNames() throws Exception {
    Path a = tmp.resolve("a.ndjson");
    assertEquals(0, run("simulate", "twophase", "--mutant", "tm-commits-early", "--no-check", "--seed", "7",
        "--trace", a.toString()), err::toString);
    String trace = Files.readString(a);
    assertTrue(trace.startsWith("{\"format\":\"spectrace-trace/2\",\"protocol\":\"twophase\",\"module\":\"TwoPhase\""),
        trace);
    // Seed 7: the TM commits on rm1's vote alone, and rm2 and rm3 commit too.
    assertTrue(trace.contains("\"action\":\"TMCommit\""), trace);
    assertTrue(trace.contains("\"tmState\":\"committed\",\"tmPrepared\":[\"rm1\"]"), trace);
    String o = out.toString();
    assertTrue(o.contains("simulated twophase, mutant tm-commits-early: seed 7, 4 nodes, faults "), o);
    assertTrue(o.matches("(?s).*replay: ./spectrace simulate twophase --seed 7 [^\\n]* --mutant tm-commits-early"
        + " --no-check --trace " + java.util.regex.Pattern.quote(a.toString()) + "\\n.*"), o);

    Path b = tmp.resolve("b.ndjson");
    assertEquals(0, run("simulate", "twophase", "--mutant", "tm-commits-early", "--no-check", "--seed", "7",
        "--trace", b.toString()), err::toString);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "a mutant run replays byte for byte");
    Path c = tmp.resolve("c.ndjson");
    assertEquals(0, run("simulate", "twophase", "--seed", "7", "--trace", c.toString()), err::toString);
    assertFalse(Files.readString(c).equals(trace), "the correct implementation runs seed 7 differently");
  }

  @Test
  void withTheChecksOnAMutantStopsAtTheViolationAndTheReplayNamesIt() {
    assertEquals(1, run("simulate", "twophase", "--mutant", "tm-commits-early", "--seed", "7"));
    String o = out.toString();
    assertTrue(o.contains("SAFETY VIOLATION: "), o);
    assertTrue(o.contains("--mutant tm-commits-early"), o);
  }

  @Test
  void anUnknownMutantGetsOneLineAndExitTwo() {
    assertEquals(2, run("simulate", "twophase", "--mutant", "gremlin", "--seed", "7"));
    String e = err.toString();
    assertTrue(e.startsWith("error: unknown mutant 'gremlin' of twophase (mutants: tm-commits-early, "), e);
    assertEquals(1, e.strip().lines().count(), e);
    assertFalse(e.contains("\tat "), e);
  }

  @Test
  void theHelpSaysWhatMutantsAreAndNamesThem() {
    assertEquals(0, run("simulate", "--help"));
    String o = out.toString().replaceAll("\\s+", " ");
    assertTrue(o.contains("deliberately broken implementation"), o);
    assertTrue(o.contains("tm-commits-early, rm-commits-alone,"), o);
    assertTrue(o.contains("--no-check"), o);
  }
}
