package spectrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.conformance.TraceEvent;
import spectrace.conformance.Validator;
import spectrace.tlc.Specs;

/**
 * The ShiViz log of a sample trace: the parser on the first line, an empty second line, then
 * one line per event that has a vector clock, each parsed by that parser into a host and a
 * clock that holds the host, the host's own entry one more than at its previous line (what
 * ShiViz requires of a host's events).
 */
class ShiVizTest {

  @TempDir Path tmp;

  @Test
  void everyEventOfANodeIsOneLineThatTheParserReads() throws Exception {
    Path trace = Specs.locate().root().resolveSibling("traces").resolve("raft/conforming-seed1.ndjson");
    List<TraceEvent> events = new ArrayList<>();
    try (Validator.Events in = Validator.open(List.of(trace))) {
      for (TraceEvent e; (e = in.next()) != null; ) {
        events.add(e);
      }
    }
    Path out = tmp.resolve("t.log");
    int written = ShiViz.write(out, events);
    List<String> lines = Files.readAllLines(out);
    assertEquals(ShiViz.REGEX, lines.get(0));
    assertEquals("", lines.get(1));
    long withClock = events.stream().filter(e -> e.node() != null && !e.vc().isEmpty()).count();
    assertEquals(withClock, written);
    assertEquals(withClock, lines.size() - 2);
    assertTrue(withClock > 100, "the sample has " + withClock + " events with a clock");
    Pattern parser = Pattern.compile(ShiViz.REGEX);
    Map<String, Integer> own = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : lines.subList(2, lines.size())) {
      Matcher m = parser.matcher(line);
      assertTrue(m.matches(), "the parser does not read: " + line);
      String host = m.group("host");
      JsonNode clock = json.readTree(m.group("clock"));
      assertTrue(clock.has(host), "the clock lacks its host: " + line);
      int count = clock.get(host).asInt();
      assertEquals(own.getOrDefault(host, 0) + 1, count, "the host's own entry: " + line);
      own.put(host, count);
      assertTrue(m.group("event").endsWith("]"), line);
    }
  }
}
