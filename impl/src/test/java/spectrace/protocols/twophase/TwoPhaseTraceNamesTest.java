package spectrace.protocols.twophase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/**
 * The names in two-phase commit's traces are TwoPhase.tla's: every action an event names is
 * an operator the spec defines, and every logged variable is one the spec declares. Over
 * enough seeds, every action of the spec's Next shows up.
 */
class TwoPhaseTraceNamesTest {

  private static final Path SPEC = Path.of(System.getProperty("spectrace.specs", "../specs"), "twophase", "TwoPhase.tla");

  @Test
  void traceNamesAreTheSpecsNames() throws Exception {
    String spec = Files.readString(SPEC);
    Set<String> defined = new HashSet<>();
    Matcher def = Pattern.compile("(?m)^([A-Za-z][A-Za-z0-9_]*)(\\([^)]*\\))? ==").matcher(spec);
    while (def.find()) {
      defined.add(def.group(1));
    }
    Matcher vars = Pattern.compile("(?s)VARIABLES(.*?)\\n\\n").matcher(spec);
    assertTrue(vars.find(), "no VARIABLES in " + SPEC);
    Set<String> declared = new HashSet<>();
    Matcher v = Pattern.compile("(?m)^\\s+([a-zA-Z]+),?\\s+\\\\\\*").matcher(vars.group(1));
    while (v.find()) {
      declared.add(v.group(1));
    }
    assertEquals(Set.of("rmState", "tmState", "tmPrepared", "tmUp", "msgs"), declared);

    Set<String> actions = new TreeSet<>();
    Set<String> logged = new TreeSet<>();
    for (long seed = 0; seed < 200; seed++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TraceWriter w = new TraceWriter(out)) {
        new Simulator(new TwoPhase(), new SimConfig(seed, 4, 2_000,
            EnumSet.of(spectrace.core.Fault.DUPLICATE, spectrace.core.Fault.REORDER, spectrace.core.Fault.CRASH_RECOVERY),
            false, true, SimConfig.Rates.DEFAULT), w).run();
      }
      for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
        collect(line, actions, logged);
      }
    }
    assertTrue(defined.containsAll(actions), "actions the spec does not define: " + minus(actions, defined));
    assertTrue(declared.containsAll(logged), "variables the spec does not declare: " + minus(logged, declared));
    assertEquals(new TreeSet<>(Set.of("TMRcvPrepared", "TMCommit", "TMAbort", "TMCrash", "TMRecover", "RMPrepare",
        "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg")), actions, "every action of Next, over 200 seeds");
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  /** Adds the event's action and the names under its "vars". */
  private static void collect(String line, Set<String> actions, Set<String> vars) throws Exception {
    try (JsonParser p = new JsonFactory().createParser(line)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("action")) {
          actions.add(p.getText());
        } else if (field.equals("vars") && t == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            vars.add(p.currentName());
            p.nextToken();
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
    }
  }
}
