package spectrace.protocols.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import spectrace.core.Protocol;
import spectrace.protocols.broadcast.causal.CausalBroadcast;
import spectrace.protocols.broadcast.fifo.FifoBroadcast;
import spectrace.protocols.broadcast.gossip.GossipBroadcast;
import spectrace.protocols.broadcast.total.TotalOrderBroadcast;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.SpecNames;
import spectrace.trace.TraceWriter;

/**
 * The names in the traces of FIFO, causal, total-order and gossip broadcast are their specs':
 * every action an event names is an operator the spec defines, and every logged variable is
 * one the spec declares; each spec declares the family's variables ({@code alive},
 * {@code broadcasts}, {@code delivered}, {@code net}). Over enough seeds, every action of each
 * spec's Next shows up, {@code Crash(p)} among them with the crashed node as {@code p}, but
 * gossip's {@code LoseInTransit}, which no process takes (a lost packet is a fault event).
 */
class OrderedAndGossipTraceNamesTest {

  private static final Path SPECS = Path.of(System.getProperty("spectrace.specs", "../specs"), "broadcast");
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> protocols() {
    return Stream.of(
        Arguments.of(new FifoBroadcast(), Set.of("Broadcast", "Receive", "Deliver", "Crash")),
        Arguments.of(new CausalBroadcast(), Set.of("Broadcast", "Receive", "Deliver", "Crash")),
        Arguments.of(new TotalOrderBroadcast(), Set.of("Broadcast", "Sequence", "Receive", "Deliver", "Crash")),
        Arguments.of(new GossipBroadcast(), Set.of("Broadcast", "Receive", "Crash")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protocols")
  void traceNamesAreTheSpecsNames(Protocol<?> protocol, Set<String> everyAction) throws Exception {
    String spec = Files.readString(SPECS.resolve(protocol.specModule() + ".tla"));
    Set<String> defined = SpecNames.definitions(spec);
    Set<String> declared = SpecNames.variables(spec);
    assertTrue(!declared.isEmpty(), "no VARIABLES in " + protocol.specModule());
    assertTrue(declared.containsAll(Set.of("alive", "broadcasts", "delivered", "net")), "variables of "
        + protocol.specModule() + ": " + declared);

    Set<String> actions = new TreeSet<>();
    Set<String> logged = new TreeSet<>();
    for (long seed = 0; seed < 100; seed++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TraceWriter w = new TraceWriter(out)) {
        new Simulator(protocol, new SimConfig(seed, 4, 20_000, protocol.model().faults(), false, true,
            SimConfig.Rates.DEFAULT), w).run();
      }
      for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
        SpecNames.collect(line, actions, logged);
        JsonNode e = JSON.readTree(line);
        if (e.has("action") && e.get("action").asText().equals("Crash")) {
          assertEquals(e.get("node"), e.get("params").get("p"), "Crash(p) names the crashed node: " + e);
        }
      }
    }
    assertTrue(defined.containsAll(actions), "actions the spec does not define: " + SpecNames.minus(actions, defined));
    assertTrue(declared.containsAll(logged), "variables the spec does not declare: " + SpecNames.minus(logged, declared));
    assertEquals(new TreeSet<>(everyAction), actions, "every process action of Next, over 100 seeds");
  }

}
