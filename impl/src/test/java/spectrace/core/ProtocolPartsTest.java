package spectrace.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import spectrace.protocols.Protocols;
import spectrace.protocols.twophase.ResourceManager;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.protocols.twophase.TwoPhaseMessage;
import spectrace.sim.SimConfig;
import spectrace.sim.Simulator;
import spectrace.trace.TraceWriter;

/** A protocol composed of its parts is the protocol: every method is its part's. */
class ProtocolPartsTest {

  @Test
  void aComposedProtocolAnswersEveryMethodOfProtocolFromItsParts() {
    List<String> missing = new ArrayList<>();
    for (Method m : Protocol.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      try {
        Method own = Protocol.Composed.class.getMethod(m.getName(), m.getParameterTypes());
        if (own.getDeclaringClass() != Protocol.Composed.class) {
          missing.add(m.getName());
        }
      } catch (NoSuchMethodException e) {
        missing.add(m.getName());
      }
    }
    assertEquals(List.of(), missing, "methods of Protocol that Composed leaves to a default, not to its parts");
  }

  /** Four nodes, or the protocol's default where it cannot run four (VR needs 2F+1). */
  private static int nodes(Protocol<?> p) {
    try {
      p.nodeIds(4);
      return 4;
    } catch (IllegalArgumentException oddOnly) {
      return p.defaultNodes();
    }
  }

  private static byte[] trace(Protocol<?> p, long seed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      new Simulator(p, new SimConfig(seed, nodes(p), 3_000, p.model().faults(), false, true, SimConfig.Rates.DEFAULT), w)
          .run();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Test
  void everyProtocolComposedOfItsOwnPartsRunsTheSameTraceByteForByte() {
    for (String name : Protocols.names()) {
      Protocol<?> p = Protocols.get(name);
      Protocol<?> composed = Protocol.compose(Protocol.Parts.of(p));
      for (long seed = 1; seed <= 3; seed++) {
        assertArrayEquals(trace(p, seed), trace(composed, seed), name + " seed " + seed);
      }
    }
  }

  @Test
  void everyProtocolsMessageTypeIsFoundThroughItsSupertypes() {
    // The broadcast protocols bind M through BroadcastFamily<M> and a base class: the wire
    // codec of the TCP runtime needs the sealed type all the same.
    for (String name : Protocols.names()) {
      Class<? extends Message> m = Protocols.get(name).messageType();
      assertTrue(m.isSealed() || m.isRecord(), name + ": " + m);
      assertTrue(Message.class.isAssignableFrom(m), name + ": " + m);
    }
  }

  @Test
  void partsWithOtherNodesChangeTheNodesAndTheVariantOnly() {
    TwoPhase correct = new TwoPhase();
    List<String> made = new ArrayList<>();
    Protocol<TwoPhaseMessage> other = Protocol.compose(Protocol.Parts.of(correct).withNodes("logging", (id, nodes) -> {
      made.add(id);
      return correct.newNode(id, nodes);
    }));
    assertEquals("twophase", other.name());
    assertEquals("logging", other.variant());
    assertNull(correct.variant());
    assertEquals(correct.specModule(), other.specModule());
    assertEquals(correct.constants(correct.nodeIds(3)), other.constants(other.nodeIds(3)));
    assertEquals(correct.model(), other.model());
    assertTrue(other.newNode("rm1", correct.nodeIds(3)) instanceof ResourceManager);
    assertEquals(List.of("rm1"), made);
  }
}
