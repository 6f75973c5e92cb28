package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine evaluates an invariant again only after a step that changes a variable it reads;
 * the variables it reads are found through the ways TLA+ has of reaching one: the definition
 * of an operator it applies, an operator passed as an argument, a module instance whose
 * variable is substituted. Each invariant here is violated by a step that changes its
 * variable alone, after steps that change only the others: a variable the engine failed to
 * see would let that violation pass.
 */
class InvariantDependenciesTest {

  @TempDir Path dir;
  private Path specs;

  @BeforeEach
  void spec() throws Exception {
    specs = dir.resolve("specs");
    Path dep = Files.createDirectories(specs.resolve("dep"));
    Files.writeString(dep.resolve("Dep.tla"), """
        ---- MODULE Dep ----
        EXTENDS Naturals
        VARIABLES x, y, z
        Init == x = 0 /\\ y = 0 /\\ z = 0
        \\* A node adds one to one of the variables.
        BumpX(who) == x' = x + 1 /\\ UNCHANGED <<y, z>> /\\ who = "a"
        BumpY(who) == y' = y + 1 /\\ UNCHANGED <<x, z>> /\\ who = "a"
        BumpZ(who) == z' = z + 1 /\\ UNCHANGED <<x, y>> /\\ who = "a"
        Next == \\E w \\in {"a"} : BumpX(w) \\/ BumpY(w) \\/ BumpZ(w)
        \\* An operator that applies its operator argument.
        Apply(F(_), v) == F(v)
        \\* x is small.
        SmallX == x < 2
        \\* y is small, once n is added to it.
        SmallY(n) == n + y < 3
        \\* x, through the definition of an operator.
        XInv == SmallX
        \\* y, through an operator passed as an argument (y appears nowhere else).
        YInv == Apply(SmallY, 1)
        \\* z, through an instance whose variable it substitutes.
        Z == INSTANCE DepBound WITH value <- z
        ZInv == Z!Bounded
        ====
        """);
    Files.writeString(dep.resolve("DepBound.tla"), """
        ---- MODULE DepBound ----
        EXTENDS Naturals
        VARIABLE value
        \\* value is small.
        Bounded == value < 2
        ====
        """);
    Files.writeString(dep.resolve("conformance.json"), """
        {"module": "Dep", "init": "Init", "next": "Next", "invariants": ["XInv", "YInv", "ZInv"],
         "network": null, "actors": {"BumpX": {"param": "who"}, "BumpY": {"param": "who"},
         "BumpZ": {"param": "who"}}}
        """);
  }

  /** A trace of the actions named, one event each, that logs no variable. */
  private Path trace(String name, String... actions) throws Exception {
    StringBuilder b = new StringBuilder("{\"format\":\"spectrace-trace/2\",\"protocol\":\"dep\",\"module\":\"Dep\","
        + "\"constants\":{},\"nodes\":[\"a\"],\"seed\":0,\"variables\":{}}\n");
    for (int k = 0; k < actions.length; k++) {
      b.append("{\"seq\":").append(k).append(",\"time\":").append(k).append(",\"kind\":\"action\",\"node\":\"a\",")
          .append("\"action\":\"").append(actions[k]).append("\",\"params\":{\"who\":\"a\"},\"sent\":[],\"vars\":{},")
          .append("\"vc\":{\"a\":").append(k + 1).append("}}\n");
    }
    return Files.writeString(dir.resolve(name + ".ndjson"), b);
  }

  private void violatedAt(Path trace, int line, String invariant) throws Exception {
    Validator.Result r = new Validator(specs).validate(List.of(trace), Validator.Progress.NONE);
    Divergence d = r.divergence();
    assertNotNull(d, "the trace conformed: " + invariant + " was not evaluated after the step that violates it");
    assertEquals(trace + ":" + line, d.where(), d.toString());
    assertTrue(d.reason().contains("invariant " + invariant + " is violated"), d.toString());
  }

  @Test
  void aVariableReadThroughADefinitionIsSeen() throws Exception {
    violatedAt(trace("x", "BumpY", "BumpX", "BumpZ", "BumpX"), 5, "XInv");
  }

  @Test
  void aVariableReadThroughAnOperatorArgumentIsSeen() throws Exception {
    violatedAt(trace("y", "BumpX", "BumpY", "BumpZ", "BumpY"), 5, "YInv");
  }

  @Test
  void aVariableReadThroughAnInstanceIsSeen() throws Exception {
    violatedAt(trace("z", "BumpX", "BumpZ", "BumpY", "BumpZ"), 5, "ZInv");
  }

  @Test
  void stepsThatKeepEveryInvariantConform() throws Exception {
    Validator.Result r = new Validator(specs).validate(List.of(trace("ok", "BumpX", "BumpY", "BumpZ")),
        Validator.Progress.NONE);
    assertNull(r.divergence(), String.valueOf(r.divergence()));
  }
}
