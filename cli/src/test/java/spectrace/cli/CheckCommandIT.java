package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spectrace check} as a user runs it: output and exit codes. */
class CheckCommandIT {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final String specs = System.getProperty("spectrace.specs");

  @TempDir Path tmp;

  @AfterEach
  void restoreSpecs() {
    System.setProperty("spectrace.specs", specs);
  }

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void twoPhaseCommitChecksOkWithItsStateCount() {
    assertEquals(0, run("check", "twophase"), err::toString);
    assertTrue(out.toString().contains("ok: 395 distinct states, depth 13, "), out::toString);
  }

  /** On TLC's distributed mode, the same count as the local run, the workers' shares, and the manifest compared. */
  @Test
  void aDistributedRunOnLoopbackFindsTheManifestsCountAndShowsTheWorkersShares() {
    assertEquals(0, run("check", "twophase", "--distributed", "--local-workers", "2"), err::toString);
    String o = out.toString();
    assertTrue(o.contains("on TLC's distributed mode: server at 127.0.0.1:(a free port), 2 local workers of "), o);
    assertTrue(o.contains("ok: 395 distinct states, "), o);
    assertTrue(o.contains("work: 2 workers: "), o);
    assertTrue(o.contains("as the manifest records for this model (ok, 395 distinct states)"), o);
    assertTrue(err.toString().contains("TLC server at 127.0.0.1:"), err::toString);
  }

  @Test
  void theKnownBugModelPrintsTheInvariantAndAReadableCounterexample() {
    assertEquals(1, run("check", "twophase", "--model", "MCTwoPhaseBuggy", "--workers", "1"));
    String o = out.toString();
    assertTrue(o.contains("violation: Invariant ConsistencyInv is violated."), o);
    assertTrue(o.contains("counterexample, 6 states"), o);
    assertTrue(o.contains("  4  TMCommit  (TwoPhase.tla:"), o);
    // Step 4 changes tmState and msgs, nothing else: rmState is not repeated there.
    String step4 = o.substring(o.indexOf("  4  TMCommit"), o.indexOf("  5  "));
    assertTrue(step4.contains("tmState = \"committed\""), step4);
    assertFalse(step4.contains("rmState"), step4);
  }

  /**
   * A model whose manifest entry names a simulation is checked by random behaviours from its
   * recorded seed, and finds its reachability target there, with the same counterexample every
   * time; a seed given on the command line replaces the recorded one, and is printed.
   */
  @Test
  void aSimulationModelFindsItsTargetFromItsRecordedSeed() {
    assertEquals(1, run("check", "pbft", "--model", "MCPBFTLargeReachLaterView"), err::toString);
    String o = out.toString();
    assertTrue(o.contains("  20,000 behaviours of at most 100 states, seed 5 (one worker;"), o);
    assertTrue(o.contains("violation: Invariant NoCommitInLaterViewReach is violated."), o);
    assertTrue(o.contains("counterexample, 23 states"), o);
    assertFalse(o.contains("note: the manifest expects"), o);
  }

  @Test
  void simulateChecksRandomBehavioursOfAnyModelAndPrintsItsSeed() {
    assertEquals(0, run("check", "twophase", "--simulate", "--traces", "200", "--depth", "30", "--seed", "11"),
        err::toString);
    String o = out.toString();
    assertTrue(o.contains("simulating twophase / MCTwoPhase: "), o);
    assertTrue(o.contains("  200 behaviours of at most 30 states, seed 11 "), o);
    assertTrue(o.matches("(?s).*ok: no violation in the behaviours simulated, [\\d,]+ states generated, .*"), o);
    assertEquals(1, run("check", "twophase", "--model", "MCTwoPhaseBuggy", "--simulate", "--traces", "2000",
        "--seed", "3"));
    assertTrue(out.toString().contains("violation: Invariant ConsistencyInv is violated."), out::toString);
  }

