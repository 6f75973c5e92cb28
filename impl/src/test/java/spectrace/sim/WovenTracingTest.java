package spectrace.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import spectrace.core.Host;
import spectrace.core.Message;
import spectrace.core.ProtocolNode;
import spectrace.core.Storage;
import spectrace.core.Tracer;
import spectrace.core.VarSink;
import spectrace.storage.MemoryStorage;
import spectrace.trace.weave.Weaver;

/** What the build weaves into a node class (Chatter's, woven with the test classes). */
class WovenTracingTest {

  /** A host that records what the woven code hands its tracer. */
  private static final class RecordingHost implements Host, Tracer {
    final boolean tracing;
    final List<String> events = new ArrayList<>();
    final MemoryStorage storage = new MemoryStorage();

    RecordingHost(boolean tracing) {
      this.tracing = tracing;
    }

    @Override
    public void action(ProtocolNode<?> node, String action, String paramNames, Object[] params) {
      events.add(node.id() + " " + action + "(" + paramNames + ")=" + java.util.Arrays.toString(params));
    }

    @Override
    public Tracer tracer() {
      return tracing ? this : null;
    }

    @Override
    public java.util.SplittableRandom random() {
      return new java.util.SplittableRandom(0);
    }

    @Override
    public void send(String to, Message msg) {}

    @Override
    public void setTimer(String name, long delay) {}

    @Override
    public void cancelTimer(String name) {}

    @Override
    public Storage storage() {
      return storage;
    }

    @Override
    public void deliver(Object value) {}

    @Override
    public void decide(Object value) {}

    @Override
    public void reject(String reason) {}
  }

  private static Chatter.Node node(RecordingHost host) {
    Chatter.Node n = (Chatter.Node) new Chatter(false).newNode("n1", List.of("n1", "n2", "n3"));
    n.attach(host);
    return n;
  }

  @Test
  void anActionReportsItsNameSelfAndParametersOnReturn() {
    RecordingHost host = new RecordingHost(true);
    Chatter.Node n = node(host);
    n.onMessage("n2", new Chatter.Ping("n2", 5));
    n.onTimer("ping");
    assertEquals(List.of("n1 Receive(p,q,k)=[n1, n2, 5]", "n1 Send(p,k)=[n1, 1]"), host.events);
  }

  @Test
  void withTracingOffNoEventReachesTheTracer() {
    RecordingHost host = new RecordingHost(false);
    Chatter.Node n = node(host);
    n.onMessage("n2", new Chatter.Ping("n2", 5));
    assertEquals(List.of(), host.events);
    assertEquals("1", host.storage.getString("received"), "the action itself ran");
  }

  @Test
  void theGeneratedSpecVarsHandsOverEachAnnotatedField() {
    Chatter.Node n = node(new RecordingHost(false));
    n.onMessage("n3", new Chatter.Ping("n3", 1));
    Map<String, Object> seen = new LinkedHashMap<>();
    n.$specVars(new VarSink() {
      @Override
      public void whole(String name, Object value) {
        seen.put("whole " + name, value);
      }

      @Override
      public void indexed(String name, Object value) {
        seen.put("indexed " + name, value);
      }
    });
    assertEquals(Map.of("indexed received", 1, "whole lastFrom", "n3"), seen);
  }

  @Test
  void wovenClassesAreMarkedAndNotWovenTwice() throws Exception {
    assertTrue(Chatter.Node.class.getField(Weaver.MARKER).getBoolean(null));
    String resource = "/" + Chatter.Node.class.getName().replace('.', '/') + ".class";
    byte[] woven;
    try (var in = Chatter.Node.class.getResourceAsStream(resource)) {
      woven = in.readAllBytes();
    }
    assertEquals(null, Weaver.weave(woven));
  }
}
