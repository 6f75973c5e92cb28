package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.tlc.Specs;

/** Mutual exclusion by vector clocks over the Maekawa sample traces, and over one made to break it. */
class CriticalSectionsTest {

  @TempDir Path tmp;

  private static Path sample(String name) {
    return Specs.locate().root().getParent().resolve("traces/maekawa/" + name);
  }

  @Test
  void theConformingSamplesNeverHaveTwoNodesInside() throws Exception {
    for (String name : List.of("conforming-yield.ndjson", "conforming-grid4.ndjson", "conforming-nine-nodes.ndjson")) {
      CriticalSections.Result r = CriticalSections.check(List.of(sample(name)), "EnterCS", "ExitCS");
      assertTrue(r.stays().size() >= 2, () -> name + ": " + r.stays());
      assertEquals(List.of(), r.overlaps(), name);
    }
  }

  @Test
  void anEntryThatDidNotWaitForTheOtherExitIsCaught() throws Exception {
    // n3's entry keeps only its own clock entry: it no longer follows n1's exit.
    List<String> lines = Files.readAllLines(sample("conforming-yield.ndjson"));
    int n3Enter = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"node\":\"n3\",\"action\":\"EnterCS\"")) {
        n3Enter = i;
        break;
      }
    }
    assertTrue(n3Enter > 0, "the sample has n3 enter");
    String line = lines.get(n3Enter);
    lines.set(n3Enter, line.replaceAll("\"vc\":\\{[^}]*\\}", "\"vc\":{\"n3\":99}"));
    Path broken = tmp.resolve("broken.ndjson");
    Files.write(broken, lines);
    List<String> overlaps = CriticalSections.check(List.of(broken), "EnterCS", "ExitCS").overlaps();
    String where = "n3 (entered at " + broken + ":" + (n3Enter + 1) + ")";
    assertTrue(!overlaps.isEmpty(), "no overlap found");
    assertTrue(overlaps.stream().allMatch(o -> o.contains(where)
        && o.endsWith("may have been in the critical section at once: neither left before the other entered")), overlaps::toString);
  }
}
