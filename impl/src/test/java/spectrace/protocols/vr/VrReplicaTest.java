package spectrace.protocols.vr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import spectrace.core.Effects;
import spectrace.core.StepRunner;
import spectrace.kv.AppliedEntry;
import spectrace.kv.Command;
import spectrace.kv.KvReply;
import spectrace.kv.KvRequest;
import spectrace.protocols.vr.VrMessage.Commit;
import spectrace.protocols.vr.VrMessage.DoViewChange;
import spectrace.protocols.vr.VrMessage.GetState;
import spectrace.protocols.vr.VrMessage.NewState;
import spectrace.protocols.vr.VrMessage.Prepare;
import spectrace.protocols.vr.VrMessage.PrepareOk;
import spectrace.protocols.vr.VrMessage.Recovery;
import spectrace.protocols.vr.VrMessage.RecoveryResponse;
import spectrace.protocols.vr.VrMessage.StartView;
import spectrace.protocols.vr.VrMessage.StartViewChange;
import spectrace.storage.MemoryStorage;

/**
 * The VR replica's handlers, one step at a time, through the {@link Effects} each step asks
 * for, with no runtime: the rules of VR Revisited that VR.tla's actions state, each checked
 * where a wrong replica would differ. Replicas r1, r2, r3 (F = 1): the primaries of views 0, 1,
 * 2 are r1, r2, r3.
 */
class VrReplicaTest {

  private static final List<String> REPLICAS = List.of("r1", "r2", "r3");

  private static final class Harness {
    final StepRunner runner;
    final VrReplica node;

    Harness(String id) {
      this.runner = StepRunner.detached(id, REPLICAS, new MemoryStorage(), true);
      this.node = runner.boot(new VrReplica(id, REPLICAS));
    }

    Effects receive(String from, VrMessage m) {
      return runner.collect(from, m, () -> node.onMessage(from, m));
    }

    Effects timer(String name) {
      return runner.collect(() -> node.onTimer(name));
    }

    Effects request(Command c) {
      return runner.collect(() -> node.onRequest(new KvRequest(c)));
    }

    Effects recover() {
      return runner.collect(node::onRecover);
    }
  }

  private static List<String> actions(Effects e) {
    return e.actions().stream().map(Effects.Action::name).toList();
  }

  private static List<VrMessage> sent(Effects e) {
    return e.sends().stream().map(s -> (VrMessage) s.msg()).toList();
  }

  private static Command put(long v) {
    return Command.put("c1", v, "k", v);
  }

  @Test
  void thePrimaryPreparesARequestAtEveryBackupAndCommitsWithFAcknowledgements() {
    Harness p = new Harness("r1");
    Effects e = p.request(put(1));
    assertEquals(List.of("ClientRequest", "SendPrepare", "SendPrepare"), actions(e));
    assertEquals(List.of(new Prepare(0, 1, put(1), 0), new Prepare(0, 1, put(1), 0)), sent(e));
    // F = 1: one PrepareOK commits, executes and answers the client.
    e = p.receive("r2", new PrepareOk(0, 1));
    assertEquals(List.of("HandlePrepareOk", "PrimaryCommit"), actions(e));
    assertEquals(1, p.node.commitNumber());
    assertTrue(e.deliveries().contains(new AppliedEntry(1, put(1))), e.deliveries()::toString);
    assertTrue(e.deliveries().stream().anyMatch(d -> d instanceof KvReply.Applied), e.deliveries()::toString);
  }

  @Test
  void aBackupTakesPreparesInOrderAndAsksForTheStateAcrossAGap() {
    Harness b = new Harness("r2");
    Effects e = b.receive("r1", new Prepare(0, 2, put(2), 0));
    assertEquals(List.of("HandlePrepare"), actions(e));
    assertEquals(List.of(new GetState(0, 0)), sent(e), "a gap: the log after op-number 0, nothing appended");
    assertEquals(0, b.node.opNumber());
    e = b.receive("r1", new Prepare(0, 1, put(1), 0));
    assertEquals(List.of(new PrepareOk(0, 1)), sent(e));
    assertEquals(List.of(put(1)), b.node.log());
  }

  @Test
  void aPrepareSentAgainMovesTheCommitNumberNoFurtherThanTheLog() {
    // A heartbeat re-sends op 1 with the primary's commit-number of now, 3: the backup holds
    // only op 1, and may know no more than that committed (found by a simulated run).
    Harness b = new Harness("r2");
    b.receive("r1", new Prepare(0, 1, put(1), 3));
    assertEquals(1, b.node.commitNumber());
  }

  @Test
  void aReplicaThatLearnsOfALaterViewAsksForTheStateAndTruncatesNothing() {
    Harness b = new Harness("r3");
    b.receive("r1", new Prepare(0, 1, put(1), 0));
    Effects e = b.receive("r2", new Commit(1, 0));
    assertEquals(List.of("HandleCommit"), actions(e));
    assertEquals(List.of(new GetState(1, 0)), sent(e), "the log of view 1 after its commit-number 0");
    // VRR's text would cut the log to the commit-number (0) and claim view 1: the defect.
    assertEquals(List.of(put(1)), b.node.log());
    assertEquals(0, b.node.viewNumber());
    assertEquals(0, b.node.lastNormalView());
    e = b.receive("r2", new NewState(1, 0, List.of(put(7)), 1));
    assertEquals(List.of("HandleNewState"), actions(e));
    assertEquals(List.of(put(7)), b.node.log());
    assertEquals(1, b.node.viewNumber());
    assertEquals(1, b.node.lastNormalView());
  }

