package spectrace.protocols.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import spectrace.protocols.broadcast.beb.BestEffortBroadcast;
import spectrace.protocols.broadcast.erb.EagerReliableBroadcast;
import spectrace.protocols.broadcast.lrb.LazyReliableBroadcast;
import spectrace.protocols.broadcast.reliable.BroadcastProtocol;
import spectrace.protocols.broadcast.urb.UniformReliableBroadcast;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.SpecNames;
import spectrace.trace.TraceWriter;

/**
 * The names in the broadcast traces are the specs': every action an event names is an
 * operator its module defines, every logged variable one that it (or Broadcast.tla)
 * declares, and over enough seeds every action of its Next shows up, except
 * {@code LoseInTransit}, which no process takes (a lost message is a fault event). Every line
 * matches traces/trace.schema.json, crashes with their {@code p} and losses at a crash among
 * them.
 */
class BroadcastTraceNamesTest {

  private static final Path SPECS = Path.of(System.getProperty("spectrace.specs", "../specs"), "broadcast");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> traceNamesAreTheSpecsNames() {
    return Stream.of(
        check(new BestEffortBroadcast(), Set.of("Broadcast", "Receive", "Crash")),
        check(new EagerReliableBroadcast(), Set.of("Broadcast", "Receive", "Crash")),
        check(new LazyReliableBroadcast(), Set.of("Broadcast", "Receive", "DetectCrash", "Crash")),
        check(new UniformReliableBroadcast(), Set.of("Broadcast", "Receive", "Deliver", "Crash")));
  }

  private static DynamicTest check(BroadcastProtocol p, Set<String> everyAction) {
    return DynamicTest.dynamicTest(p.name(), () -> {
      String module = Files.readString(SPECS.resolve(p.specModule() + ".tla"));
      String shared = Files.readString(SPECS.resolve("Broadcast.tla"));
      Set<String> defined = SpecNames.definitions(module);
      Set<String> declared = SpecNames.variables(module);
      declared.addAll(SpecNames.variables(shared));
      assertTrue(declared.containsAll(Set.of("alive", "broadcasts", "delivered", "net")), "declared: " + declared);
      assertTrue(defined.containsAll(everyAction), "the spec defines " + everyAction);
      assertTrue(defined.contains("LoseInTransit"), "the spec's silent loss");

      JsonSchema schema = schema();
      Set<String> actions = new TreeSet<>();
      Set<String> logged = new TreeSet<>();
      int crashes = 0;
      int losses = 0;
      for (long seed = 0; seed < 60; seed++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TraceWriter w = new TraceWriter(out)) {
          new Simulator(p, new SimConfig(seed, 4, 20_000, p.model().faults(), false, true, SimConfig.Rates.DEFAULT), w)
              .run();
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        for (int i = 1; i < lines.length; i++) {
          JsonNode e = JSON.readTree(lines[i]);
          assertTrue(schema.validate(e).isEmpty(), () -> p.name() + ": " + schema.validate(e) + " in " + e);
          if (e.has("action")) {
            actions.add(e.get("action").asText());
            e.get("vars").fieldNames().forEachRemaining(logged::add);
            if (e.get("action").asText().equals("Crash")) {
              assertEquals(e.get("node"), e.get("params").get("p"), "Crash(p) names the crashed node: " + e);
              crashes++;
            }
          } else if (e.get("fault").asText().equals("loss")) {
            losses++;
          }
        }
      }
      assertTrue(defined.containsAll(actions), "actions the spec does not define: " + SpecNames.minus(actions, defined));
      assertTrue(declared.containsAll(logged), "variables the spec does not declare: " + SpecNames.minus(logged, declared));
      assertEquals(new TreeSet<>(everyAction), actions, "every action of Next but LoseInTransit, over 60 seeds");
      assertTrue(crashes > 0 && losses > 0, "crashes " + crashes + ", losses with a crashed sender " + losses);
    });
  }

  private static JsonSchema schema() {
    Path file = Path.of("../traces/trace.schema.json").toAbsolutePath().normalize();
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(SchemaLocation.of(file.toUri() + "#/$defs/event"));
  }

}
