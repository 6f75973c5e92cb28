package spectrace.protocols.maekawa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Grid quorums satisfy Maekawa.tla's QuorumAssumption for every size, with about 2 sqrt(N)
 * nodes each, and match MCMaekawa.tla's GridQuorums; timestamps are ordered as the spec's
 * Before.
 */
class MaekawaQuorumsTest {

  @Test
  void gridQuorumsContainTheirNodeAndPairwiseIntersectForEverySize() {
    Maekawa m = new Maekawa();
    for (int n = 1; n <= 50; n++) {
      List<String> nodes = m.nodeIds(n);
      Map<String, List<String>> q = Maekawa.gridQuorums(nodes);
      assertEquals(Set.copyOf(nodes), q.keySet());
      int cols = (int) Math.ceil(Math.sqrt(n));
      for (String i : nodes) {
        assertTrue(q.get(i).contains(i), i + " not in its own quorum, N = " + n);
        assertTrue(q.get(i).size() <= 2 * cols - 1, "quorum of " + i + " too large for N = " + n + ": " + q.get(i));
        for (String j : nodes) {
          Set<String> common = new HashSet<>(q.get(i));
          common.retainAll(q.get(j));
          assertFalse(common.isEmpty(), "the quorums of " + i + " and " + j + " do not meet, N = " + n);
        }
      }
    }
  }

  @Test
  void theSmallGridsAreTheModelsGrids() {
    Maekawa m = new Maekawa();
    assertEquals(Map.of("n1", List.of("n1", "n2", "n3"), "n2", List.of("n1", "n2"), "n3", List.of("n1", "n3")),
        Maekawa.gridQuorums(m.nodeIds(3)));
    assertEquals(Map.of("n1", List.of("n1", "n2", "n3"), "n2", List.of("n1", "n2", "n4"),
        "n3", List.of("n1", "n3", "n4"), "n4", List.of("n2", "n3", "n4")), Maekawa.gridQuorums(m.nodeIds(4)));
    assertEquals(List.of("n2", "n4", "n5", "n6", "n8"), Maekawa.gridQuorums(m.nodeIds(9)).get("n5"));
  }

  @Test
  void timestampsRankByClockThenByNodeNumber() {
    assertTrue(new Timestamp(1, "n9").before(new Timestamp(2, "n1")));
    assertTrue(new Timestamp(3, "n2").before(new Timestamp(3, "n3")));
    assertTrue(new Timestamp(3, "n9").before(new Timestamp(3, "n10")), "by number, not by string");
    assertFalse(new Timestamp(3, "n3").before(new Timestamp(3, "n3")));
    assertEquals(10, Maekawa.number("n10"));
    assertThrows(IllegalArgumentException.class, () -> Maekawa.number("rm1"));
    assertThrows(IllegalArgumentException.class, () -> new Timestamp(0, "n1"));
  }
}