  @Test
  void aLateNewStateOfTheSameViewDoesNotUndoWhatWasAcknowledged() {
    Harness b = new Harness("r2");
    b.receive("r1", new Prepare(0, 1, put(1), 0));
    b.receive("r1", new Prepare(0, 2, put(2), 0));
    Effects e = b.receive("r1", new NewState(0, 0, List.of(put(1)), 0));
    assertEquals(List.of(), actions(e), "a NewState that makes the log no longer is not taken");
    assertEquals(List.of(put(1), put(2)), b.node.log());
  }

  @Test
  void theNewPrimaryTakesTheLogOfTheLargestLastNormalViewNotTheLongest() {
    Harness p = new Harness("r3");
    // r3 leads view 2 and holds two requests of view 0; r2's DoViewChange holds one of view 1,
    // which overruled them: F+1 = 2 DoViewChanges, its own and r2's, and r2's log wins.
    p.receive("r1", new Prepare(0, 1, put(1), 0));
    p.receive("r1", new Prepare(0, 2, put(2), 0));
    p.receive("r2", new StartViewChange(2));
    Effects e = p.receive("r2", new DoViewChange(2, List.of(put(5)), 1, 1));
    assertTrue(actions(e).contains("StartView"), actions(e)::toString);
    assertEquals(List.of(put(5)), p.node.log());
    assertEquals(1, p.node.commitNumber(), "the largest commit-number of the DoViewChanges");
    assertEquals(VrStatus.NORMAL, p.node.status());
    assertTrue(sent(e).contains(new StartView(2, List.of(put(5)), 1)), sent(e)::toString);
  }

  @Test
  void aBackupJoinsAViewChangeAndSendsItsDoViewChangeWithFStartViewChanges() {
    Harness b = new Harness("r3");
    b.receive("r1", new Prepare(0, 1, put(1), 0));
    Effects e = b.receive("r1", new StartViewChange(1));
    assertEquals(List.of("HandleStartViewChange", "SendDoViewChange"), actions(e));
    assertTrue(sent(e).contains(new DoViewChange(1, List.of(put(1)), 0, 0)), sent(e)::toString);
    assertEquals(VrStatus.VIEW_CHANGE, b.node.status());
  }

  @Test
  void aViewChangeThatDoesNotCompleteMovesOnToTheNextViewAtItsTimer() {
    Harness b = new Harness("r3");
    b.timer(VrReplica.VIEW_TIMER);
    assertEquals(1, b.node.viewNumber());
    Effects e = b.timer(VrReplica.VIEW_TIMER);
    assertEquals(List.of("Timeout"), actions(e));
    assertEquals(2, b.node.viewNumber());
  }

  @Test
  void aRestartedReplicaRecoversOnlyFromAnswersToItsOwnNonceAndTheLatestPrimary() {
    Harness r = new Harness("r3");
    Effects e = r.recover();
    assertEquals(List.of("Restart"), actions(e));
    assertEquals(VrStatus.RECOVERING, r.node.status());
    int nonce = ((Recovery) sent(e).get(0)).nonce();
    // An answer to another recovery (another nonce) is not counted.
    assertEquals(List.of(), actions(r.receive("r1", new RecoveryResponse(0, nonce + 1, true, List.of(put(9)), 1))));
    // F+1 answers, but none from the primary of the latest view among them (view 1: r2).
    r.receive("r1", new RecoveryResponse(1, nonce, false, List.of(), 0));
    assertEquals(VrStatus.RECOVERING, r.node.status());
    e = r.receive("r2", new RecoveryResponse(1, nonce, true, List.of(put(1), put(2)), 1));
    assertEquals(List.of("HandleRecoveryResponse", "CompleteRecovery"), actions(e));
    assertEquals(VrStatus.NORMAL, r.node.status());
    assertEquals(1, r.node.viewNumber());
    assertEquals(List.of(put(1), put(2)), r.node.log());
    assertEquals(1, r.node.commitNumber());
  }

  @Test
  void onlyANormalReplicaAnswersARecoveryAndOnlyThePrimaryWithItsLog() {
    Harness b = new Harness("r2");
    b.receive("r1", new Prepare(0, 1, put(1), 0));
    Effects e = b.receive("r3", new Recovery(5));
    assertEquals(List.of(new RecoveryResponse(0, 5, false, List.of(), 0)), sent(e));
    Harness p = new Harness("r1");
    p.request(put(1));
    e = p.receive("r3", new Recovery(5));
    assertEquals(List.of(new RecoveryResponse(0, 5, true, List.of(put(1)), 0)), sent(e));
  }
}
