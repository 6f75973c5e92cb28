package spectrace.protocols.maekawa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import spectrace.core.Fault;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.SpecNames;
import spectrace.trace.TraceWriter;

/**
 * The names in Maekawa's traces are Maekawa.tla's: every action an event names is an
 * operator the spec defines, every logged variable one it declares, and every message type
 * one of its messages. Over enough seeds, every action of the spec's Next shows up, and
 * every variable but the links is logged.
 */
class MaekawaTraceNamesTest {

  private static final Path SPEC = Path.of(System.getProperty("spectrace.specs", "../specs"), "maekawa", "Maekawa.tla");

  @Test
  void traceNamesAreTheSpecsNames() throws Exception {
    String spec = Files.readString(SPEC);
    Set<String> defined = SpecNames.definitions(spec);
    Set<String> declared = SpecNames.variables(spec);
    assertTrue(!declared.isEmpty(), "no VARIABLES in " + SPEC);
    assertEquals(Set.of("state", "clock", "grants", "failed", "inquirers", "voted", "votedFor", "queue",
        "inquiring", "chan"), declared);
    Set<String> messageTypes = new TreeSet<>();
    Matcher types = Pattern.compile("type \\|-> \"([A-Za-z]+)\"").matcher(spec);
    while (types.find()) {
      messageTypes.add(types.group(1));
    }

    Set<String> actions = new TreeSet<>();
    Set<String> logged = new TreeSet<>();
    Set<String> sent = new TreeSet<>();
    for (long seed = 0; seed < 200; seed++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TraceWriter w = new TraceWriter(out)) {
        new Simulator(new Maekawa(), new SimConfig(seed, 4, 100_000, EnumSet.of(Fault.DELAY), false, true,
            SimConfig.Rates.DEFAULT), w).run();
      }
      String trace = out.toString(StandardCharsets.UTF_8);
      for (String line : trace.split("\n")) {
        SpecNames.collect(line, actions, logged);
      }
      Matcher m = Pattern.compile("\"msg\":\\{\"type\":\"([A-Za-z]+)\"").matcher(trace);
      while (m.find()) {
        sent.add(m.group(1));
      }
    }
    assertTrue(defined.containsAll(actions), "actions the spec does not define: " + SpecNames.minus(actions, defined));
    assertEquals(SpecNames.minus(declared, Set.of("chan")), logged, "every variable but the links, logged");
    assertEquals(Set.of("Request", "Grant", "Failed", "Inquire", "Yield", "Release"), messageTypes);
    assertEquals(messageTypes, sent, "every message type, as the spec names it");
    assertEquals(new TreeSet<>(Set.of("RequestCS", "RcvGrant", "EnterCS", "ExitCS", "RcvFailed", "RcvInquire",
        "Yield", "RcvRequest", "RcvYield", "RcvRelease")), actions, "every action of Next, over 200 seeds");
  }

}
