package spectrace.protocols.pbft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import spectrace.core.Effects;
import spectrace.core.StepRunner;
import spectrace.kv.Command;
import spectrace.kv.KvRequest;
import spectrace.protocols.pbft.PbftMessage.Checkpoint;
import spectrace.protocols.pbft.PbftMessage.NewView;
import spectrace.protocols.pbft.PbftMessage.PrePrepare;
import spectrace.protocols.pbft.PbftMessage.Prepare;
import spectrace.protocols.pbft.PbftMessage.PreparedProof;
import spectrace.protocols.pbft.PbftMessage.ViewChange;
import spectrace.storage.MemoryStorage;

/**
 * The PBFT replica's checks of what it receives, one step at a time, with no runtime: each
 * kind of lie a Byzantine replica can tell (a sender not the link's, a signature that is not
 * the sender's, a signature lifted onto another body, a digest that is not the request's, a
 * VIEW-CHANGE or NEW-VIEW whose proofs do not hold) is rejected, counted, and not acted on;
 * the same message told truthfully is acted on, so that each rejection is the check's and not
 * a replica that acts on nothing. Replicas r1..r4 (F = 1): r1 is the primary of view 0, r2 of
 * view 1.
 */
class PbftReplicaTest {

  private static final List<String> REPLICAS = List.of("r1", "r2", "r3", "r4");

  private static final class Harness {
    final StepRunner runner;
    final PbftReplica node;

    Harness(String id) {
      this.runner = StepRunner.detached(id, REPLICAS, new MemoryStorage(), true);
      this.node = runner.boot(new PbftReplica(id, REPLICAS, PbftKeys.simulated(REPLICAS, id)));
    }

    Effects receive(String from, PbftMessage m) {
      return runner.collect(from, m, () -> node.onMessage(from, m));
    }

    Effects request(Command c) {
      return runner.collect(() -> node.onRequest(new KvRequest(c)));
    }
  }

  @SuppressWarnings("unchecked")
  private static <M extends PbftMessage> M signedBy(String signer, M m) {
    return (M) m.withSig(PbftKeys.simulated(REPLICAS, signer).sign(m.body()));
  }

  private static List<String> actions(Effects e) {
    return e.actions().stream().map(Effects.Action::name).toList();
  }

  private static Command put(long v) {
    return Command.put("c1", v, "k", v);
  }

  private static PrePrepare prePrepare(int view, long seq, Command q, String primary) {
    return signedBy(primary, new PrePrepare(view, seq, q, PbftKeys.digest(q), primary, null));
  }

  private static Prepare prepare(int view, long seq, Command q, String from) {
    return signedBy(from, new Prepare(view, seq, q, from, null));
  }

  /** A backup holding the request; it has rejected nothing. */
  private static Harness backup(String id, Command q) {
    Harness h = new Harness(id);
    assertEquals(List.of("ClientRequest"), actions(h.request(q)));
    return h;
  }

  /** {@code m} is rejected for {@code reason}: counted once, logged once, no action, nothing sent. */
  private static void assertRejected(Harness h, String from, PbftMessage m, String reason, String what) {
    int before = h.node.rejected();
    Effects e = h.receive(from, m);
    assertEquals(before + 1, h.node.rejected(), what + ": counted as rejected");
    assertEquals(List.of(new Effects.Rejection(from, m, reason)), e.rejections(), what + ": logged, for its reason");
    assertEquals(List.of(), actions(e), what + ": no action taken");
    assertEquals(List.of(), e.sends(), what + ": nothing sent");
  }

  @Test
  void aBackupPreparesThePrimarysSignedPrePrepare() {
    Harness b = backup("r2", put(1));
    Effects e = b.receive("r1", prePrepare(0, 1, put(1), "r1"));
    assertEquals(List.of("HandlePrePrepare"), actions(e));
    assertEquals(List.of(prepare(0, 1, put(1), "r2"), prepare(0, 1, put(1), "r2"), prepare(0, 1, put(1), "r2")),
        e.sends().stream().map(s -> s.msg()).toList(), "its PREPARE, to each other replica");
    assertEquals(0, b.node.rejected());
  }

