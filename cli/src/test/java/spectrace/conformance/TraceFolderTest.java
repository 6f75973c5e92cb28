package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.core.Fault;
import spectrace.history.LinearizabilityChecker;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;
import spectrace.trace.TraceWriter;

/**
 * What {@link TraceFolder} finds under a folder (traces, one run's per-node files, client
 * histories) and that checking them on several threads gives each the verdict it gets alone.
 */
class TraceFolderTest {

  private static final Path SPECS = Specs.locate().root();
  private static final Path HISTORIES = SPECS.getParent().resolve("traces/histories");

  @TempDir Path tmp;

  /** Seed {@code seed}'s two-phase-commit run, as one trace file. */
  private static Path simulate(Path file, long seed) throws Exception {
    Files.createDirectories(file.getParent());
    try (OutputStream os = Files.newOutputStream(file); TraceWriter w = new TraceWriter(os)) {
      new Simulator(new TwoPhase(), new SimConfig(seed, 4, 5_000,
          EnumSet.of(Fault.DUPLICATE, Fault.REORDER, Fault.DELAY, Fault.CRASH_RECOVERY), false, true,
          SimConfig.Rates.DEFAULT), w).run();
    }
    return file;
  }

  /** Seed {@code seed}'s run split into {@code dir/<node>.ndjson}, as a cluster writes them. */
  private static List<Path> perNode(Path dir, long seed) throws Exception {
    Files.createDirectories(dir);
    Path scratch = Files.createTempDirectory(dir.getParent(), "split");
    List<Path> files = new java.util.ArrayList<>();
    for (Path p : PerNodeValidationTest.split(scratch, seed)) {
      String node = p.getFileName().toString().replaceFirst("^\\d+-", "");
      files.add(Files.move(p, dir.resolve(node)));
    }
    Files.delete(scratch);
    return files;
  }

  /** {@code trace} with its action {@code from} (first occurrence) renamed {@code to}. */
  private static Path corrupt(Path trace, String from, String to) throws Exception {
    String text = Files.readString(trace);
    assertTrue(text.contains("\"action\":\"" + from + "\""), trace + " has " + from);
    return Files.writeString(trace, text.replaceFirst("\"action\":\"" + from + "\"", "\"action\":\"" + to + "\""));
  }

  @Test
  void perNodeFilesNamedAfterTheirNodesAreOneRunHistoriesAreHistoriesTheRestTraces() throws Exception {
    List<Path> run = perNode(tmp.resolve("round-1"), 3);
    Path trace = simulate(tmp.resolve("t.ndjson"), 4);
    Files.copy(HISTORIES.resolve("interface-example.ndjson"), tmp.resolve("round-1/history.ndjson"));

    List<TraceFolder.Item> items = TraceFolder.find(tmp);
    assertEquals(3, items.size(), items::toString);
    TraceFolder.Item history = items.get(0);
    assertEquals(TraceFolder.Kind.HISTORY, history.kind());
    TraceFolder.Item merged = items.get(1);
    assertEquals(TraceFolder.Kind.RUN, merged.kind());
    assertEquals(run.stream().sorted().toList(), merged.files());
    assertEquals(tmp.resolve("round-1/{rm1,rm2,rm3,tm}.ndjson").toString(), merged.name());
    assertEquals(new TraceFolder.Item(trace.toString(), TraceFolder.Kind.TRACE, List.of(trace), Files.size(trace)),
        items.get(2));

    List<TraceFolder.Outcome> outcomes = TraceFolder.check(items, SPECS, 2, (d, t, n, s) -> {});
    for (TraceFolder.Outcome o : outcomes) {
      assertTrue(o.ok(), () -> o.item() + ": " + o);
    }
    assertTrue(outcomes.get(0).history() instanceof LinearizabilityChecker.Linearizable);
    // The run is validated merged: its events are those of every node's file.
    long events = 0;
    for (Path p : run) {
      events += Files.readAllLines(p).size() - 1;
    }
    assertEquals(events, outcomes.get(1).trace().events());
  }

