package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PBFT as replica processes on loopback, with a Byzantine replica among them: its clients load
 * the key-value store while the Byzantine replica lies, and the merged traces (the correct
 * replicas' steps, the Byzantine replica's sends) conform to PBFT.tla, and the clients' history,
 * every key read back at the end, is linearizable.
 */
class ClusterPbftIT {

  @TempDir Path tmp;
  private StringWriter out;
  private StringWriter err;

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private String round1() {
    String o = out.toString();
    return o.lines().filter(l -> l.startsWith("round 1: ")).findFirst().orElseThrow(() -> new AssertionError(o));
  }

  private static void conformsAndIsLinearizable(String round) {
    assertTrue(Pattern.compile("; [\\d,]+ events conform; history linearizable: [\\d,]+ ops").matcher(round).find(),
        round);
    assertTrue(round.contains("; 5 of 5 keys read back;"), round);
  }

  /**
   * Seed 18 makes r1, the primary of view 0, Byzantine with the equivocating adversary: the
   * correct backups cannot commit what it assigns two ways, change views, and serve the clients
   * in the next.
   */
  @Test
  void anEquivocatingPrimaryIsVotedOutAndTheTracesConform() throws Exception {
    Path dir = tmp.resolve("pbft4");
    int code = run("cluster", "pbft", "--nodes", "4", "--byzantine", "1", "--seed", "18", "--duration", "8",
        "--dir", dir.toString());
    String o = out.toString();
    assertEquals(0, code, () -> o + err);
    assertTrue(o.lines().anyMatch(l -> l.equals("Byzantine: r1 (equivocate)")), o);
    String round = round1();
    assertTrue(round.startsWith("round 1: finished;"), round);
    conformsAndIsLinearizable(round);
    Path r = dir.resolve("round-1");
    List<String> byzantine = Files.readAllLines(r.resolve("r1.ndjson"));
    assertTrue(byzantine.size() > 1 && byzantine.stream().skip(1).allMatch(l -> l.contains("\"fault\":\"byzantine\"")
        && l.contains("\"vc\":")), "r1's trace holds its sends, each with its clock, and nothing else");
    long newViews = 0;
    for (String id : List.of("r2", "r3", "r4")) {
      List<String> t = Files.readAllLines(r.resolve(id + ".ndjson"));
      newViews += t.stream().filter(l -> l.contains("\"action\":\"SendNewView\"") || l.contains("\"action\":\"HandleNewView\""))
          .count();
      Pattern laterView = Pattern.compile("\"action\":\"Execute\",\"params\":\\{\"r\":\"" + id + "\",\"v\":[1-9]");
      assertTrue(t.stream().anyMatch(l -> laterView.matcher(l).find()), id + " executes in a view after 0");
    }
    // View 1's primary sends its NEW-VIEW and the two others handle it; on a slow machine a
    // timer may move a replica on to a later view too.
    assertTrue(newViews >= 3, "a view change completed at each correct replica: " + newViews);
  }

  /**
   * Seven replicas (F = 2), one of them Byzantine: --kill-every kills one more, a correct one,
   * for good, and no second (the Byzantine replica and the crash are the two faulty).
   */
  @Test
  void aCorrectReplicaKilledWithinTheFaultBudgetLeavesTheTracesConforming() throws Exception {
    Path dir = tmp.resolve("pbft7");
    int code = run("cluster", "pbft", "--nodes", "7", "--byzantine", "1", "--kill-every", "2", "--duration", "8",
        "--dir", dir.toString());
    String o = out.toString();
    assertEquals(0, code, () -> o + err);
    Matcher byz = Pattern.compile("(?m)^Byzantine: (r\\d) \\(([a-z-]+)\\)$").matcher(o);
    assertTrue(byz.find(), o);
    String round = round1();
    Matcher killed = Pattern.compile("^round 1: finished \\(killed (r\\d)\\);").matcher(round);
    assertTrue(killed.find(), "one kill, and only one: " + round);
    assertTrue(!killed.group(1).equals(byz.group(1)), "the Byzantine replica is never killed: " + round);
    conformsAndIsLinearizable(round);
    List<String> victim = Files.readAllLines(dir.resolve("round-1").resolve(killed.group(1) + ".ndjson"));
    assertTrue(victim.get(victim.size() - 1).contains("\"fault\":\"crash-stop\""),
        "the killed replica's trace ends with its crash: " + victim.get(victim.size() - 1));
  }

  @Test
  void byzantineNodesPastTheBoundOrWithoutTheModelAreRefused() {
    assertEquals(2, run("cluster", "pbft", "--byzantine", "2", "--dir", tmp.resolve("a").toString()));
    assertTrue(err.toString().contains("--byzantine 2: pbft on 4 nodes has at most 1 faulty"), err::toString);
    assertEquals(2, run("cluster", "pbft", "--byzantine", "1", "--kill-every", "2", "--dir", tmp.resolve("b").toString()));
    assertTrue(err.toString().contains("--byzantine 1 takes them all"), err::toString);
    assertEquals(2, run("cluster", "vr", "--byzantine", "1", "--dir", tmp.resolve("c").toString()));
    assertTrue(err.toString().contains("has no Byzantine nodes"), err::toString);
    assertEquals(1, err.toString().strip().lines().count(), err::toString);
  }
}
