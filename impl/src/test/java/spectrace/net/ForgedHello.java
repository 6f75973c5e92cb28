package spectrace.net;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The opener's side of the handshake as an attacker plays it: it ignores the listener's proof,
 * and proves its claimed id with whatever key it has. With the right key it is an honest peer;
 * with any other, the listener must refuse it.
 */
final class ForgedHello {

  private ForgedHello() {}

  /**
   * Says HELLO as {@code claimed} to {@code node}, answers the CHALLENGE with a proof made with
   * {@code key}, and returns the session that key would give (whose frames the node must refuse
   * unless the key is {@code claimed}'s own).
   *
   * @param transcript any PeerAuth of the protocol: it only lays out the handshake's transcript
   */
  static PeerAuth.Session connect(DataInputStream in, DataOutputStream out, String protocol, String claimed,
                                  String node, byte[] key, PeerAuth transcript) throws IOException {
    byte[] nonceO = new byte[PeerAuth.NONCE];
    new SecureRandom().nextBytes(nonceO);
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    try (DataOutputStream d = new DataOutputStream(hello)) {
      PeerAuth.writeName(d, protocol);
      PeerAuth.writeName(d, claimed);
      PeerAuth.writeName(d, node);
      d.write(nonceO);
    }
    new Frame(Frame.Kind.HELLO, hello.toByteArray()).write(out);
    out.flush();
    Frame challenge = Frame.read(in);
    if (challenge == null || challenge.kind() != Frame.Kind.CHALLENGE) {
      throw new Frame.BadFrame("no CHALLENGE: " + challenge);
    }
    byte[] nonceL = Arrays.copyOfRange(challenge.payload(), 0, PeerAuth.NONCE);
    byte[] t = transcript.transcript(claimed, node, nonceO, nonceL);
    new Frame(Frame.Kind.AUTH, PeerAuth.hmac(key, PeerAuth.utf8("opener"), t)).write(out);
    out.flush();
    return new PeerAuth.Session(PeerAuth.hmac(key, PeerAuth.utf8("session"), t), claimed, node, true);
  }
}