  @Test
  void nodeNamedFilesWithDifferentHeadersAreNotOneRun() throws Exception {
    // Two files named after nodes, but of runs of different seeds: nothing ties them together.
    simulate(tmp.resolve("tm.ndjson"), 1);
    simulate(tmp.resolve("rm1.ndjson"), 2);
    List<TraceFolder.Item> items = TraceFolder.find(tmp);
    assertEquals(List.of(TraceFolder.Kind.TRACE, TraceFolder.Kind.TRACE),
        items.stream().map(TraceFolder.Item::kind).toList());
  }

  @Test
  void hiddenFoldersAndFilesThatAreNotNdjsonAreLeftOut() throws Exception {
    simulate(tmp.resolve(".cache/t.ndjson"), 1);
    simulate(tmp.resolve("a/b/t.ndjson"), 1);
    Files.writeString(tmp.resolve("a/notes.txt"), "not a trace\n");
    Files.writeString(tmp.resolve("a/expected.json"), "{}\n");
    assertEquals(List.of(tmp.resolve("a/b/t.ndjson").toString()),
        TraceFolder.find(tmp).stream().map(TraceFolder.Item::name).toList());
  }

  @Test
  void aFileThatDoesNotReadIsAnErrorAndTheOthersAreStillChecked() throws Exception {
    simulate(tmp.resolve("a.ndjson"), 1);
    Files.writeString(tmp.resolve("b.ndjson"), "{\"format\":\"spectrace-trace/2\",\"protocol\":\n");
    simulate(tmp.resolve("c.ndjson"), 2);
    List<TraceFolder.Outcome> outcomes = TraceFolder.check(TraceFolder.find(tmp), SPECS, 2, (d, t, n, s) -> {});
    assertEquals(3, outcomes.size());
    assertTrue(outcomes.get(0).ok());
    assertNotNull(outcomes.get(1).error());
    assertTrue(outcomes.get(1).error().startsWith(tmp.resolve("b.ndjson") + ":1:"), outcomes.get(1).error());
    assertTrue(outcomes.get(2).ok());
  }

  @Test
  void verdictsDoNotDependOnTheNumberOfThreads() throws Exception {
    for (int seed = 1; seed <= 9; seed++) {
      simulate(tmp.resolve("s" + seed + ".ndjson"), seed);
    }
    // Known-bad edits: a divergence, an event that does not read (TMCommit takes no rm), and a
    // history no order explains; each must be found whatever the number of threads.
    corrupt(tmp.resolve("s3.ndjson"), "RMPrepare", "RMChooseToAbort");
    corrupt(tmp.resolve("s7.ndjson"), "TMRcvPrepared", "TMCommit");
    Files.copy(HISTORIES.resolve("stale-read.ndjson"), tmp.resolve("h.ndjson"));
    List<TraceFolder.Item> items = TraceFolder.find(tmp);
    List<String> one = verdicts(TraceFolder.check(items, SPECS, 1, (d, t, n, s) -> {}));
    assertEquals(10, one.size());
    assertEquals(1, one.stream().filter(v -> v.startsWith("divergence at " + tmp.resolve("s3.ndjson"))).count(),
        one::toString);
    assertEquals(1, one.stream().filter(v -> v.startsWith("error " + tmp.resolve("s7.ndjson"))).count(),
        one::toString);
    assertTrue(one.get(0).equals("not linearizable"), one::toString);
    for (int jobs : new int[] {2, 4}) {
      assertEquals(one, verdicts(TraceFolder.check(items, SPECS, jobs, (d, t, n, s) -> {})), "jobs " + jobs);
    }
  }

  /** Each outcome's verdict, as a string that names a divergence's place. */
  private static List<String> verdicts(List<TraceFolder.Outcome> outcomes) {
    return IntStream.range(0, outcomes.size()).mapToObj(i -> {
      TraceFolder.Outcome o = outcomes.get(i);
      if (o.history() != null) {
        return o.ok() ? "linearizable" : "not linearizable";
      }
      if (o.error() != null) {
        return "error " + o.error();
      }
      return o.trace().conforms() ? "conforms, " + o.trace().events() + " events"
          : "divergence at " + o.trace().divergence().where();
    }).toList();
  }
}
