package spectrace.net;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated links: the handshake that opens every spectrace connection, and the MAC that
 * every later frame carries. Only the JDK's own cryptography is used (HMAC-SHA256 from
 * {@code javax.crypto}, {@link SecureRandom}, {@link MessageDigest#isEqual} to compare MACs in
 * constant time).
 *
 * <h2>Keys</h2>
 * Every link of a run, between two identities (node ids, and {@value Frame#CLIENT} for a
 * driver), has a key derived from the {@link ClusterSecret}: {@code K(a, b) = HMAC(secret,
 * "spectrace link key" | min(a, b) | max(a, b))}. A proof made on the link rm1–tm is worthless
 * on any other link, so in any other name: a node that knew only the keys of its own links
 * could not speak for another.
 *
 * <h2>Handshake</h2>
 * The side that opens the connection (the opener, O) speaks first; the side that accepted it
 * (the listener, L) answers:
 * <pre>
 *   O -&gt; L  HELLO      protocol, O's id, L's id (as O believes it), nonce_O (32 random bytes)
 *   L -&gt; O  CHALLENGE  nonce_L (32 random bytes), HMAC(K(O, L), "listener" | T)
 *   O -&gt; L  AUTH       HMAC(K(O, L), "opener" | T)
 *   where T = "spectrace wire 2" | protocol | O | L | nonce_O | nonce_L
 * </pre>
 * (each string as a u16 length and its UTF-8 bytes). O checks L's proof before it sends its
 * own or anything else; L takes no frame before O's proof. Both nonces are fresh, so a
 * recorded handshake proves nothing on a later connection; the two proofs have different
 * labels, so one side's proof cannot be reflected back as the other's.
 *
 * <h2>Frames</h2>
 * After the handshake every frame's payload is {@code [u64 seq][body][32-byte MAC]}: seq
 * counts the frames each side sent on this connection (from 1), and the MAC is
 * {@code HMAC(S, direction | sender | receiver | seq | version | kind | body)} with the
 * session key {@code S = HMAC(K(O, L), "session" | T)}, fresh per connection. A frame is taken
 * only if its MAC holds and its seq is the next one; otherwise {@link Session#open} throws
 * {@link Frame.BadFrame}, and the node drops the frame, closes the connection and logs one line.
 *
 * <h2>Threat model</h2>
 * An attacker on the network who does not hold the cluster secret can read every frame (there
 * is no encryption: messages and requests travel in clear), and can drop, delay or cut
 * connections (links are then only as good as TCP and the senders' resends make them), or open
 * many (a handshake is bounded in size and in silence, not in number). It cannot: take a node's
 * or the driver's name (a HELLO in another's name fails its proof); make a node act on a frame
 * it made, altered (one flipped bit), replayed (on the same connection, on another one, or
 * after a node's restart), reordered, or moved from one link or direction to another; or learn
 * the secret from what it sees. The secret file protects all of this: whoever can read it is
 * inside the cluster. Every node and the driver hold the whole secret, so they can derive every
 * key: a member could speak in any member's name. That is the model of crash faults (and of TLS
 * with one cluster certificate), not of Byzantine members. PBFT's authenticated links against
 * faulty replicas need each node to hold only the keys of its own links, {@code K(self, x)} for
 * every x, which the driver could derive and hand out instead of the secret: the handshake
 * would not change.
 */
public final class PeerAuth {

  /** Bytes of a nonce. */
  public static final int NONCE = 32;
  /** Bytes of an HMAC-SHA256 tag. */
  public static final int TAG = 32;
  private static final String HMAC = "HmacSHA256";
  /** The longest protocol name or id a HELLO carries, in UTF-8 bytes. */
  private static final int MAX_NAME = 255;
  /**
   * The longest handshake frame, in bytes (a HELLO with three names of {@value #MAX_NAME}): a
   * peer that has proved nothing cannot make a node hold a frame of {@link Frame#MAX_LENGTH}.
   */
  static final int MAX_HANDSHAKE = 2 + 3 * (2 + MAX_NAME) + NONCE;

  private final byte[] secret;
  private final String protocol;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> keys = new ConcurrentHashMap<>();

  /** The links of a run of {@code protocol} under {@code secret}. */
  public PeerAuth(ClusterSecret secret, String protocol) {
    this.secret = secret.bytes();
    this.protocol = protocol;
  }

  /** {@code K(a, b)}: the key of the link between identities {@code a} and {@code b}, either way. */
  byte[] key(String a, String b) {
    boolean ordered = a.compareTo(b) <= 0;
    String lo = ordered ? a : b;
    String hi = ordered ? b : a;
    return keys.computeIfAbsent(lo + "\0" + hi, k -> {
      ByteArrayOutputStream label = new ByteArrayOutputStream(64);
      try (DataOutputStream d = new DataOutputStream(label)) {
        writeName(d, "spectrace link key");
        writeName(d, lo);
        writeName(d, hi);
      } catch (IOException e) {
        throw new IllegalStateException(e); // a byte array does not fail
      }
      return hmac(secret, label.toByteArray());
    });
  }

  static byte[] hmac(byte[] key, byte[]... parts) {
    try {
      Mac m = Mac.getInstance(HMAC);
      m.init(new SecretKeySpec(key, HMAC));
      for (byte[] p : parts) {
        m.update(p);
      }
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + HMAC, e); // every Java SE runtime has it
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] nonce() {
    byte[] n = new byte[NONCE];
    random.nextBytes(n);
    return n;
  }

  /** T: what both proofs and the session key are bound to. */
  byte[] transcript(String opener, String listener, byte[] nonceO, byte[] nonceL) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    try (DataOutputStream d = new DataOutputStream(b)) {
      writeName(d, "spectrace wire " + Frame.VERSION);
      writeName(d, protocol);
      writeName(d, opener);
      writeName(d, listener);
      d.write(nonceO);
      d.write(nonceL);
    } catch (IOException e) {
      throw new IllegalStateException(e); // a byte array does not fail
    }
    return b.toByteArray();
  }

  static void writeName(DataOutputStream d, String s) throws IOException {
    byte[] b = utf8(s);
    d.writeShort(b.length);
    d.write(b);
  }

  private static String readName(ByteBuffer b) throws Frame.BadFrame {
    if (b.remaining() < 2) {
      throw new Frame.BadFrame("a malformed HELLO (it ends inside a name)");
    }
    int n = b.getShort() & 0xffff;
    if (n > MAX_NAME || b.remaining() < n) {
      throw new Frame.BadFrame("a malformed HELLO (a name of " + n + " bytes)");
    }
    byte[] s = new byte[n];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  /**
   * The opener's side of the handshake: says HELLO as {@code self} to {@code peer}, checks the
   * peer's proof, proves {@code self}.
   *
   * @throws Frame.BadFrame when the peer fails its proof, answers with something else, or closes
   *     the connection (a listener closes it on a proof that fails, or a HELLO of an older wire
   *     protocol)
   */
  public Session connect(DataInputStream in, DataOutputStream out, String self, String peer) throws IOException {
    byte[] nonceO = nonce();
    ByteArrayOutputStream hello = new ByteArrayOutputStream(96);
    try (DataOutputStream d = new DataOutputStream(hello)) {
      writeName(d, protocol);
      writeName(d, self);
      writeName(d, peer);
      d.write(nonceO);
    }
    new Frame(Frame.Kind.HELLO, hello.toByteArray()).write(out);
    out.flush();
    Frame c = Frame.read(in, MAX_HANDSHAKE);
    if (c == null) {
      throw new Frame.BadFrame(peer + " closed the connection before it answered the HELLO (it stopped, refused the"
          + " HELLO, or speaks an older wire protocol)");
    }
    if (c.kind() != Frame.Kind.CHALLENGE || c.payload().length != NONCE + TAG) {
      throw new Frame.BadFrame(peer + " answered the HELLO with a " + c.kind() + " of " + c.payload().length
          + " bytes, not a CHALLENGE of " + (NONCE + TAG));
    }
    byte[] nonceL = java.util.Arrays.copyOfRange(c.payload(), 0, NONCE);
    byte[] proofL = java.util.Arrays.copyOfRange(c.payload(), NONCE, NONCE + TAG);
    byte[] t = transcript(self, peer, nonceO, nonceL);
    if (!MessageDigest.isEqual(hmac(key(self, peer), utf8("listener"), t), proofL)) {
      throw new Frame.BadFrame("the listener failed its proof of being " + peer
          + " (it does not hold this cluster's secret)");
    }
    new Frame(Frame.Kind.AUTH, hmac(key(self, peer), utf8("opener"), t)).write(out);
    out.flush();
    return new Session(hmac(key(self, peer), utf8("session"), t), self, peer, true);
  }

  /**
   * The listener's side of the handshake: reads a HELLO from an identity that {@code allowed}
   * accepts, proves {@code self}, checks the opener's proof.
   *
   * @return the session, or null when the connection ends before any frame
   * @throws Frame.BadFrame for a first frame that is no HELLO, a HELLO of another protocol, to
   *     another node or from no one {@code allowed} accepts, and an opener that fails its proof
   *     or sends anything before it
   */
  public Session accept(DataInputStream in, DataOutputStream out, String self, Predicate<String> allowed)
      throws IOException {
    Frame h = Frame.read(in, MAX_HANDSHAKE);
    if (h == null) {
      return null;
    }
    if (h.kind() != Frame.Kind.HELLO) {
      throw new Frame.BadFrame("the first frame must be HELLO, not " + h.kind());
    }
    ByteBuffer b = ByteBuffer.wrap(h.payload());
    String theirProtocol = readName(b);
    String opener = readName(b);
    String listener = readName(b);
    if (b.remaining() != NONCE) {
      throw new Frame.BadFrame("a malformed HELLO (" + b.remaining() + " bytes of nonce, not " + NONCE + ")");
    }
    byte[] nonceO = new byte[NONCE];
    b.get(nonceO);
    if (!theirProtocol.equals(protocol)) {
      throw new Frame.BadFrame("HELLO for protocol '" + theirProtocol + "'; this node runs " + protocol);
    }
    if (!listener.equals(self)) {
      throw new Frame.BadFrame("HELLO to '" + listener + "'; this node is " + self);
    }
    if (!allowed.test(opener)) {
      throw new Frame.BadFrame("HELLO from '" + opener + "', which is no peer of this run");
    }
    byte[] nonceL = nonce();
    byte[] t = transcript(opener, self, nonceO, nonceL);
    new Frame(Frame.Kind.CHALLENGE, ByteBuffer.allocate(NONCE + TAG).put(nonceL)
        .put(hmac(key(opener, self), utf8("listener"), t)).array()).write(out);
    out.flush();
    Frame a = Frame.read(in, MAX_HANDSHAKE);
    if (a == null) {
      throw new Frame.BadFrame("HELLO as " + opener + ", then the connection ended before its proof");
    }
    if (a.kind() != Frame.Kind.AUTH) {
      throw new Frame.BadFrame("HELLO as " + opener + ", then a " + a.kind() + " before its proof (AUTH)");
    }
    if (!MessageDigest.isEqual(hmac(key(opener, self), utf8("opener"), t), a.payload())) {
      throw new Frame.BadFrame("HELLO as " + opener + " failed its proof of identity (it does not hold this cluster's"
          + " secret)");
    }
    return new Session(hmac(key(opener, self), utf8("session"), t), self, opener, false);
  }

  /**
   * One authenticated connection, from one side: seals the frames it sends, opens those it
   * receives. Not thread-safe: each side of a connection is used by one thread at a time.
   */
  public static final class Session {
    private final Mac mac;
    private final String self;
    private final String peer;
    private final boolean opener;
    private long sent;
    private long received;

    Session(byte[] key, String self, String peer, boolean opener) {
      try {
        this.mac = Mac.getInstance(HMAC);
        mac.init(new SecretKeySpec(key, HMAC));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK has no " + HMAC, e);
      }
      this.self = self;
      this.peer = peer;
      this.opener = opener;
    }

    /** The identity the other side proved. */
    public String peer() {
      return peer;
    }

    private byte[] tag(boolean byOpener, String sender, String receiver, long seq, Frame.Kind kind, byte[] body,
                       int off, int len) {
      mac.update((byte) (byOpener ? 'O' : 'L'));
      for (String s : new String[] {sender, receiver}) {
        byte[] b = utf8(s);
        mac.update((byte) (b.length >>> 8));
        mac.update((byte) b.length);
        mac.update(b);
      }
      mac.update(ByteBuffer.allocate(10).putLong(seq).put((byte) Frame.VERSION).put((byte) kind.code).array());
      mac.update(body, off, len);
      return mac.doFinal();
    }

    /** The frame of {@code kind} carrying {@code body}, with this side's next sequence number and its MAC. */
    public Frame seal(Frame.Kind kind, byte[] body) {
      long seq = ++sent;
      byte[] t = tag(opener, self, peer, seq, kind, body, 0, body.length);
      return new Frame(kind, ByteBuffer.allocate(8 + body.length + TAG).putLong(seq).put(body).put(t).array());
    }

    /**
     * The body of a frame the other side sealed, if its MAC holds and it comes next.
     *
     * @throws Frame.BadFrame for a handshake frame, a frame too short to be sealed, a MAC that
     *     fails (a flipped bit, a forgery, a frame of another connection) or a sequence number
     *     out of turn (a frame replayed on its own connection)
     */
    public Frame open(Frame f) throws Frame.BadFrame {
      Frame.Kind kind = f.kind();
      if (kind == Frame.Kind.HELLO || kind == Frame.Kind.CHALLENGE || kind == Frame.Kind.AUTH) {
        throw new Frame.BadFrame("a " + kind + " after the handshake");
      }
      byte[] p = f.payload();
      if (p.length < 8 + TAG) {
        throw new Frame.BadFrame("a " + kind + " of " + p.length + " bytes, too short for its sequence number and MAC");
      }
      long seq = ByteBuffer.wrap(p).getLong();
      int len = p.length - 8 - TAG;
      byte[] expected = tag(!opener, peer, self, seq, kind, p, 8, len);
      if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(p, 8 + len, p.length))) {
        throw new Frame.BadFrame("a " + kind + " whose MAC fails (altered, forged, or from another connection)");
      }
      if (seq != received + 1) {
        throw new Frame.BadFrame("a " + kind + " with sequence number " + Long.toUnsignedString(seq) + " where "
            + (received + 1) + " comes next (replayed)");
      }
      received = seq;
      return new Frame(kind, java.util.Arrays.copyOfRange(p, 8, 8 + len));
    }
  }
}
