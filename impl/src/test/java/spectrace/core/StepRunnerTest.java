package spectrace.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import spectrace.protocols.twophase.RMState;
import spectrace.protocols.twophase.ResourceManager;
import spectrace.protocols.twophase.TMState;
import spectrace.protocols.twophase.TransactionManager;
import spectrace.protocols.twophase.TwoPhaseMessage;
import spectrace.protocols.twophase.Vote;
import spectrace.storage.MemoryStorage;

/**
 * A node's handlers asserted through their {@link Effects}, with no runtime: the step contract
 * as data, and the order in which one runner applies it for every runtime.
 */
class StepRunnerTest {

  private static final List<String> NODES = List.of("tm", "rm1", "rm2");

  @Test
  void theTmsLastVoteIsOneStepThatLogsTheDecisionCancelsItsTimerAndSendsCommitToEveryRm() {
    MemoryStorage storage = new MemoryStorage();
    StepRunner runner = StepRunner.detached("tm", NODES, storage, true);
    TransactionManager tm = runner.boot(new TransactionManager("tm", List.of("rm1", "rm2")));

    Effects start = runner.collect(tm::start);
    assertEquals(List.of(new Effects.Timer("vote-timeout", TransactionManager.TIMEOUT)), start.timers());
    assertFalse(start.visible());

    Effects first = runner.collect("rm1", new TwoPhaseMessage.Prepared("rm1"),
        () -> tm.onMessage("rm1", new TwoPhaseMessage.Prepared("rm1")));
    assertEquals(List.of("TMRcvPrepared"), first.actions().stream().map(Effects.Action::name).toList());
    assertEquals(List.of("rm"), first.actions().get(0).paramNames());
    assertEquals(List.of("rm1"), first.actions().get(0).params());
    assertEquals("rm1", first.actions().get(0).recvFrom());
    assertTrue(first.sends().isEmpty());
    assertFalse(first.wrote());

    Effects last = runner.collect("rm2", new TwoPhaseMessage.Prepared("rm2"),
        () -> tm.onMessage("rm2", new TwoPhaseMessage.Prepared("rm2")));
    assertEquals(List.of("TMRcvPrepared", "TMCommit"), last.actions().stream().map(Effects.Action::name).toList());
    // The receipt belongs to the first action only; TMCommit consumed nothing.
    assertEquals("rm2", last.actions().get(0).recvFrom());
    assertNull(last.actions().get(1).recv());
    assertEquals(List.of(new Effects.Send("rm1", new TwoPhaseMessage.Commit(), 1),
        new Effects.Send("rm2", new TwoPhaseMessage.Commit(), 1)), last.sends());
    assertEquals(List.of(new Effects.Timer("vote-timeout", -1)), last.timers());
    assertEquals(List.of(TMState.COMMITTED), last.decisions());
    assertTrue(last.wrote(), "the decision is a durable write of this step");
    assertTrue(last.visible());
    // Collected, not applied: nothing was flushed.
    assertTrue(storage.dirty());
  }

  @Test
  void anRmAskedToVoteNoAbortsAloneAndSendsNothing() {
    StepRunner runner = StepRunner.detached("rm1", NODES, new MemoryStorage(), true);
    ResourceManager rm = runner.boot(new ResourceManager("rm1", "tm"));
    Effects e = runner.collect(() -> rm.onRequest(new Vote(false)));
    assertEquals(List.of("RMChooseToAbort"), e.actions().stream().map(Effects.Action::name).toList());
    assertEquals(List.of(RMState.ABORTED), e.decisions());
    assertTrue(e.sends().isEmpty());
  }

  @Test
  void untracedStepsRecordNoActionsButTheSameEffects() {
    StepRunner runner = StepRunner.detached("rm1", NODES, new MemoryStorage(), false);
    ResourceManager rm = runner.boot(new ResourceManager("rm1", "tm"));
    Effects e = runner.collect(() -> rm.onRequest(new Vote(true)));
    assertTrue(e.actions().isEmpty());
    assertEquals(List.of(new Effects.Send("tm", new TwoPhaseMessage.Prepared("rm1"), 0)), e.sends());
  }

  @Test
  void theRunnerAppliesTimersThenTheDurableFlushWithTheTraceMarkThenSendsThenDecisions() {
    MemoryStorage storage = new MemoryStorage();
    List<String> applied = new ArrayList<>();
    StepRunner.Runtime recorder = new StepRunner.Runtime() {
      @Override
      public void setTimer(String name, long delay) {
        applied.add("set " + name);
      }

      @Override
      public void cancelTimer(String name) {
        applied.add("cancel " + name);
      }

      @Override
      public void mark(Storage s) {
        applied.add("mark, dirty=" + s.dirty());
        s.putString("mark", "m");
      }

      @Override
      public void send(String to, Message msg) {
        applied.add("send " + to + " flushed=" + !storage.dirty());
      }

      @Override
      public void delivered(Object value) {
        applied.add("deliver " + value);
      }

      @Override
      public void decided(Object value) {
        applied.add("decide " + value);
      }
    };
    StepRunner runner = new StepRunner("tm", NODES, storage, new java.util.SplittableRandom(1), recorder,
        (n, a, names, params, from, msg, to, sent) -> applied.add("trace " + a));
    TransactionManager tm = runner.boot(new TransactionManager("tm", List.of("rm1", "rm2")));
    runner.run(null, null, tm::start);
    runner.run(null, null, () -> tm.onTimer("vote-timeout"));
    assertEquals(List.of("set vote-timeout", "trace TMAbort", "cancel vote-timeout", "mark, dirty=true",
        "send rm1 flushed=true", "send rm2 flushed=true", "decide ABORTED"), applied);
    assertEquals("m", storage.getString("mark"), "the mark is flushed with the step's writes");
    assertFalse(storage.dirty());
  }

  @Test
  void aTracedSendOutsideAnySpecActionIsRefused() {
    StepRunner runner = StepRunner.detached("tm", NODES, new MemoryStorage(), true);
    ProtocolNode<TwoPhaseMessage> rogue = runner.boot(new ProtocolNode<>("tm") {
      @Override
      public void onMessage(String from, TwoPhaseMessage msg) {
        send("rm1", new TwoPhaseMessage.Abort());
      }
    });
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> runner.collect(() -> rogue.onMessage("rm1", new TwoPhaseMessage.Commit())));
    assertTrue(e.getMessage().contains("outside any @SpecAction"), e.getMessage());
  }

  @Test
  void aSendToANodeOutsideTheRunIsRefusedAtOnce() {
    StepRunner runner = StepRunner.detached("tm", NODES, new MemoryStorage(), false);
    ProtocolNode<TwoPhaseMessage> n = runner.boot(new ProtocolNode<>("tm") {
      @Override
      public void onMessage(String from, TwoPhaseMessage msg) {
        send("rm9", new TwoPhaseMessage.Abort());
      }
    });
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> runner.collect(() -> n.onMessage("rm1", new TwoPhaseMessage.Commit())));
    assertTrue(e.getMessage().contains("rm9"), e.getMessage());
  }
}
