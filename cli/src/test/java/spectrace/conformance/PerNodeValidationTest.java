package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.core.Fault;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.tlc.Specs;
import spectrace.trace.TraceWriter;

/**
 * A run's trace split into one file per node, as a real cluster writes them, is merged by its
 * vector clocks and validated: the merged order is a behaviour of the spec. The TLC trace spec
 * on the same files: {@link PerNodeTraceSpecIT}.
 */
class PerNodeValidationTest {

  private static final Pattern NODE = Pattern.compile("\"node\":\"([^\"]+)\"");
  private static final Pattern FROM = Pattern.compile("\"from\":\"([^\"]+)\"");

  @TempDir Path tmp;

  /** Seed {@code seed}'s two-phase-commit run, as one file per node in {@code tmp}. */
  static List<Path> split(Path tmp, long seed) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      new Simulator(new TwoPhase(), new SimConfig(seed, 4, 5_000,
          EnumSet.of(Fault.DUPLICATE, Fault.REORDER, Fault.DELAY, Fault.CRASH_RECOVERY), false, true,
          SimConfig.Rates.DEFAULT), w).run();
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    Map<String, StringBuilder> files = new LinkedHashMap<>();
    Map<String, Integer> seqs = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      // A node's file holds its own events, and the duplicates and delays of what it sends, which
      // the simulator writes right after the sending step (a fault event has no clock: it follows
      // the event before it in its file). A drop at a crashed node has no place that its clock
      // could order after the send, so it is left out, as a real node cannot see it either.
      // Each file numbers its events from 0.
      Matcher m = NODE.matcher(lines[i]);
      Matcher from = FROM.matcher(lines[i]);
      String node = lines[i].contains("\"vc\"") && m.find() ? m.group(1)
          : (lines[i].contains("\"duplicate\"") || lines[i].contains("\"delay\"")) && from.find() ? from.group(1)
          : null;
      if (node != null) {
        int seq = seqs.merge(node, 1, Integer::sum) - 1;
        files.computeIfAbsent(node, k -> new StringBuilder(lines[0]).append('\n'))
            .append(lines[i].replaceFirst("^\\{\"seq\":\\d+,", "{\"seq\":" + seq + ",")).append('\n');
      }
    }
    List<Path> paths = new ArrayList<>();
    for (Map.Entry<String, StringBuilder> e : files.entrySet()) {
      paths.add(Files.writeString(tmp.resolve(seed + "-" + e.getKey() + ".ndjson"), e.getValue()));
    }
    return paths;
  }

  @Test
  void perNodeFilesOfARunMergeIntoAConformingBehaviour() throws Exception {
    try (Validator v = Validator.reusing(Specs.locate().root())) {
      for (long seed = 1; seed <= 40; seed++) {
        List<Path> files = split(tmp, seed);
        assertTrue(files.size() >= 2, "seed " + seed);
        Validator.Result r = v.validate(files, Validator.Progress.NONE);
        assertNull(r.divergence(), () -> Report.text(files.stream().map(Path::toString).toList(), r));
      }
    }
  }

  @Test
  void aNodeFileOutOfOrderIsAnErrorNamingBothEvents() throws Exception {
    List<Path> files = split(tmp, 3);
    Path tm = files.stream().filter(p -> p.toString().endsWith("-tm.ndjson")).findFirst().orElseThrow();
    List<String> lines = new ArrayList<>(Files.readAllLines(tm));
    assertTrue(lines.size() >= 4);
    String second = lines.remove(2);
    lines.add(3, second);
    // Each line keeps the seq and time of its place, so that only the clocks say the order is wrong.
    for (int i = 2; i <= 3; i++) {
      String place = Files.readAllLines(tm).get(i).replaceFirst("^(\\{\"seq\":\\d+,\"time\":\\d+,).*", "$1");
      lines.set(i, place + lines.get(i).replaceFirst("^\\{\"seq\":\\d+,\"time\":\\d+,", ""));
    }
    Files.write(tm, lines);
    TraceException e = assertThrows(TraceException.class,
        () -> new Validator(Specs.locate().root()).validate(files, Validator.Progress.NONE));
    assertTrue(e.getMessage().matches(".*" + Pattern.quote(tm.toString()) + ":\\d+.*" + Pattern.quote(tm.toString())
        + ":\\d+.*"), e.getMessage());
  }
}
