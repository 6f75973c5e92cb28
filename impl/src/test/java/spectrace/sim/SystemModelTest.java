package spectrace.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import spectrace.core.Adversary;
import spectrace.core.Fault;
import spectrace.core.SystemModel;
import spectrace.core.SystemModel.Failure;
import spectrace.core.SystemModel.Links;
import spectrace.core.SystemModel.Timing;

/**
 * The typed system model: a model refuses faults its links, processes or timing cannot have;
 * the simulator's injection follows it (recovery with or without durable state, Byzantine
 * nodes up to the bound, forgery defeated by authenticated links).
 */
class SystemModelTest {

  private static SystemModel model(Links links, Set<Failure> failures, Timing timing, Set<Fault> faults, int f) {
    return new SystemModel("test", links, failures, timing, faults, id -> true, f);
  }

  private static String refusal(Links links, Set<Failure> failures, Timing timing, Fault fault) {
    return assertThrows(IllegalArgumentException.class,
        () -> model(links, failures, timing, EnumSet.of(fault), 1)).getMessage();
  }

  @Test
  void aModelRefusesEveryFaultItsLinksProcessesOrTimingCannotHave() {
    Set<Failure> crashStop = EnumSet.of(Failure.CRASH_STOP);
    assertTrue(refusal(Links.perfect(), crashStop, Timing.ASYNCHRONOUS, Fault.LOSS).contains("fair-loss links"));
    assertTrue(refusal(Links.reliable(), crashStop, Timing.ASYNCHRONOUS, Fault.LOSS).contains("fair-loss links"));
    assertTrue(refusal(Links.perfect(), crashStop, Timing.ASYNCHRONOUS, Fault.DUPLICATE).contains("duplicate"));
    assertTrue(refusal(Links.perfect(), crashStop, Timing.SYNCHRONOUS, Fault.DELAY).contains("synchronous"));
    assertTrue(refusal(Links.perfect(), crashStop, Timing.SYNCHRONOUS, Fault.PARTITION).contains("synchronous"));
    assertTrue(refusal(Links.perfect(), crashStop, Timing.ASYNCHRONOUS, Fault.CRASH_RECOVERY).contains("recover"));
    assertTrue(refusal(Links.perfect(), EnumSet.of(Failure.CRASH_RECOVERY), Timing.ASYNCHRONOUS, Fault.CRASH_STOP)
        .contains("crash-stop"));
    assertTrue(refusal(Links.perfect(), crashStop, Timing.ASYNCHRONOUS, Fault.FAIL_STOP).contains("fail-stop"));
    assertTrue(refusal(Links.perfect(), Set.of(), Timing.ASYNCHRONOUS, Fault.SENDER_CRASH_LOSS).contains("crash"));
    assertTrue(refusal(Links.perfect(), crashStop, Timing.ASYNCHRONOUS, Fault.BYZANTINE).contains("Byzantine"));
    String zero = assertThrows(IllegalArgumentException.class, () -> model(Links.perfect(),
        EnumSet.of(Failure.BYZANTINE), Timing.ASYNCHRONOUS, EnumSet.of(Fault.BYZANTINE), 0)).getMessage();
    assertTrue(zero.contains("at least one"), zero);
    // And what the model can have, it takes.
    SystemModel ok = model(Links.fairLoss().authenticate(), EnumSet.of(Failure.CRASH_AMNESIA, Failure.BYZANTINE),
        Timing.PARTIALLY_SYNCHRONOUS, EnumSet.of(Fault.LOSS, Fault.DUPLICATE, Fault.CRASH_RECOVERY, Fault.BYZANTINE), 1);
    assertTrue(ok.lossyLinks());
    assertTrue(ok.recoversWithoutState());
    assertEquals("authenticated fair-loss links", ok.links().toString());
  }