  @Test
  void aMessageUnderAnotherReplicasNameIsRejected() {
    Harness b = backup("r2", put(1));
    // r1's own signed PRE-PREPARE, but on r3's link: r3 speaks for r1.
    assertRejected(b, "r3", prePrepare(0, 1, put(1), "r1"), "sender", "r1's PRE-PREPARE from r3");
    // A name that is no replica's.
    assertRejected(b, "r9", prePrepare(0, 1, put(1), "r1"), "sender", "a PRE-PREPARE from r9");
  }

  @Test
  void aSignatureNotTheSendersIsRejected() {
    Harness b = backup("r2", put(1));
    PrePrepare byR3 = signedBy("r3", new PrePrepare(0, 1, put(1), PbftKeys.digest(put(1)), "r1", null));
    assertRejected(b, "r1", byR3, "signature", "r1's PRE-PREPARE signed with r3's key");
    assertRejected(b, "r1", prePrepare(0, 1, put(1), "r1").withSig("not base64 !"), "signature", "a signature that is not Base64");
    assertRejected(b, "r1", prePrepare(0, 1, put(1), "r1").withSig(null), "signature", "no signature");
    assertEquals(List.of("HandlePrePrepare"), actions(b.receive("r1", prePrepare(0, 1, put(1), "r1"))),
        "the same PRE-PREPARE, signed by r1, is taken");
  }

  /**
   * A signature checked once is not a pass for every message that carries it: r3's signed
   * PREPARE of one request, with its signature lifted onto a PREPARE of another, is rejected
   * after the first was verified and filed.
   */
  @Test
  void aSignatureLiftedOntoAnotherBodyIsRejected() {
    Harness b = backup("r2", put(1));
    Prepare honest = prepare(0, 1, put(1), "r3");
    Effects first = b.receive("r3", honest);
    assertEquals(0, b.node.rejected(), "r3's own PREPARE is filed");
    assertEquals(List.of(), first.actions());
    Prepare lifted = new Prepare(0, 1, put(2), "r3", honest.sig());
    assertNotEquals(honest.body(), lifted.body());
    assertRejected(b, "r3", lifted, "signature", "r3's signature on a PREPARE it did not sign");
    Prepare otherSeq = new Prepare(0, 2, put(1), "r3", honest.sig());
    assertRejected(b, "r3", otherSeq, "signature", "r3's signature on a PREPARE of another sequence number");
  }

  @Test
  void aPrePrepareWhoseDigestIsNotItsRequestsIsRejected() {
    Harness b = backup("r2", put(1));
    PrePrepare wrong = signedBy("r1", new PrePrepare(0, 1, put(1), PbftKeys.digest(put(2)), "r1", null));
    assertRejected(b, "r1", wrong, "digest", "a PRE-PREPARE of put 1 with put 2's digest, signed by the primary");
    assertEquals(List.of("HandlePrePrepare"), actions(b.receive("r1", prePrepare(0, 1, put(1), "r1"))));
  }

  /** Not a rejection (the primary did sign both), but the second assignment is not taken. */
  @Test
  void aSecondPrePrepareForASequenceNumberIsNotTaken() {
    Harness b = backup("r2", put(1));
    b.request(put(2));
    assertEquals(List.of("HandlePrePrepare"), actions(b.receive("r1", prePrepare(0, 1, put(1), "r1"))));
    Effects second = b.receive("r1", prePrepare(0, 1, put(2), "r1"));
    assertEquals(List.of(), actions(second), "the primary equivocates: the backup keeps its first");
    assertEquals(List.of(), second.sends());
  }

