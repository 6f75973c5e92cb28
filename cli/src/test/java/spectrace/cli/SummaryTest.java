package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The one-line summaries of simulate and cluster. */
class SummaryTest {

  private static final List<String> NODES = List.of("tm", "rm1", "rm2", "rm3");

  /** Regression: a cluster round's inconsistent outcome printed {@code tm=[committed, committed, committed, committed]}. */
  @Test
  void aNodeThatDecidesAValueAgainIsNamedOnce() {
    Map<String, List<String>> d = new LinkedHashMap<>();
    d.put("rm1", List.of("aborted"));
    d.put("tm", List.of("committed", "committed", "committed", "committed"));
    d.put("rm2", List.of("committed", "aborted", "committed"));
    assertEquals("tm committed, rm1 aborted, rm2 committed then aborted", Summary.decisions(NODES, d, Function.identity()));
    assertEquals("none", Summary.decisions(NODES, Map.<String, List<String>>of(), Function.identity()));
  }

  @Test
  void manyNodesAreCountedPerValueWithTheFirstFew() {
    List<String> nodes = new ArrayList<>();
    Map<String, List<String>> d = new LinkedHashMap<>();
    Map<String, Long> delivered = new LinkedHashMap<>();
    for (int i = 0; i < 1000; i++) {
      String n = "p" + (i + 1);
      nodes.add(n);
      d.put(n, List.of(i < 998 ? "aborted" : "committed"));
      delivered.put(n, i < 10 ? 2L : 3L);
    }
    assertEquals("aborted by 998 nodes (p1, p2, p3, ...); committed by p999, p1000",
        Summary.decisions(nodes, d, Function.identity()));
    assertEquals("2,990 at 1,000 nodes, 2 to 3 each", Summary.counts(nodes, delivered));
    assertEquals("p1 2, p2 2", Summary.counts(nodes.subList(0, 2), Map.of("p1", 2L, "p2", 2L)));
  }
}
