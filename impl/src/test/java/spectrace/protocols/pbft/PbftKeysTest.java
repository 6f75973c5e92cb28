package spectrace.protocols.pbft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PBFT's signatures are Ed25519 as RFC 8032 defines it: the JDK's own implementation accepts
 * them, they are deterministic, and a signature of another body, by another replica, altered,
 * or not Base64 is refused.
 */
class PbftKeysTest {

  private static final List<String> REPLICAS = List.of("r0", "r1", "r2", "r3");

  /** The JDK's key for RFC 8032's 32 bytes: X.509's prefix for an Ed25519 key, then the key. */
  private static PublicKey jdk(byte[] raw) throws Exception {
    byte[] der = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
  }

  @Test
  void theJdksEd25519AcceptsEachSignature() throws Exception {
    for (String self : REPLICAS) {
      PbftKeys keys = PbftKeys.simulated(REPLICAS, self);
      for (String body : List.of("", "PREPARE v=0 n=1 d=abc i=" + self, "é ∀ x ∈ S".repeat(40))) {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(jdk(keys.publicKey(self)));
        s.update(body.getBytes(StandardCharsets.UTF_8));
        assertTrue(s.verify(Base64.getDecoder().decode(keys.sign(body))), self + " on " + body);
      }
    }
  }

  @Test
  void signaturesAreDeterministicAndEveryReplicaChecksThem() {
    PbftKeys r1 = PbftKeys.simulated(REPLICAS, "r1");
    String sig = r1.sign("COMMIT v=0 n=1");
    assertEquals(sig, PbftKeys.simulated(REPLICAS, "r1").sign("COMMIT v=0 n=1"));
    assertEquals(64, Base64.getDecoder().decode(sig).length);
    for (String other : REPLICAS) {
      assertTrue(PbftKeys.simulated(REPLICAS, other).verify("r1", "COMMIT v=0 n=1", sig), other);
    }
    assertArrayEquals(r1.publicKey("r2"), PbftKeys.simulated(REPLICAS, "r2").publicKey("r2"));
  }

  @Test
  void aSignatureOfAnotherBodySignerOrBytesIsRefused() {
    PbftKeys r0 = PbftKeys.simulated(REPLICAS, "r0");
    PbftKeys r2 = PbftKeys.simulated(REPLICAS, "r2");
    String body = "VIEW-CHANGE v=1 i=r2";
    String sig = r2.sign(body);
    assertFalse(r0.verify("r2", body + " ", sig), "another body");
    assertFalse(r0.verify("r3", body, sig), "another signer");
    assertFalse(r0.verify("r9", body, sig), "a signer not of the cluster");
    byte[] raw = Base64.getDecoder().decode(sig);
    raw[10] ^= 1;
    assertFalse(r0.verify("r2", body, Base64.getEncoder().encodeToString(raw)), "an altered byte");
    assertFalse(r0.verify("r2", body, sig.substring(4)), "too short");
    assertFalse(r0.verify("r2", body, "not base64 !"), "not Base64");
    assertFalse(r0.verify("r2", body, null), "no signature");
    // Keys of another cluster secret do not sign for this one.
    PbftKeys elsewhere = PbftKeys.of("another secret".getBytes(StandardCharsets.UTF_8), REPLICAS, "r2");
    assertFalse(r0.verify("r2", body + "!", elsewhere.sign(body + "!")));
  }
}
