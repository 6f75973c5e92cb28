package spectrace.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import spectrace.core.Fault;
import spectrace.core.Message;
import spectrace.core.Protocol;
import spectrace.core.ProtocolNode;
import spectrace.core.SystemModel;

/**
 * A node's random choices ({@code ProtocolNode.random()}) come from the simulator's seed: one
 * seed gives the same draws, every node has a stream of its own, and drawing from it leaves
 * the network's and the fault injector's streams as they were.
 */
class NodeRandomTest {

  /** A message that carries nothing. */
  record Hello() implements Message {}

  /**
   * Each node greets every other node, then decides {@code DRAWS} numbers drawn from its random
   * source (or none, when {@code draws} is false).
   */
  static final class Dice implements Protocol<Hello> {
    static final int DRAWS = 4;
    private final boolean draws;

    Dice(boolean draws) {
      this.draws = draws;
    }

    @Override
    public String name() {
      return "dice";
    }

    @Override
    public String specModule() {
      return "Dice";
    }

    @Override
    public SystemModel model() {
      return new SystemModel("lossy links, crash-stop", SystemModel.Links.fairLoss(),
          EnumSet.of(SystemModel.Failure.CRASH_STOP), SystemModel.Timing.ASYNCHRONOUS,
          EnumSet.of(Fault.LOSS, Fault.REORDER, Fault.DUPLICATE, Fault.CRASH_STOP), id -> true, 1);
    }

    @Override
    public int defaultNodes() {
      return 4;
    }

    @Override
    public List<String> nodeIds(int n) {
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        ids.add("d" + i);
      }
      return ids;
    }

    @Override
    public Map<String, Object> constants(List<String> nodes) {
      return Map.of();
    }

    @Override
    public ProtocolNode<Hello> newNode(String id, List<String> nodes) {
      return new ProtocolNode<>(id) {
        @Override
        public void start() {
          for (String n : nodes) {
            if (!n.equals(id)) {
              send(n, new Hello());
            }
          }
          if (draws) {
            for (int i = 0; i < DRAWS; i++) {
              decide(random().nextInt(1_000_000));
            }
          }
        }

        @Override
        public void onMessage(String from, Hello msg) {}
      };
    }

    @Override
    public void workload(List<String> nodes, SplittableRandom random, Workload schedule) {}

    @Override
    public List<Invariant> invariants() {
      return List.of();
    }
  }

  private static RunResult run(boolean draws, long seed) {
    return new Simulator(new Dice(draws), new SimConfig(seed, 4, 1_000,
        EnumSet.of(Fault.LOSS, Fault.REORDER, Fault.DUPLICATE), false, false, SimConfig.Rates.DEFAULT), null).run();
  }

  @Test
  void oneSeedGivesTheSameDraws() {
    for (long seed = 0; seed < 20; seed++) {
      assertEquals(run(true, seed).decisions(), run(true, seed).decisions(), "seed " + seed);
    }
  }

  @Test
  void everyNodeAndEverySeedHasItsOwnDraws() {
    Set<List<Object>> seen = new HashSet<>();
    int draws = 0;
    for (long seed = 0; seed < 20; seed++) {
      for (List<Object> d : run(true, seed).decisions().values()) {
        assertEquals(Dice.DRAWS, d.size());
        seen.add(d);
        draws++;
      }
    }
    assertEquals(80, draws);
    assertEquals(draws, seen.size(), "two nodes, or two seeds, drew the same numbers");
    assertNotEquals(run(true, 1).decisions(), run(true, 2).decisions());
  }

  @Test
  void drawingLeavesTheNetworkAndFaultStreamsAlone() {
    for (long seed = 0; seed < 20; seed++) {
      RunResult with = run(true, seed);
      RunResult without = run(false, seed);
      assertTrue(without.decisions().isEmpty());
      assertEquals(without.faults(), with.faults(), "seed " + seed);
      assertEquals(without.endTime(), with.endTime(), "seed " + seed);
      assertEquals(without.events(), with.events(), "seed " + seed);
    }
  }
}
