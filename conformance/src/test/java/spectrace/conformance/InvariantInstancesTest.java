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
 * After a step that changes one node's element of a variable, the engine evaluates again only
 * the instances of an invariant {@code \A i \in Nodes : P(i)} that read that element; what an
 * instance reads is found through operators, their parameters, LET definitions and recursive
 * operators. Each invariant here is violated, by a step of node b, in an instance that a
 * careless reading would say does not read b's element: the instance for a, or a pair with a.
 */
class InvariantInstancesTest {

  @TempDir Path dir;
  private Path specs;

  @BeforeEach
  void spec() throws Exception {
    specs = dir.resolve("specs");
    Path inst = Files.createDirectories(specs.resolve("inst"));
    Files.writeString(inst.resolve("Inst.tla"), """
        ---- MODULE Inst ----
        EXTENDS Naturals, FiniteSets
        CONSTANT Nodes
        VARIABLES v, w
        Init == v = [n \\in Nodes |-> 0] /\\ w = [n \\in Nodes |-> 1]
        \\* A node adds one to its element of v, or of w.
        Bump(who) == v' = [v EXCEPT ![who] = @ + 1] /\\ UNCHANGED w
        BumpW(who) == w' = [w EXCEPT ![who] = @ + 1] /\\ UNCHANGED v
        Next == \\E n \\in Nodes : Bump(n) \\/ BumpW(n)
        \\* Pairs: an instance (i, j) reads v[i] and v[j].
        PairInv == \\A i, j \\in Nodes : i # j => v[i] + v[j] < 3
        \\* Through an operator's parameter, and a LET definition.
        Of(k) == v[k]
        ParamInv == \\A i \\in Nodes : \\A j \\in Nodes : LET s == Of(i) + Of(j) IN i # j => s < 3
        \\* Instance i reads every element of v: j is bound inside it, not by the family.
        CountInv == \\A i \\in Nodes : w[i] >= Cardinality({j \\in Nodes : v[j] > 0})
        \\* A recursive operator that passes its node on: instance i reads v[i] only.
        RECURSIVE Own(_, _)
        Own(i, k) == IF k = 0 THEN v[i] ELSE Own(i, k - 1)
        OwnInv == \\A i \\in Nodes : Own(i, 2) < 3
        \\* A recursive operator that passes another node: instance a reads v[b].
        RECURSIVE Chain(_, _)
        Chain(i, k) == IF k = 0 THEN v[i] ELSE Chain(IF i = "a" THEN "b" ELSE "a", k - 1)
        ChainInv == \\A i \\in Nodes : i = "a" => Chain(i, 1) < 2
        \\* A conjunction: each conjunct a part of its own.
        ConjInv == /\\ \\A i \\in Nodes : w[i] < 4
                   /\\ v["a"] + v["b"] < 4
        ====
        """);
  }

  private void conformance(String... invariants) throws Exception {
    Files.writeString(specs.resolve("inst/conformance.json"), """
        {"module": "Inst", "init": "Init", "next": "Next", "invariants": [%s],
         "network": null, "actors": {"Bump": {"param": "who"}, "BumpW": {"param": "who"}}}
        """.formatted("\"" + String.join("\", \"", invariants) + "\""));
  }

  /** A trace of steps "Action:node", one event each, that logs no variable. */
  private Path trace(String name, String... steps) throws Exception {
    StringBuilder b = new StringBuilder("{\"format\":\"spectrace-trace/2\",\"protocol\":\"inst\",\"module\":\"Inst\","
        + "\"constants\":{\"Nodes\":[\"a\",\"b\"]},\"nodes\":[\"a\",\"b\"],\"seed\":0,\"variables\":{}}\n");
    int a = 0;
    int bb = 0;
    for (int k = 0; k < steps.length; k++) {
      String[] s = steps[k].split(":");
      if (s[1].equals("a")) {
        a++;
      } else {
        bb++;
      }
      b.append("{\"seq\":").append(k).append(",\"time\":").append(k).append(",\"kind\":\"action\",\"node\":\"")
          .append(s[1]).append("\",\"action\":\"").append(s[0]).append("\",\"params\":{\"who\":\"").append(s[1])
          .append("\"},\"sent\":[],\"vars\":{},\"vc\":{\"a\":").append(a).append(",\"b\":").append(bb).append("}}\n");
    }
    return Files.writeString(dir.resolve(name + ".ndjson"), b);
  }

  private void violatedAt(Path trace, int line, String invariant) throws Exception {
    Validator.Result r = new Validator(specs).validate(List.of(trace), Validator.Progress.NONE);
    Divergence d = r.divergence();
    assertNotNull(d, "the trace conformed: the instance of " + invariant + " that the last step violates was not"
        + " evaluated");
    assertEquals(trace + ":" + line, d.where(), d.toString());
    assertTrue(d.reason().contains("invariant " + invariant + " is violated"), d.toString());
  }

  @Test
  void aPairWithTheChangedNodeIsEvaluated() throws Exception {
    conformance("PairInv");
    violatedAt(trace("pair", "Bump:a", "Bump:a", "BumpW:a", "Bump:b"), 5, "PairInv");
  }

  @Test
  void aNodePassedThroughParametersAndLetIsFollowed() throws Exception {
    conformance("ParamInv");
    violatedAt(trace("param", "Bump:a", "Bump:a", "Bump:b"), 4, "ParamInv");
  }

  @Test
  void anInstanceThatReadsEveryElementIsEvaluatedAfterAnyChange() throws Exception {
    conformance("CountInv");
    violatedAt(trace("count", "Bump:a", "BumpW:b", "Bump:b"), 4, "CountInv");
  }

  @Test
  void aRecursiveOperatorThatKeepsItsNodeReadsOnlyThatNode() throws Exception {
    conformance("OwnInv");
    violatedAt(trace("own", "Bump:b", "Bump:a", "Bump:a", "Bump:a"), 5, "OwnInv");
  }

  @Test
  void aRecursiveOperatorThatPassesAnotherNodeIsReadWhole() throws Exception {
    conformance("ChainInv");
    violatedAt(trace("chain", "Bump:a", "Bump:b", "Bump:b"), 4, "ChainInv");
  }

  @Test
  void eachConjunctIsEvaluatedAfterAChangeToWhatItReads() throws Exception {
    conformance("ConjInv");
    violatedAt(trace("conj", "BumpW:a", "Bump:a", "Bump:a", "BumpW:b", "Bump:b", "Bump:b"), 7, "ConjInv");
  }

  @Test
  void stepsThatKeepEveryInstanceConform() throws Exception {
    conformance("PairInv", "ParamInv", "CountInv", "OwnInv", "ChainInv", "ConjInv");
    Validator.Result r = new Validator(specs).validate(List.of(trace("ok", "Bump:a", "BumpW:b", "BumpW:a")),
        Validator.Progress.NONE);
    assertNull(r.divergence(), String.valueOf(r.divergence()));
  }
}
