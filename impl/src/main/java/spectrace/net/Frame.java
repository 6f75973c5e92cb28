package spectrace.net;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * One frame on a spectrace connection: {@code [u32 length][u8 version][u8 kind][payload]},
 * where the length counts the version, the kind and the payload.
 *
 * <p>Version {@value #VERSION} authenticates every connection ({@link PeerAuth}): it opens with
 * a handshake, a {@link Kind#HELLO} from the side that opened it (the protocol, its id or
 * {@value #CLIENT} for a driver, the id it means to reach, a nonce), a {@link Kind#CHALLENGE}
 * back and an {@link Kind#AUTH}, each side proving that it holds the cluster secret in its own
 * name. Every later frame (MESSAGE, REQUEST, STOP) has the payload {@code [u64 seq][body][32-byte
 * HMAC-SHA256]}, sealed and checked by {@link PeerAuth.Session}; the bodies below are what it
 * seals. Messages and requests are encoded with {@link WireCodec}. Version 1 had no handshake
 * and no MACs: a peer that speaks it is refused with a line that says so.
 *
 * @param kind    what the frame carries
 * @param payload its bytes
 */
public record Frame(Kind kind, byte[] payload) {

  /** The encoding this build writes, and the only one it reads: 2, authenticated (1 was not). */
  public static final int VERSION = 2;
  /** The largest frame accepted, in bytes: a larger length closes the connection. */
  public static final int MAX_LENGTH = 1 << 20;
  /** The identity of a connection that is no peer: a driver sending requests. */
  public static final String CLIENT = "client";

  /** What a frame carries. */
  public enum Kind {
    /** The opener's claim: the protocol, its id, the id it means to reach, its nonce. */
    HELLO(1),
    /**
     * A protocol message: the sender's incarnation (u64, random per process start) and the
     * link's sequence number (u64, from 1), the sender's vector clock ({@code u16} entries, 0
     * when it does not trace, then one u64 each), then the message as {@link WireCodec} JSON.
     */
    MESSAGE(2),
    /** A client request to the node: the request record. */
    REQUEST(3),
    /** A client asks the node to stop cleanly. Empty body. */
    STOP(4),
    /** The listener's answer to HELLO: its nonce and its proof. */
    CHALLENGE(5),
    /** The opener's proof. */
    AUTH(6);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind of(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      return null;
    }
  }

  /** Writes this frame (not flushed). */
  public void write(DataOutputStream out) throws IOException {
    out.writeInt(payload.length + 2);
    out.writeByte(VERSION);
    out.writeByte(kind.code);
    out.write(payload);
  }

  /**
   * Reads one frame, or returns null at a clean end of stream (between frames).
   *
   * @throws BadFrame for a frame this build cannot read: a bad length, version or kind, or a
   *     stream that ends inside a frame
   */
  public static Frame read(DataInputStream in) throws IOException {
    return read(in, MAX_LENGTH);
  }

  /** As {@link #read(DataInputStream)}, with a frame of more than {@code maxLength} bytes refused. */
  static Frame read(DataInputStream in, int maxLength) throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    try {
      int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
      if (length < 2 || length > maxLength) {
        throw new BadFrame("frame length " + Integer.toUnsignedString(length) + " outside 2.." + maxLength);
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new BadFrame("frame version " + version + ": the peer speaks "
            + (version < VERSION ? "an older wire protocol, without authentication;" : "a newer wire protocol;")
            + " this build speaks version " + VERSION + " only");
      }
      int code = in.readUnsignedByte();
      Kind kind = Kind.of(code);
      if (kind == null) {
        throw new BadFrame("unknown frame kind " + code);
      }
      byte[] payload = new byte[length - 2];
      in.readFully(payload);
      return new Frame(kind, payload);
    } catch (EOFException e) {
      throw new BadFrame("the connection ended inside a frame");
    }
  }

  /** A frame that cannot be read: the connection that sent it is closed. */
  public static final class BadFrame extends IOException {
    public BadFrame(String message) {
      super(message);
    }
  }
}