  private static ViewChange viewChange(int v, List<Entry> prepared, List<PreparedProof> proofs, String from) {
    return signedBy(from, new ViewChange(v, 0, List.of(), prepared, List.of(), proofs, from, null));
  }

  /** Entry (0, 1, put 1), prepared: the primary's PRE-PREPARE and the PREPAREs of {@code backups}. */
  private static PreparedProof proof(List<String> backups) {
    Entry e = new Entry(0, 1, put(1));
    return new PreparedProof(e, prePrepare(0, 1, put(1), "r1"),
        backups.stream().map(r -> prepare(0, 1, put(1), r)).toList());
  }

  @Test
  void aViewChangeWhoseProofsDoNotHoldIsRejected() {
    Harness b = backup("r3", put(1));
    Entry e = new Entry(0, 1, put(1));
    assertRejected(b, "r4", viewChange(1, List.of(e), List.of(), "r4"), "proof", "P claims an entry with no proof");
    assertRejected(b, "r4", viewChange(1, List.of(e), List.of(proof(List.of("r2"))), "r4"), "proof",
        "P's entry with f PREPAREs, not 2f");
    assertRejected(b, "r4", viewChange(1, List.of(e), List.of(proof(List.of("r2", "r2"))), "r4"), "proof",
        "P's entry with one backup's PREPARE twice");
    PreparedProof wrongPrimary = new PreparedProof(e, prePrepare(0, 1, put(1), "r2"),
        List.of(prepare(0, 1, put(1), "r3"), prepare(0, 1, put(1), "r4")));
    assertRejected(b, "r4", viewChange(1, List.of(e), List.of(wrongPrimary), "r4"), "proof",
        "P's entry pre-prepared by a replica not view 0's primary");
    PrePrepare wrongDigest = signedBy("r1", new PrePrepare(0, 1, put(1), PbftKeys.digest(put(2)), "r1", null));
    PreparedProof digestLie = new PreparedProof(e, wrongDigest,
        List.of(prepare(0, 1, put(1), "r2"), prepare(0, 1, put(1), "r3")));
    assertRejected(b, "r4", viewChange(1, List.of(e), List.of(digestLie), "r4"), "proof",
        "P's entry proved by a PRE-PREPARE whose digest is another request's");
    Entry later = new Entry(1, 1, put(1));
    assertRejected(b, "r4", viewChange(1, List.of(later), List.of(proof(List.of("r2", "r3"))), "r4"), "proof",
        "P claims an entry of the view it moves to");
    Checkpoint one = signedBy("r4", new Checkpoint(8, List.of(put(1)), "r4", null));
    ViewChange ckpt = signedBy("r4", new ViewChange(1, 8, List.of(put(1)), List.of(), List.of(one), List.of(),
        "r4", null));
    assertRejected(b, "r4", ckpt, "proof", "a checkpoint at 8 proved by one CHECKPOINT, not 2f+1");
    // The truth is filed.
    b.receive("r4", viewChange(1, List.of(e), List.of(proof(List.of("r2", "r3"))), "r4"));
    assertEquals(7, b.node.rejected(), "a VIEW-CHANGE whose entry has 2f PREPAREs is not rejected");
  }