  @Test
  void theSimulatorRefusesAFaultTheModelDoesNotAllow() {
    Chatter chatter = new Chatter(model(Links.perfect(), EnumSet.of(Failure.CRASH_STOP), Timing.ASYNCHRONOUS,
        EnumSet.of(Fault.CRASH_STOP), 1));
    String m = assertThrows(IllegalArgumentException.class, () -> new Simulator(chatter,
        new SimConfig(1, 3, 1_000, EnumSet.of(Fault.BYZANTINE), true, false, SimConfig.Rates.DEFAULT), null))
        .getMessage();
    assertTrue(m.contains("does not allow the fault 'byzantine'"), m);
  }

  /** The log lines of recoveries, in a crash-recovery run of Chatter in {@code model}. */
  private static List<String> recoveries(SystemModel model, long seed) {
    Chatter chatter = new Chatter(model);
    SimConfig.Rates rates = new SimConfig.Rates(0.0, 0.0, 0.0, 0.0, 0.2, 0.0, 1, 0, 50, 5, 20, 20);
    new Simulator(chatter, new SimConfig(seed, 3, 2_000, EnumSet.of(Fault.CRASH_RECOVERY), true, false, rates), null)
        .run();
    return chatter.log.stream().filter(l -> l.contains("recovered")).toList();
  }

  @Test
  void crashRecoveryKeepsDurableStateAndCrashAmnesiaLosesIt() {
    SystemModel durable = model(Links.reliable(), EnumSet.of(Failure.CRASH_RECOVERY), Timing.ASYNCHRONOUS,
        EnumSet.of(Fault.CRASH_RECOVERY), 1);
    SystemModel amnesia = model(Links.reliable(), EnumSet.of(Failure.CRASH_AMNESIA), Timing.ASYNCHRONOUS,
        EnumSet.of(Fault.CRASH_RECOVERY), 1);
    for (long seed = 1; seed <= 5; seed++) {
      List<String> kept = recoveries(durable, seed);
      List<String> lost = recoveries(amnesia, seed);
      assertFalse(kept.isEmpty(), "seed " + seed + ": no recovery in the run");
      assertFalse(lost.isEmpty(), "seed " + seed + ": no recovery in the run");
      assertTrue(kept.stream().anyMatch(l -> !l.contains("sent=null")),
          "seed " + seed + ": durable state survives a crash-recovery: " + kept);
      assertTrue(lost.stream().allMatch(l -> l.contains("sent=null received=null")),
          "seed " + seed + ": nothing survives a crash-amnesia: " + lost);
    }
  }

  private static Chatter byzantineRun(Links links, long seed, TreeMap<String, Long> faultsOut) {
    SystemModel m = model(links, EnumSet.of(Failure.BYZANTINE), Timing.ASYNCHRONOUS, EnumSet.of(Fault.BYZANTINE), 1);
    Chatter chatter = new Chatter(m) {
      @Override
      public List<Adversary> adversaries() {
        return List.of(Adversary.FORGE);
      }
    };
    RunResult r = new Simulator(chatter, new SimConfig(seed, 4, 5_000, EnumSet.of(Fault.BYZANTINE), false, true,
        SimConfig.Rates.DEFAULT), null).run();
    faultsOut.putAll(r.faults());
    return chatter;
  }

  @Test
  void authenticatedLinksRejectEveryForgeryAndUnauthenticatedOnesLetItThrough() {
    long forgedAccepted = 0;
    for (long seed = 1; seed <= 10; seed++) {
      TreeMap<String, Long> faults = new TreeMap<>();
      Chatter auth = byzantineRun(Links.perfect().authenticate(), seed, faults);
      assertEquals(1L, faults.get("byzantine-node"), "seed " + seed + ": f = 1 Byzantine node");
      assertTrue(faults.getOrDefault("forgery-rejected", 0L) > 0, "seed " + seed + ": the adversary forged: " + faults);
      assertTrue(auth.log.stream().noneMatch(l -> l.contains(" as from ")),
          "seed " + seed + ": a forged message got through authenticated links");
      Chatter open = byzantineRun(Links.perfect(), seed, new TreeMap<>());
      forgedAccepted += open.log.stream().filter(l -> l.contains(" as from ")).count();
    }
    assertTrue(forgedAccepted > 0, "on unauthenticated links a forgery is taken for its claimed sender");
  }

