package spectrace.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The handshake and the frame MACs of {@link PeerAuth}, over in-memory pipes. */
class PeerAuthTest {

  private final ClusterSecret secret = ClusterSecret.random();
  private final PeerAuth tm = new PeerAuth(secret, "twophase");

  /** Both ends of one connection after a handshake: each end's session, or what it failed with. */
  private record Outcome(PeerAuth.Session opener, Throwable openerError, PeerAuth.Session listener,
                         Throwable listenerError) {
    /** Both sessions, when neither end failed. */
    Outcome ok() {
      assertEquals(null, openerError, "the opener's end");
      assertEquals(null, listenerError, "the listener's end");
      return this;
    }

    String openerMessage() {
      assertTrue(openerError instanceof Frame.BadFrame, () -> "the opener failed with " + openerError);
      return openerError.getMessage();
    }

    String listenerMessage() {
      assertTrue(listenerError instanceof Frame.BadFrame, () -> "the listener failed with " + listenerError);
      return listenerError.getMessage();
    }
  }

  /** The end that opens a connection: honest ({@link PeerAuth#connect}) or not ({@link ForgedHello}). */
  private interface OpenerEnd {
    PeerAuth.Session run(DataInputStream in, DataOutputStream out) throws IOException;
  }

  /** Runs a handshake between {@code opener} and {@code listener} (as tm), over pipes. */
  static Outcome handshake(OpenerEnd opener, PeerAuth listener, Predicate<String> allowed) throws Exception {
    PipedInputStream toListener = new PipedInputStream(1 << 16);
    PipedInputStream toOpener = new PipedInputStream(1 << 16);
    DataOutputStream openerOut = new DataOutputStream(new PipedOutputStream(toListener));
    DataOutputStream listenerOut = new DataOutputStream(new PipedOutputStream(toOpener));
    CompletableFuture<PeerAuth.Session> l = CompletableFuture.supplyAsync(() -> {
      try (listenerOut) { // closed as the node closes the connection
        return listener.accept(new DataInputStream(toListener), listenerOut, "tm", allowed);
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    });
    PeerAuth.Session o = null;
    Throwable oe = null;
    try (openerOut) {
      o = opener.run(new DataInputStream(toOpener), openerOut);
    } catch (IOException e) {
      oe = e;
    }
    try {
      return new Outcome(o, oe, l.get(5, TimeUnit.SECONDS), null);
    } catch (ExecutionException e) {
      return new Outcome(o, oe, null, e.getCause());
    }
  }

  private static Outcome handshake(PeerAuth opener, String self, PeerAuth listener) throws Exception {
    return handshake((in, out) -> opener.connect(in, out, self, "tm"), listener, id -> true);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anHonestHandshakeCarriesFramesBothWays() throws Exception {
    Outcome p = handshake(new PeerAuth(secret, "twophase"), "rm1", tm).ok();
    assertEquals("rm1", p.listener().peer());
    assertEquals("tm", p.opener().peer());
    for (int i = 0; i < 3; i++) {
      Frame f = p.listener().open(p.opener().seal(Frame.Kind.MESSAGE, bytes("vote " + i)));
      assertEquals(Frame.Kind.MESSAGE, f.kind());
      assertArrayEquals(bytes("vote " + i), f.payload());
    }
    assertArrayEquals(bytes("back"), p.opener().open(p.listener().seal(Frame.Kind.REQUEST, bytes("back"))).payload());
  }

  @Test
  void aHelloInAnotherNodesNameWithoutTheSecretFailsItsProof() throws Exception {
    // An honest opener of another cluster sees at once that tm does not hold its secret, and stops.
    Outcome other = handshake(new PeerAuth(ClusterSecret.random(), "twophase"), "rm1", tm);
    assertEquals("the listener failed its proof of being tm (it does not hold this cluster's secret)",
        other.openerMessage());
    assertEquals("HELLO as rm1, then the connection ended before its proof", other.listenerMessage());
    // An opener that sends a proof anyway, made with a key of its own, fails on tm's side.
    PeerAuth mallory = new PeerAuth(ClusterSecret.random(), "twophase");
    Outcome forged = handshake((in, out) -> ForgedHello.connect(in, out, "twophase", "rm1", "tm",
        mallory.key("rm1", "tm"), mallory), tm, id -> true);
    assertEquals("HELLO as rm1 failed its proof of identity (it does not hold this cluster's secret)",
        forged.listenerMessage());
  }

  @Test
  void aProofMadeInOneNameIsWorthlessInAnother() throws Exception {
    // An opener that holds the key of the link rm2–tm, not the secret, claims to be rm1: the
    // proof is bound to the claimed id's link.
    PeerAuth honest = new PeerAuth(secret, "twophase");
    Outcome forged = handshake((in, out) -> ForgedHello.connect(in, out, "twophase", "rm1", "tm",
        honest.key("rm2", "tm"), honest), tm, id -> true);
    assertEquals("HELLO as rm1 failed its proof of identity (it does not hold this cluster's secret)",
        forged.listenerMessage());
    // The same forger with the key of rm1's own link passes: the refusal above was the key's.
    Outcome right = handshake((in, out) -> ForgedHello.connect(in, out, "twophase", "rm1", "tm",
        honest.key("tm", "rm1"), honest), tm, id -> true).ok();
    assertArrayEquals(bytes("x"), right.listener().open(right.opener().seal(Frame.Kind.MESSAGE, bytes("x"))).payload());
  }

  @Test
  void eachLinkHasAKeyOfItsOwnTheSameBothWays() {
    PeerAuth a = new PeerAuth(secret, "twophase");
    assertArrayEquals(a.key("rm1", "tm"), a.key("tm", "rm1"));
    assertTrue(!java.util.Arrays.equals(a.key("rm1", "tm"), a.key("rm2", "tm")), "another link");
    assertTrue(!java.util.Arrays.equals(a.key("rm1", "tm"), a.key("client", "tm")), "the driver's link");
    // Names are length-prefixed: "a" with "bc" is not "ab" with "c".
    assertTrue(!java.util.Arrays.equals(a.key("a", "bc"), a.key("ab", "c")), "no ambiguity in the label");
    assertTrue(!java.util.Arrays.equals(a.key("rm1", "tm"),
        new PeerAuth(ClusterSecret.random(), "twophase").key("rm1", "tm")), "another cluster");
  }

  @Test
  void aHelloOfAnotherProtocolOrToAnotherNodeOrFromNoPeerIsRefused() throws Exception {
    assertEquals("HELLO for protocol 'beb'; this node runs twophase",
        handshake(new PeerAuth(secret, "beb"), "rm1", tm).listenerMessage());
    PeerAuth honest = new PeerAuth(secret, "twophase");
    assertEquals("HELLO from 'mallory', which is no peer of this run",
        handshake((in, out) -> honest.connect(in, out, "mallory", "tm"), tm, id -> !id.equals("mallory"))
            .listenerMessage());
    assertEquals("HELLO to 'rm2'; this node is tm",
        handshake((in, out) -> honest.connect(in, out, "rm1", "rm2"), tm, id -> true).listenerMessage());
  }

  @Test
  void aHandshakeFrameLargerThanAnyHelloIsRefusedBeforeItIsRead() throws Exception {
    Outcome big = handshake((in, out) -> {
      new Frame(Frame.Kind.HELLO, new byte[PeerAuth.MAX_HANDSHAKE - 1]).write(out);
      out.flush();
      return null;
    }, tm, id -> true);
    assertEquals("frame length " + (PeerAuth.MAX_HANDSHAKE + 1) + " outside 2.." + PeerAuth.MAX_HANDSHAKE,
        big.listenerMessage());
  }

  @Test
  void everyFlippedBitOfASealedFrameIsRefused() throws Exception {
    Outcome p = handshake(new PeerAuth(secret, "twophase"), "rm1", tm).ok();
    Frame sealed = p.opener().seal(Frame.Kind.MESSAGE, bytes("{\"type\":\"Prepared\",\"rm\":\"rm1\"}"));
    byte[] payload = sealed.payload();
    for (int bit = 0; bit < payload.length * 8; bit++) {
      byte[] flipped = payload.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      Frame.BadFrame bad = assertThrows(Frame.BadFrame.class,
          () -> p.listener().open(new Frame(Frame.Kind.MESSAGE, flipped)), "bit " + bit);
      assertTrue(bad.getMessage().contains("MAC fails"), bad.getMessage());
    }
    // The kind is under the MAC too: a sealed MESSAGE cannot become a STOP or a REQUEST.
    for (Frame.Kind other : new Frame.Kind[] {Frame.Kind.STOP, Frame.Kind.REQUEST}) {
      assertThrows(Frame.BadFrame.class, () -> p.listener().open(new Frame(other, payload)), other.name());
    }
    // A cut frame is refused as too short, not read out of bounds.
    assertThrows(Frame.BadFrame.class, () -> p.listener().open(new Frame(Frame.Kind.STOP, new byte[39])));
    // None of the refusals moved the session on: the untouched frame is still the next one.
    assertArrayEquals(bytes("{\"type\":\"Prepared\",\"rm\":\"rm1\"}"), p.listener().open(sealed).payload());
  }

  @Test
  void aFrameReplayedOnItsOwnConnectionIsRefused() throws Exception {
    Outcome p = handshake(new PeerAuth(secret, "twophase"), "rm1", tm).ok();
    Frame first = p.opener().seal(Frame.Kind.MESSAGE, bytes("a"));
    Frame second = p.opener().seal(Frame.Kind.MESSAGE, bytes("b"));
    p.listener().open(first);
    assertEquals("a MESSAGE with sequence number 1 where 2 comes next (replayed)",
        assertThrows(Frame.BadFrame.class, () -> p.listener().open(first)).getMessage());
    p.listener().open(second);
  }

  @Test
  void aFrameOfAnotherConnectionOrDirectionIsRefused() throws Exception {
    Outcome one = handshake(new PeerAuth(secret, "twophase"), "rm1", tm).ok();
    Outcome two = handshake(new PeerAuth(secret, "twophase"), "rm1", tm).ok();
    Frame f = one.opener().seal(Frame.Kind.MESSAGE, bytes("vote"));
    // The same sender, the same sequence number, the same body: another session key.
    assertTrue(assertThrows(Frame.BadFrame.class, () -> two.listener().open(f)).getMessage().contains("MAC fails"));
    // Sent back to its sender, as if the listener had said it.
    assertTrue(assertThrows(Frame.BadFrame.class, () -> one.opener().open(f)).getMessage().contains("MAC fails"));
    // A handshake frame where a sealed one is due.
    assertEquals("a HELLO after the handshake",
        assertThrows(Frame.BadFrame.class, () -> one.listener().open(new Frame(Frame.Kind.HELLO, new byte[40])))
            .getMessage());
  }
}