  @Test
  void aNewViewNotOfTheNewPrimaryOrWithoutAQuorumIsRejected() {
    Harness b = backup("r3", put(1));
    List<ViewChange> three = List.of(viewChange(1, List.of(), List.of(), "r2"),
        viewChange(1, List.of(), List.of(), "r3"), viewChange(1, List.of(), List.of(), "r4"));
    assertRejected(b, "r4", signedBy("r4", new NewView(1, three, List.of(), "r4", null)), "proof",
        "a NEW-VIEW for view 1 from r4, not its primary r2");
    assertRejected(b, "r2", signedBy("r2", new NewView(1, three.subList(0, 2), List.of(), "r2", null)), "proof",
        "a NEW-VIEW on 2f VIEW-CHANGEs, not 2f+1");
    List<ViewChange> twice = List.of(three.get(0), three.get(1), three.get(1));
    assertRejected(b, "r2", signedBy("r2", new NewView(1, twice, List.of(), "r2", null)), "proof",
        "a NEW-VIEW on one replica's VIEW-CHANGE twice");
    ViewChange lie = viewChange(1, List.of(new Entry(0, 1, put(1))), List.of(), "r4");
    assertRejected(b, "r2", signedBy("r2", new NewView(1, List.of(three.get(0), three.get(1), lie), List.of(), "r2",
        null)), "proof", "a NEW-VIEW on a VIEW-CHANGE whose proof does not hold");
    PrePrepare extra = prePrepare(1, 1, put(1), "r2");
    assertRejected(b, "r2", signedBy("r2", new NewView(1, three, List.of(extra), "r2", null)), "proof",
        "a NEW-VIEW whose O is not the one its V makes");
    b.receive("r2", signedBy("r2", new NewView(1, three, List.of(), "r2", null)));
    assertEquals(5, b.node.rejected(), "the NEW-VIEW of r2 on three VIEW-CHANGEs is not rejected");
    assertTrue(b.node.view() <= 1);
  }

  /**
   * Links reorder: the new primary's PRE-PREPARE can reach a backup before the NEW-VIEW that
   * starts its view. The backup keeps it, and takes it once it enters the view (dropped, the
   * request would wait for another view change).
   */
  @Test
  void aPrePrepareOfTheNewViewThatComesBeforeItsNewViewIsTakenAfterIt() {
    Harness b = backup("r3", put(1));
    List<ViewChange> three = List.of(viewChange(1, List.of(), List.of(), "r2"),
        viewChange(1, List.of(), List.of(), "r3"), viewChange(1, List.of(), List.of(), "r4"));
    assertEquals(List.of(), actions(b.receive("r2", three.get(0))));
    assertEquals(List.of("StartViewChange"), actions(b.receive("r4", three.get(2))), "f+1 VIEW-CHANGEs: r3 joins");
    Effects early = b.receive("r2", prePrepare(1, 1, put(1), "r2"));
    assertEquals(List.of(), actions(early), "view 1 has not begun at r3");
    Effects nv = b.receive("r2", signedBy("r2", new NewView(1, three, List.of(), "r2", null)));
    assertEquals(List.of("HandleNewView", "HandlePrePrepare"), actions(nv));
    assertEquals(0, b.node.rejected());
  }

  /**
   * Over TCP a replica's keys come from the run's secret, not from the constant of simulated
   * runs: a PRE-PREPARE signed with r1's simulated key, which anyone can derive, is rejected;
   * one signed with r1's key of the run is taken.
   */
  @Test
  void overTcpOnlyTheRunsKeysSign() {
    byte[] secret = "a secret of this run, 32 bytes!!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StepRunner runner = StepRunner.detached("r2", REPLICAS, new MemoryStorage(), true);
    PbftReplica r2 = runner.boot((PbftReplica) new Pbft().newNode("r2", REPLICAS, secret));
    runner.collect(() -> r2.onRequest(new KvRequest(put(1))));
    PrePrepare unsigned = new PrePrepare(0, 1, put(1), PbftKeys.digest(put(1)), "r1", null);
    PrePrepare simulated = signedBy("r1", unsigned);
    Effects e = runner.collect("r1", simulated, () -> r2.onMessage("r1", simulated));
    assertEquals(List.of(new Effects.Rejection("r1", simulated, "signature")), e.rejections());
    PrePrepare real = unsigned.withSig(PbftKeys.of(secret, REPLICAS, "r1").sign(unsigned.body()));
    Effects taken = runner.collect("r1", real, () -> r2.onMessage("r1", real));
    assertEquals(List.of("HandlePrePrepare"), actions(taken));
  }
}
