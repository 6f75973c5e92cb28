package spectrace.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import spectrace.core.Message;
import spectrace.protocols.twophase.TwoPhaseMessage;
import spectrace.protocols.twophase.Vote;

/** The wire encoding: every message round-trips; bad frames and bad contents are named errors. */
class WireCodecTest {

  enum Color { RED, GREEN }

  record Inner(String name, long n) {}

  sealed interface Rich extends Message permits Everything {}

  record Everything(String s, int i, long l, boolean b, Color c, List<Long> list, Set<String> set,
                    Map<String, Integer> map, Inner inner, List<Inner> inners) implements Rich {}

  private final WireCodec twoPhase = new WireCodec(TwoPhaseMessage.class, List.of(Vote.class));
  private final WireCodec rich = new WireCodec(Rich.class, List.of());

  @Test
  void twoPhaseMessagesAndRequestsRoundTrip() throws Exception {
    for (Record r : List.of(new TwoPhaseMessage.Prepared("rm2"), new TwoPhaseMessage.Commit(),
        new TwoPhaseMessage.Abort(), new Vote(true), new Vote(false))) {
      assertEquals(r, twoPhase.decode(twoPhase.encode(r)));
    }
    assertEquals("{\"type\":\"Prepared\",\"rm\":\"rm2\"}",
        new String(twoPhase.encode(new TwoPhaseMessage.Prepared("rm2")), StandardCharsets.UTF_8));
  }

  @Property(tries = 200)
  void everySupportedShapeRoundTrips(@ForAll String s, @ForAll int i, @ForAll long l, @ForAll boolean b,
                                     @ForAll Color c, @ForAll @Size(max = 5) List<Long> list,
                                     @ForAll @Size(max = 5) Set<String> set, @ForAll String name) throws Exception {
    Everything e = new Everything(s, i, l, b, c, list, set, Map.of("k", i), new Inner(name, l),
        List.of(new Inner(s, 1), new Inner(name, 2)));
    assertEquals(e, rich.decode(rich.encode(e)));
  }

  private String error(WireCodec codec, String json) {
    return assertThrows(WireCodec.WireException.class,
        () -> codec.decode(json.getBytes(StandardCharsets.UTF_8))).getMessage();
  }

  @Test
  void badContentsAreNamedErrors() {
    assertTrue(error(twoPhase, "{\"type\":\"Launch\"}").contains("unknown type 'Launch'"));
    assertTrue(error(twoPhase, "{\"rm\":\"rm1\"}").contains("the first field must be \"type\""));
    assertTrue(error(twoPhase, "{\"type\":\"Prepared\"}").contains("Prepared lacks its field 'rm'"));
    assertTrue(error(twoPhase, "{\"type\":\"Prepared\",\"rm\":7}").contains("Prepared.rm must be a string"));
    assertTrue(error(twoPhase, "{\"type\":\"Prepared\",\"rm\":\"a\",\"x\":1}").contains("has no field 'x'"));
    assertTrue(error(twoPhase, "{\"type\":\"Prepared\",\"rm\":\"\"}").contains("refuses its fields"));
    assertTrue(error(twoPhase, "{\"type\":\"Commit\"} []").contains("data after the object"));
    assertTrue(error(twoPhase, "{\"type\":").startsWith("not JSON"));
    assertTrue(error(twoPhase, "[1]").contains("not a JSON object"));
    assertTrue(error(twoPhase, "{\"type\":\"Vote\",\"yes\":\"maybe\"}").contains("Vote.yes must be a boolean"));
  }

  private static Frame.BadFrame badFrame(byte[] bytes) {
    return assertThrows(Frame.BadFrame.class, () -> Frame.read(new DataInputStream(new ByteArrayInputStream(bytes))));
  }

  @Test
  void framesRoundTripAndBadFramesAreNamed() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(b);
    new Frame(Frame.Kind.STOP, new byte[0]).write(o);
    new Frame(Frame.Kind.REQUEST, twoPhase.encode(new Vote(true))).write(o);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(b.toByteArray()));
    assertEquals(Frame.Kind.STOP, Frame.read(in).kind());
    assertEquals(new Vote(true), twoPhase.decode(Frame.read(in).payload()));
    assertEquals(null, Frame.read(in), "a clean end between frames");

    assertTrue(badFrame(new byte[] {0x7f, 0, 0, 0, 1, 1}).getMessage().contains("outside 2.." + Frame.MAX_LENGTH));
    assertTrue(badFrame(new byte[] {0, 0, 0, 2, 9, 1}).getMessage()
        .contains("frame version 9: the peer speaks a newer"));
    // A HELLO of version 1, which had no authentication: the peer is told apart from garbage.
    assertEquals("frame version 1: the peer speaks an older wire protocol, without authentication; this build speaks"
        + " version 2 only", badFrame(new byte[] {0, 0, 0, 5, 1, 1, 'r', 'm', '1'}).getMessage());
    assertTrue(badFrame(new byte[] {0, 0, 0, 2, 2, 42}).getMessage().contains("unknown frame kind 42"));
    assertTrue(badFrame(new byte[] {0, 0, 0, 9, 2, 2, 'x'}).getMessage().contains("ended inside a frame"));
  }
}
