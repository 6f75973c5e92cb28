package spectrace.protocols.twophase;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import spectrace.core.Mutant;
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/**
 * The mutants of two-phase commit: each one changes what the implementation does (its traces
 * differ from the correct implementation's for the same seed, in some seeds), and in some
 * seeds its trace shows the step TwoPhase.tla cannot take, logged under the spec's own names
 * (so the re-annotated action methods of the mutants are woven and emit their events). The
 * correct implementation replays itself byte for byte and never shows such a step.
 */
class TwoPhaseMutantTest {

  private static final int SEEDS = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The correct implementation's trace for each seed. */
  private static byte[][] correct;

  private static SimConfig config(long seed) {
    return new SimConfig(seed, 4, 5_000, new TwoPhase().model().faults(), false, false, SimConfig.Rates.DEFAULT);
  }

  private static byte[] trace(Protocol<?> protocol, long seed) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      new Simulator(protocol, config(seed), w).run();
    }
    return out.toByteArray();
  }

  @BeforeAll
  static void runTheCorrectImplementation() throws Exception {
    correct = new byte[SEEDS][];
    for (int seed = 0; seed < SEEDS; seed++) {
      correct[seed] = trace(Protocols.get("twophase", null), seed);
    }
  }

  @Test
  void theCorrectImplementationNeverDiffersFromItselfNorStepsOutsideTheSpec() throws Exception {
    for (int seed = 0; seed < SEEDS; seed++) {
      assertArrayEquals(correct[seed], trace(new TwoPhase(), seed), "seed " + seed + " replayed differently");
      for (Mutant<TwoPhaseMessage> m : TwoPhaseMutants.ALL) {
        String w = witness(m, correct[seed]);
        assertNull(w, "the correct implementation, seed " + seed + ", shows " + m.name() + "'s step: " + w);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyMutantChangesBehaviourAndStepsOutsideTheSpec() {
    return TwoPhaseMutants.ALL.stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
      int differ = 0;
      List<Integer> witnessed = new ArrayList<>();
      String example = null;
      for (int seed = 0; seed < SEEDS; seed++) {
        byte[] t = trace(Protocols.get("twophase", m.name()), seed);
        if (!java.util.Arrays.equals(t, correct[seed])) {
          differ++;
        }
        String w = witness(m, t);
        if (w != null) {
          witnessed.add(seed);
          if (example == null) {
            example = "seed " + seed + ": " + w;
          }
        }
        if (seed < 20) {
          assertArrayEquals(t, trace(m.applyTo(new TwoPhase()), seed), m.name() + ", seed " + seed + ": a mutant replays too");
        }
      }
      System.out.printf("%s: differs from the correct implementation in %d of %d seeds; spec-impossible step in %d"
          + " (first: %s)%n", m.name(), differ, SEEDS, witnessed.size(), example);
      assertTrue(differ > 0, m.name() + " never changed a trace in " + SEEDS + " seeds");
      assertFalse(witnessed.isEmpty(), m.name() + " never showed its spec-impossible step in " + SEEDS + " seeds");
    }));
  }

  @Test
  void aMutantRunsReplayCommandNamesTheMutant() {
    for (String name : Protocols.mutants("twophase")) {
      Simulator sim = new Simulator(Protocols.get("twophase", name), config(5), null);
      sim.run();
      assertTrue(sim.replayCommand().startsWith("./spectrace simulate twophase --seed 5 "), sim.replayCommand());
      assertTrue(sim.replayCommand().endsWith(" --mutant " + name), sim.replayCommand());
    }
    Simulator plain = new Simulator(Protocols.get("twophase", null), config(5), null);
    assertFalse(plain.replayCommand().contains("--mutant"), plain.replayCommand());
  }

  @Test
  void theRegistryNamesTheMutantsAndRefusesUnknownOnes() {
    List<String> names = Protocols.mutants("twophase");
    assertTrue(names.containsAll(List.of("tm-commits-early", "rm-commits-alone", "tm-forgets-decision",
        "tm-commits-without-logging-votes", "rm-aborts-after-prepare", "tm-decides-twice")), names::toString);
    assertEquals(TwoPhaseMutants.ALL.stream().map(Mutant::name).toList(), names);
    for (String name : names) {
      Protocol<?> p = Protocols.get("twophase", name);
      assertEquals("twophase", p.name(), "the trace header names the spec's folder");
      assertEquals("TwoPhase", p.specModule());
      assertEquals(name, p.variant());
      assertFalse(Protocols.mutant("twophase", name).description().isBlank());
    }
    assertNull(Protocols.get("twophase", null).variant());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocols.get("twophase", "gremlin"));
    assertTrue(e.getMessage().startsWith("unknown mutant 'gremlin' of twophase (mutants: tm-commits-early, "), e::getMessage);
    assertFalse(e.getMessage().contains("\n"));
    assertThrows(IllegalArgumentException.class, () -> Protocols.get("raft", "tm-commits-early"));
  }

  // ---- What each mutant does that TwoPhase.tla cannot --------------------------------------

  /**
   * The first event of {@code trace} that shows the step {@code m} gets wrong, described, or
   * null. Not a validator: each check knows only its own mutant's lie, from the events' logged
   * variables and messages (the conformance engine checks whole traces against the spec).
   */
  private static String witness(Mutant<?> m, byte[] trace) throws Exception {
    String[] lines = new String(trace, StandardCharsets.UTF_8).split("\n");
    JsonNode header = JSON.readTree(lines[0]);
    Set<String> allRms = new TreeSet<>();
    header.get("constants").get("RM").forEach(rm -> allRms.add(rm.asText()));
    Set<String> sentTypes = new HashSet<>();
    String tmState = "init";
    Map<String, String> rmState = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      JsonNode e = JSON.readTree(lines[i]);
      if (!e.get("kind").asText().equals("action")) {
        continue;
      }
      String action = e.get("action").asText();
      String node = e.get("node").asText();
      JsonNode vars = e.get("vars");
      Set<String> prepared = new TreeSet<>();
      if (vars.has("tmPrepared")) {
        vars.get("tmPrepared").forEach(rm -> prepared.add(rm.asText()));
      }
      String at = "event " + e.get("seq").asLong() + " " + node + " " + action;
      String seen = switch (m.name()) {
        case "tm-commits-early", "tm-commits-without-logging-votes", "tm-counts-duplicate-votes", "tm-presumes-commit" ->
            action.equals("TMCommit") && !prepared.equals(allRms) ? at + " with tmPrepared " + prepared : null;
        case "rm-commits-alone" ->
            action.equals("RMRcvCommitMsg") && !sentTypes.contains("Commit") ? at + " with no Commit sent" : null;
        case "tm-forgets-decision" -> action.equals("TMRecover") && !tmState.equals("init")
            && vars.get("tmState").asText().equals("init") ? at + " undecided after deciding " + tmState : null;
        case "rm-aborts-after-prepare" ->
            action.equals("RMChooseToAbort") && "prepared".equals(rmState.get(node)) ? at + " after RMPrepare" : null;
        case "tm-decides-twice" -> (action.equals("TMCommit") || action.equals("TMAbort")
            || action.equals("TMRcvPrepared")) && !tmState.equals("init") ? at + " after deciding " + tmState : null;
        case "rm-aborts-but-votes-yes" ->
            action.equals("RMChooseToAbort") && !e.get("sent").isEmpty() ? at + " sending " + e.get("sent") : null;
        default -> throw new AssertionError("no witness for the mutant " + m.name() + ": add one");
      };
      if (seen != null) {
        return seen;
      }
      e.get("sent").forEach(s -> sentTypes.add(s.get("msg").get("type").asText()));
      if (vars.has("tmState")) {
        tmState = vars.get("tmState").asText();
      }
      if (vars.has("rmState")) {
        rmState.put(node, vars.get("rmState").get(node).asText());
      }
    }
    return null;
  }
}
