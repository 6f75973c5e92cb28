package spectrace.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLC runs on small specs written here, read back into verdicts. */
class TlcRunnerIT {

  @TempDir Path dir;

  private Verdict check(String module, String tla, String cfg) throws Exception {
    Files.writeString(dir.resolve(module + ".tla"), tla);
    Files.writeString(dir.resolve(module + ".cfg"), cfg);
    return new TlcRunner("1").check(dir, module, module + ".cfg", Progress.Listener.NONE);
  }

  private static final String COUNTER = """
      ---- MODULE Counter ----
      EXTENDS Naturals
      VARIABLE x, y
      Init == x = 0 /\\ y = "a"
      Inc == x < 5 /\\ x' = x + 1 /\\ UNCHANGED y
      Flip == y' = (IF y = "a" THEN "b" ELSE "a") /\\ UNCHANGED x
      Next == Inc \\/ Flip
      Small == x < 3
      ====
      """;

  @Test
  void aModelWithNoErrorIsOkWithItsCounts() throws Exception {
    Verdict v = check("Counter", COUNTER, "INIT Init\nNEXT Next\n");
    assertEquals(Verdict.Kind.OK, v.kind(), v.headline());
    assertEquals(12, v.distinct());
    assertEquals(0, v.exitCode());
    assertTrue(v.headline().startsWith("ok: 12 distinct states, depth "), v.headline());
  }

  @Test
  void anInvariantViolationNamesTheInvariantAndGivesTheBehaviour() throws Exception {
    Verdict v = check("Counter", COUNTER, "INIT Init\nNEXT Next\nINVARIANT Small\n");
    assertEquals(Verdict.Kind.SAFETY, v.kind());
    assertEquals("Small", v.property());
    assertEquals(1, v.exitCode());
    List<TraceStep> trace = v.counterexample();
    assertEquals(4, trace.size(), "BFS finds the shortest behaviour: x = 0, 1, 2, 3");
    assertEquals("Initial predicate", trace.get(0).action());
    assertEquals("Inc", trace.get(1).action());
    assertEquals("Counter.tla:5:8", trace.get(1).location());
    assertEquals("3", trace.get(3).variables().get("x"));
    assertEquals(List.of("x"), List.copyOf(trace.get(2).changedSince(trace.get(1)).keySet()));
  }

  /** Regression: TLC prints "x = 0", without "/\\ ", when a spec has one variable. */
  @Test
  void anActionPropertyViolationOfAOneVariableSpecKeepsItsValues() throws Exception {
    Verdict v = check("Mod", """
        ---- MODULE Mod ----
        EXTENDS Naturals
        VARIABLE x
        Init == x = 0
        Next == x' = (x + 1) % 3
        Rising == [][x' > x]_x
        ====
        """, "INIT Init\nNEXT Next\nPROPERTY Rising\n");
    assertEquals(Verdict.Kind.SAFETY, v.kind(), v.headline());
    assertEquals("Rising", v.property());
    List<TraceStep> trace = v.counterexample();
    assertEquals(List.of("0", "1", "2", "0"), trace.stream().map(s -> s.variables().get("x")).toList());
  }

  /**
   * A refinement is a conjunction (Init /\ [][Next]_v), and TLC gives its violated conjunct by
   * location only ("Action property line 6, col 21 to ... of module Abs is violated"): the
   * verdict names the property of the model whose definition holds it, as the manifest's
   * {@code property} expects (TwoPhase's TCRefinementProp, through an INSTANCE).
   */
  @Test
  void aViolatedRefinementNamesItsPropertyNotJustTheLocationTlcGives() throws Exception {
    Files.writeString(dir.resolve("Abs.tla"), """
        ---- MODULE Abs ----
        EXTENDS Naturals
        VARIABLE x
        AbsInit == x = 0
        AbsNext == x' = x + 1
        AbsSpec == AbsInit /\\ [][AbsNext]_x
        ====
        """);
    String impl = """
        ---- MODULE Impl ----
        EXTENDS Naturals
        VARIABLE x
        Init == x = 0
        Next == x < 4 /\\ x' = x + (IF x = 2 THEN 2 ELSE 1)
        Rising == [][x' > x]_x
        \\* Rising, and never by more than one: its conjuncts too are given by location.
        Steady == Rising /\\ [][x' <= x + 1]_x
        A == INSTANCE Abs
        RefinementProp == A!AbsSpec
        ====
        """;
    Verdict v = check("Impl", impl, "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nPROPERTIES Rising RefinementProp\n");
    assertEquals(Verdict.Kind.SAFETY, v.kind(), v.headline());
    assertEquals("RefinementProp", v.property(), v.headline());
    assertEquals("violation: Action property RefinementProp (its conjunct at Abs.tla:6:23) is violated.",
        v.headline());
    assertEquals(4, v.counterexample().size());

    Verdict steady = check("Impl", impl, "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nPROPERTY Steady\n");
    assertEquals("Steady", steady.property(), steady.headline());
  }

