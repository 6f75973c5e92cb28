package spectrace.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import spectrace.core.Fault;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.trace.TraceWriter;

/**
 * Each fault of the menu, injected alone (or with what it needs) into {@link Chatter}, does
 * what its name says, and nothing is injected that was not asked for.
 */
class FaultMenuTest {

  private static final Pattern GOT = Pattern.compile("^(\\S+) got (\\S+)#(\\d+)$");
  private static final int NODES = 4;
  private static final int SENT = NODES * (NODES - 1) * Chatter.PINGS;

  private record Run(Chatter protocol, RunResult result, String trace) {
    List<String[]> received() {
      List<String[]> out = new ArrayList<>();
      for (String line : protocol.log) {
        Matcher m = GOT.matcher(line);
        if (m.matches()) {
          out.add(new String[] {m.group(1), m.group(2), m.group(3)});
        }
      }
      return out;
    }
  }

  private static Run run(long seed, boolean lossy, Set<Fault> faults) {
    return run(seed, lossy, faults, true);
  }

  private static Run run(long seed, boolean lossy, Set<Fault> faults, boolean traced) {
    Chatter c = new Chatter(lossy);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TraceWriter w = traced ? new TraceWriter(bytes) : null;
    RunResult r = new Simulator(c, new SimConfig(seed, NODES, 100_000, faults, false, false, SimConfig.Rates.DEFAULT), w).run();
    return new Run(c, r, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void withNoFaultEveryPingArrivesOnceAndEveryLinkIsFifo() {
    for (long seed = 0; seed < 20; seed++) {
      Run run = run(seed, true, EnumSet.noneOf(Fault.class));
      List<String[]> got = run.received();
      assertEquals(SENT, got.size(), "seed " + seed);
      assertEquals(SENT, new HashSet<>(got.stream().map(g -> String.join(" ", g)).toList()).size());
      assertTrue(run.result().faults().isEmpty(), "seed " + seed + " injected " + run.result().faults());
      Map<String, Integer> last = new HashMap<>();
      for (String[] g : got) {
        int k = Integer.parseInt(g[2]);
        Integer before = last.put(g[0] + "<" + g[1], k);
        assertTrue(before == null || before < k, "seed " + seed + ": link " + g[1] + "->" + g[0] + " reordered");
      }
    }
  }

  @Test
  void lossDropsExactlyTheMessagesItCounts() {
    Run run = run(3, true, EnumSet.of(Fault.LOSS));
    long lost = run.result().faults("loss");
    assertTrue(lost > 0, "no message lost");
    assertEquals(SENT - lost, run.received().size());
  }

  @Test
  void duplicationDeliversSomeMessagesTwice() {
    Run run = run(4, false, EnumSet.of(Fault.DUPLICATE));
    long dups = run.result().faults("duplicate");
    assertTrue(dups > 0);
    assertEquals(SENT + dups, run.received().size());
  }

  @Test
  void reorderingLetsMessagesOvertakeOnALink() {
    Run run = run(5, false, EnumSet.of(Fault.REORDER));
    Map<String, Integer> last = new HashMap<>();
    int overtaken = 0;
    for (String[] g : run.received()) {
      int k = Integer.parseInt(g[2]);
      Integer before = last.put(g[0] + "<" + g[1], k);
      if (before != null && before > k) {
        overtaken++;
      }
    }
    assertTrue(overtaken > 0, "no message overtook another");
    assertEquals(SENT, run.received().size());
  }

  @Test
  void delayHoldsMessagesBackLongerThanTheLongDelay() {
    Run run = run(6, false, EnumSet.of(Fault.DELAY));
    assertTrue(run.result().faults("delay") > 0);
    assertEquals(SENT, run.received().size());
    // A delayed message arrives at least longDelay ticks after it was sent.
    assertTrue(run.result().endTime() > SimConfig.Rates.DEFAULT.longDelay());
  }

  @Test
  void aPartitionHoldsMessagesUntilTheHealOnReliableLinks() {
    boolean sawOne = false;
    for (long seed = 0; seed < 10; seed++) {
      Run run = run(seed, false, EnumSet.of(Fault.PARTITION));
      assertEquals(SENT, run.received().size(), "seed " + seed + ": reliable links lost a message");
      if (run.result().faults("partition") > 0) {
        sawOne = true;
        assertNoReceiptAcrossThePartition(run.trace());
      }
    }
    assertTrue(sawOne, "no partition in 10 seeds");
  }

  @Test
  void everyLinkStaysFifoAcrossPartitionsAndHealsWithoutReordering() {
    int held = 0;
    for (long seed = 0; seed < 40; seed++) {
      Run run = run(seed, false, EnumSet.of(Fault.PARTITION, Fault.DELAY));
      held += run.result().faults("partition");
      Map<String, Integer> last = new HashMap<>();
      for (String[] g : run.received()) {
        int k = Integer.parseInt(g[2]);
        Integer before = last.put(g[0] + "<" + g[1], k);
        assertTrue(before == null || before < k, "seed " + seed + ": link " + g[1] + "->" + g[0] + " reordered"
            + " across a partition: #" + before + " before #" + k);
      }
    }
    assertTrue(held > 0, "no partition in 40 seeds");
  }

  @Test
  void aPartitionLosesMessagesOnLossyLinks() {
    long lost = 0;
    for (long seed = 0; seed < 10; seed++) {
      lost += run(seed, true, EnumSet.of(Fault.PARTITION)).result().faults("partition-loss");
    }
    assertTrue(lost > 0);
  }

  /** Between a partition and its heal, no node receives from the other side. */
  private static void assertNoReceiptAcrossThePartition(String trace) {
    Set<String> side = null;
    for (String line : trace.split("\n")) {
      if (line.contains("\"fault\":\"partition\"")) {
        side = new HashSet<>();
        Matcher m = Pattern.compile("\"(n\\d+)\"").matcher(line.substring(line.indexOf("\"side\"")));
        while (m.find()) {
          side.add(m.group(1));
        }
      } else if (line.contains("\"fault\":\"heal\"")) {
        side = null;
      } else if (side != null && line.contains("\"recv\"")) {
        String node = field(line, "node");
        String from = field(line.substring(line.indexOf("\"recv\"")), "from");
        assertEquals(side.contains(node), side.contains(from), "received across the partition: " + line);
      }
    }
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return m.group(1);
  }

  /** The first run from seed 0 on in which {@code fault} struck. */
  private static Run firstWith(String fault, Set<Fault> faults) {
    for (long seed = 0; seed < 50; seed++) {
      Run run = run(seed, false, faults);
      if (run.result().faults(fault) > 0) {
        return run;
      }
    }
    throw new AssertionError("no " + fault + " in 50 seeds");
  }

  @Test
  void aCrashStoppedNodeNeverActsAgain() {
    Run run = firstWith("crash-stop", EnumSet.of(Fault.CRASH_STOP));
    Set<String> crashed = new HashSet<>();
    for (String line : run.trace().split("\n")) {
      if (line.contains("\"fault\":\"crash-stop\"")) {
        crashed.add(field(line, "node"));
      } else if (line.contains("\"kind\":\"action\"")) {
        assertFalse(crashed.contains(field(line, "node")), "a crashed node acted: " + line);
      }
    }
    assertTrue(run.protocol().log.stream().noneMatch(l -> l.contains("recovered")));
  }

  /**
   * Untraced, a step's durable writes that no effect depends on may stay unflushed, and a crash
   * may lose them; what is flushed survives.
   */
  @Test
  void crashRecoveryKeepsDurableStateAndLosesVolatileState() {
    int recoveries = 0;
    long unflushedLost = 0;
    for (long seed = 0; seed < 10; seed++) {
      Run run = run(seed, false, EnumSet.of(Fault.CRASH_RECOVERY), false);
      unflushedLost += run.result().faults("unflushed-writes-lost");
      for (String line : run.protocol().log) {
        if (line.contains("recovered")) {
          recoveries++;
          assertTrue(line.endsWith("volatile=0"), line);
        }
      }
      // "sent" is flushed before the pings that depend on it leave, so a recovered node
      // never sends a number twice: no ping arrives twice (there is no duplication here).
      List<String> got = run.received().stream().map(g -> String.join(" ", g)).toList();
      assertEquals(got.size(), new HashSet<>(got).size(), "seed " + seed + ": a ping was sent twice");
    }
    assertTrue(recoveries > 0, "no recovery in 10 seeds");
    assertTrue(unflushedLost > 0, "no unflushed write was ever lost");
  }

  /**
   * Traced, a step whose spec actions wrote durable state flushes it with the trace's mark,
   * even when it sends nothing: its events claim that state, and a crash must keep it.
   */
  @Test
  void aTracedStepsDurableWritesSurviveACrash() {
    long crashes = 0;
    for (long seed = 0; seed < 10; seed++) {
      Run run = run(seed, false, EnumSet.of(Fault.CRASH_RECOVERY));
      crashes += run.result().faults("crash-recovery");
      assertEquals(0, run.result().faults("unflushed-writes-lost"), "seed " + seed + ": a traced write was lost");
    }
    assertTrue(crashes > 0, "no crash in 10 seeds");
  }

  @Test
  void failStopNotifiesEveryLiveNodeOfEachCrash() {
    Run run = firstWith("crash-stop", EnumSet.of(Fault.FAIL_STOP));
    Set<String> crashed = new HashSet<>();
    for (String line : run.trace().split("\n")) {
      if (line.contains("\"fault\":\"crash-stop\"")) {
        crashed.add(field(line, "node"));
      }
    }
    for (String c : crashed) {
      long told = run.protocol().log.stream().filter(l -> l.endsWith(" suspects " + c)).count();
      assertTrue(told >= 1, "nobody was told of " + c);
      assertTrue(told <= NODES - 1);
    }
  }

  @Test
  void aFaultTheSystemModelForbidsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Simulator(new TwoPhase(),
        new SimConfig(1, 4, 100, EnumSet.of(Fault.LOSS), false, true, SimConfig.Rates.DEFAULT), null));
    assertTrue(e.getMessage().contains("does not allow the fault 'loss'"), e.getMessage());
  }
}
