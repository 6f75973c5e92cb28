package spectrace.net;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One connection to a node under test, from the test's side: raw bytes or frames as they are,
 * or frames sealed after an honest handshake. Everything written is kept, so that a test can
 * replay it.
 */
final class TestPeer implements Closeable {

  private final Socket socket;
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  final DataOutputStream out;
  final DataInputStream in;
  PeerAuth.Session session;

  private TestPeer(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
    socket.setSoTimeout(5000);
    OutputStream s = socket.getOutputStream();
    out = new DataOutputStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        s.write(b);
        written.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        s.write(b, off, len);
        written.write(b, off, len);
      }
    });
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
  }

  /** A connection with no handshake yet. */
  static TestPeer raw(int port) throws IOException {
    return new TestPeer(port);
  }

  /** A connection on which {@code self} has proved itself to {@code node} with {@code auth}. */
  static TestPeer honest(int port, PeerAuth auth, String self, String node) throws IOException {
    TestPeer p = new TestPeer(port);
    p.session = auth.connect(p.in, p.out, self, node);
    return p;
  }

  /** Writes bytes as they are. */
  TestPeer write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Writes a frame as it is. */
  TestPeer write(Frame f) throws IOException {
    f.write(out);
    out.flush();
    return this;
  }

  /** Seals a frame for this connection and writes it. */
  TestPeer seal(Frame.Kind kind, byte[] body) throws IOException {
    return write(session.seal(kind, body));
  }

  /** Every byte written on this connection so far. */
  byte[] written() {
    return written.toByteArray();
  }

  /** Waits (up to 2 s) until the node closes the connection, skipping what it sends; true if it did. */
  boolean closedByNode() throws IOException {
    socket.setSoTimeout(2000);
    try {
      while (in.read() >= 0) {
        // a CHALLENGE, say
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** The bytes of frames, back to back. */
  static byte[] frames(Frame... fs) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(b);
    for (Frame f : fs) {
      f.write(o);
    }
    return b.toByteArray();
  }
}