  @Test
  void aDeadlockIsReportedAsSuch() throws Exception {
    Verdict v = check("Counter", COUNTER.replace("Next == Inc \\/ Flip", "Next == Inc"), "INIT Init\nNEXT Next\n");
    assertEquals(Verdict.Kind.DEADLOCK, v.kind(), v.headline());
    assertEquals(6, v.counterexample().size());
  }

  @Test
  void aSyntaxErrorIsInvalidAndLocated() throws Exception {
    Verdict v = check("Broken", "---- MODULE Broken ----\nVARIABLE x\nInit == x = \nNext == x' = x\n====\n",
        "INIT Init\nNEXT Next\n");
    assertEquals(Verdict.Kind.INVALID, v.kind());
    assertEquals(2, v.exitCode());
    assertNotNull(v.location(), v.headline());
    assertTrue(v.location().matches(".*Broken\\.tla:\\d+:\\d+"), v.location());
    assertTrue(v.message().startsWith("parse error: Encountered"), v.message());
  }

  @Test
  void anUnknownIdentifierIsInvalidAndLocated() throws Exception {
    Verdict v = check("Unknown", "---- MODULE Unknown ----\nVARIABLE x\nInit == x = z\nNext == x' = x\n====\n",
        "INIT Init\nNEXT Next\n");
    assertEquals(Verdict.Kind.INVALID, v.kind());
    assertTrue(v.location().endsWith("Unknown.tla:3:13"), v.headline());
    assertTrue(v.message().contains("z"), v.message());
  }

  @Test
  void aConfigNamingAnUndefinedInvariantIsInvalid() throws Exception {
    Verdict v = check("Counter", COUNTER, "INIT Init\nNEXT Next\nINVARIANT NoSuchInv\n");
    assertEquals(Verdict.Kind.INVALID, v.kind(), v.headline());
    assertTrue(v.message().contains("NoSuchInv"), v.message());
  }

  @Test
  void progressIsReportedWhileTlcRuns() throws Exception {
    // About two seconds of search, so that the once-a-second reporter speaks.
    String big = """
        ---- MODULE Big ----
        EXTENDS Naturals
        VARIABLE a, b, c
        Init == a = 0 /\\ b = 0 /\\ c = 0
        Next == \\/ a < 150 /\\ a' = a + 1 /\\ UNCHANGED <<b, c>>
                \\/ b < 150 /\\ b' = b + 1 /\\ UNCHANGED <<a, c>>
                \\/ c < 40 /\\ c' = c + 1 /\\ UNCHANGED <<a, b>>
        ====
        """;
    Files.writeString(dir.resolve("Big.tla"), big);
    Files.writeString(dir.resolve("Big.cfg"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\n");
    AtomicInteger reports = new AtomicInteger();
    Verdict v = new TlcRunner("1").check(dir, "Big", "Big.cfg", p -> {
      assertTrue(p.distinct() >= 0 && p.generated() >= p.distinct(), p.toString());
      reports.incrementAndGet();
    });
    assertEquals(Verdict.Kind.OK, v.kind(), v.headline());
    assertEquals(151L * 151 * 41, v.distinct());
    assertTrue(reports.get() > 0 || v.seconds() < 1.5,
        "a run of " + v.seconds() + " s reported no progress");
  }
}