  @Test
  void simulationOptionsNeedASpecAndPositiveBounds() {
    assertEquals(2, run("check", "--all", "--simulate"));
    assertTrue(err.toString().contains("--simulate, --traces, --depth and --seed need a SPEC"), err::toString);
    assertEquals(2, run("check", "twophase", "--simulate", "--traces", "0"));
    assertTrue(err.toString().contains("--traces and --depth must be at least 1"), err::toString);
  }

  @Test
  void aSpecWithASyntaxErrorGetsOneLocatedLineAndExitTwo() throws Exception {
    Path tla = tmp.resolve("Broken.tla");
    Files.writeString(tla, "---- MODULE Broken ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\n"
        + "Next == x' = x +\n====\n");
    Files.writeString(tmp.resolve("Broken.cfg"), "INIT Init\nNEXT Next\n");
    assertEquals(2, run("check", tla.toString()));
    assertTrue(lastLine(err).matches(".*Broken\\.tla:6:1: parse error: .*"), err::toString);
  }

  private static String lastLine(StringWriter w) {
    String[] lines = w.toString().strip().split("\n");
    return lines[lines.length - 1];
  }

  private Path model(String name, String tla, String cfg) throws Exception {
    Files.writeString(tmp.resolve(name + ".cfg"), cfg);
    return Files.writeString(tmp.resolve(name + ".tla"), tla);
  }

  private static final String CYCLE = "EXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = (x + 1) % 3\n"
      + "TypeOK == x \\in 0..2\n====\n";

  /** Regression: TLC's message was cut after its first line, and named no line of the .cfg. */
  @Test
  void aConfigNamingAMissingInvariantGetsTheWholeSentenceAtItsLine() throws Exception {
    Path tla = model("MissInv", "---- MODULE MissInv ----\n" + CYCLE,
        "INIT Init\nNEXT Next\n\nINVARIANT TypeOK\nINVARIANT NoSuchInv\n");
    assertEquals(2, run("check", tla.toString()));
    assertTrue(lastLine(err).endsWith("MissInv.cfg:5:11: The invariant NoSuchInv specified in the configuration file"
        + " is not defined in the specification."), err::toString);

    Path bad = model("BadCfg", "---- MODULE BadCfg ----\n" + CYCLE, "INIT Init\nNEXT Next\n\nFOO Bar\n");
    assertEquals(2, run("check", bad.toString()));
    assertTrue(lastLine(err).endsWith("BadCfg.cfg:4: error in the configuration file: It was expecting a keyword,"
        + " but did not find it."), err::toString);
    assertFalse(out.toString().contains("violation"), out::toString);
  }

  /** Regression: SANY's "Parsing or semantic analysis failed." was all the user saw. */
  @Test
  void aModuleWhoseNameDiffersFromItsFileSaysSo() throws Exception {
    Path tla = model("MCFoo", "---- MODULE Bar ----\n" + CYCLE, "INIT Init\nNEXT Next\n");
    assertEquals(2, run("check", tla.toString()));
    assertTrue(lastLine(err).endsWith("MCFoo.tla:1:13: the file MCFoo.tla holds the module Bar, and a module must be"
        + " in a file of its name: rename the module to MCFoo, or the file to Bar.tla"), err::toString);
  }

  /** Regression: a division by zero in Next was reported as "violation: The second argument of \div is 0.". */
  @Test
  void anEvaluationErrorIsAnErrorOfTheSpecAtItsLocationNotAViolation() throws Exception {
    Path next = model("DivNext", "---- MODULE DivNext ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\n"
        + "Next == x' = IF x = 2 THEN 1 \\div 0 ELSE x + 1\n====\n", "INIT Init\nNEXT Next\n");
    assertEquals(2, run("check", next.toString()));
    assertFalse(out.toString().contains("violation"), out::toString);
    assertTrue(out.toString().contains("the behaviour up to the error, 3 states"), out::toString);
    assertTrue(lastLine(err).endsWith("DivNext.tla:5:28: error: The second argument of \\div is 0."), err::toString);

    Path inv = model("DivInv", "---- MODULE DivInv ----\n" + CYCLE.replace("====", "Inv == 10 \\div (2 - x) >= 0\n===="),
        "INIT Init\nNEXT Next\nINVARIANT Inv\n");
    assertEquals(2, run("check", inv.toString()));
    assertFalse(out.toString().contains("violation"), out::toString);
    assertTrue(lastLine(err).endsWith("DivInv.tla:7:1: error: evaluating the invariant Inv failed: The second argument"
        + " of \\div is 0."), err::toString);
  }