  @Test
  void aRunChoosesItsByzantineNodesAndTheirAdversariesFromItsSeed() {
    SystemModel m = model(Links.perfect().authenticate(), EnumSet.of(Failure.BYZANTINE), Timing.ASYNCHRONOUS,
        EnumSet.of(Fault.BYZANTINE), 2);
    java.util.Set<String> chosen = new java.util.TreeSet<>();
    for (long seed = 1; seed <= 30; seed++) {
      TreeMap<String, Long> first = null;
      for (int again = 0; again < 2; again++) {
        RunResult r = new Simulator(new Chatter(m), new SimConfig(seed, 7, 3_000, EnumSet.of(Fault.BYZANTINE), false,
            true, SimConfig.Rates.DEFAULT), null).run();
        long n = r.faults().get("byzantine-node");
        assertTrue(n >= 1 && n <= 2, "seed " + seed + ": " + n + " Byzantine nodes, bound 2");
        if (first == null) {
          first = new TreeMap<>(r.faults());
        } else {
          assertEquals(first, r.faults(), "seed " + seed + " replays");
        }
      }
      first.keySet().stream().filter(k -> k.startsWith("byzantine-node-")).forEach(chosen::add);
    }
    assertEquals(Adversary.GENERIC.size(), chosen.size(), "every generic adversary chosen by some seed: " + chosen);
    assertNotEquals(0, chosen.size());
  }

  /**
   * A run told how many nodes are Byzantine makes exactly that many, whatever the seed, and its
   * replay command says so; a count above the model's bound, or without the fault, is refused.
   */
  @Test
  void aSetNumberOfByzantineNodesIsMadeExactlyAndRefusedPastTheBound() {
    SystemModel m = model(Links.perfect().authenticate(), EnumSet.of(Failure.BYZANTINE), Timing.ASYNCHRONOUS,
        EnumSet.of(Fault.BYZANTINE), 2);
    SimConfig.Rates rates = SimConfig.Rates.DEFAULT;
    java.util.Set<Long> drawn = new java.util.TreeSet<>();
    for (long seed = 1; seed <= 20; seed++) {
      SimConfig cfg = new SimConfig(seed, 7, 2_000, EnumSet.of(Fault.BYZANTINE), false, true, rates);
      for (int count = 1; count <= 2; count++) {
        Simulator sim = new Simulator(new Chatter(m), cfg, null).byzantine(count);
        assertEquals(count, sim.run().faults().get("byzantine-node"), "seed " + seed + ", --byzantine " + count);
        assertTrue(sim.replayCommand().endsWith(" --byzantine " + count), sim.replayCommand());
      }
      drawn.add(new Simulator(new Chatter(m), cfg, null).run().faults().get("byzantine-node"));
    }
    assertEquals(Set.of(1L, 2L), drawn, "without a count, the seed draws it");
    SimConfig seven = new SimConfig(1, 7, 2_000, EnumSet.of(Fault.BYZANTINE), false, true, rates);
    String over = assertThrows(IllegalArgumentException.class,
        () -> new Simulator(new Chatter(m), seven, null).byzantine(3)).getMessage();
    assertEquals("chatter on 7 nodes has at most 2 Byzantine nodes, not 3", over);
    SimConfig none = new SimConfig(1, 7, 2_000, EnumSet.noneOf(Fault.class), false, true, rates);
    String without = assertThrows(IllegalArgumentException.class,
        () -> new Simulator(new Chatter(m), none, null).byzantine(1)).getMessage();
    assertTrue(without.contains("need the fault 'byzantine'"), without);
  }
}