  @Test
  void badUsageExitsTwoWithoutAStackTrace() {
    assertEquals(2, run("check", "no-such-spec"));
    assertEquals(2, run("check", "twophase", "--workers", "many"));
    assertEquals(2, run("check", "twophase", "--model", "NoSuchModel"));
    assertEquals(2, run("check"));
    assertEquals(2, run("frobnicate"));
    assertFalse(err.toString().contains("\tat "), err::toString);
    assertTrue(err.toString().matches("(?s).*no spec 'no-such-spec' \\(specs: [^)]*twophase[^)]*\\).*"), err::toString);
  }

  /** Regression: a missing specs folder was an internal error (an IOException). */
  @Test
  void aMissingSpecsFolderIsAUserError() {
    System.setProperty("spectrace.specs", tmp.resolve("nothing-here").toString());
    assertEquals(2, run("check", "--list"));
    assertTrue(err.toString().startsWith("error: no specs folder at "), err::toString);
  }

  @Test
  void everyCommandHasHelp() {
    assertEquals(0, run("--help"));
    assertEquals(0, run("check", "--help"));
    assertTrue(out.toString().contains("Usage: spectrace check"), out::toString);
  }

  @Test
  void allFailsWhenAResultDiffersFromTheManifest() throws Exception {
    Path copy = tmp.resolve("specs/twophase");
    Files.createDirectories(copy);
    Path original = Path.of(specs, "twophase");
    try (Stream<Path> files = Files.list(original)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path manifest = copy.resolve("manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"result\": \"ok\", \"distinct\": 395, \"depth\": 13", "\"result\": \"ok\", \"distinct\": 396, \"depth\": 13"));
    System.setProperty("spectrace.specs", tmp.resolve("specs").toString());
    assertEquals(1, run("check", "--all"));
    String o = out.toString();
    assertTrue(o.matches("(?s).*MCTwoPhaseBuggy +safety \\(ConsistencyInv\\) +safety \\(ConsistencyInv\\) .*"), o);
    assertTrue(o.contains("twophase / MCTwoPhase: distinct states 395, expected 396"), o);
  }

  @Test
  void allPassesOnARealManifest() throws Exception {
    // ManifestRegressionIT runs every CI model of every spec; here --all runs over a copy of
    // one spec folder, so the build does not run every model twice.
    Path copy = Files.createDirectories(tmp.resolve("specs/twophase"));
    try (Stream<Path> files = Files.list(Path.of(specs, "twophase"))) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    System.setProperty("spectrace.specs", tmp.resolve("specs").toString());
    // Regression: the table was printed at the end, once every model had run.
    List<Long> rowTimes = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    Writer timed = new Writer() {
      @Override
      public void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
          text.append(buf[i]);
          if (buf[i] == '\n' && text.toString().matches("(?s).*\\n?twophase  [^\\n]*\\n$")) {
            rowTimes.add(System.nanoTime());
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    assertEquals(0, Main.run(new PrintWriter(timed, true), new PrintWriter(err, true), "check", "--all"), text::toString);
    String o = text.toString();
    assertTrue(o.contains("every result matches its manifest"), o);
    assertTrue(o.contains("MCTwoPhaseBuggy"), o);
    assertTrue(rowTimes.size() >= 4, o);
    for (int i = 1; i < rowTimes.size(); i++) {
      // Each model runs TLC in a JVM of its own, which takes far more than 0.2 s.
      assertTrue(rowTimes.get(i) - rowTimes.get(i - 1) > 200_000_000L, "row " + (i + 1) + " came with row " + i + ":\n" + o);
    }
  }
}
