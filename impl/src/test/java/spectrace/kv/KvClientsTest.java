package spectrace.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import spectrace.kv.HistoryEvent.Type;
import spectrace.kv.KvClients.After;
import spectrace.kv.KvClients.Outbound;
import spectrace.kv.KvClients.Retry;
import spectrace.kv.KvClients.Send;
import spectrace.kv.KvClients.Think;

/** The clients' retries, give-ups and history, driven by hand one reply or timer at a time. */
class KvClientsTest {

  private static final List<String> NODES = List.of("n1", "n2", "n3");

  /** One client, no think time, timeout 100, back-off 10, {@code attempts} sends, puts only. */
  private static KvClients oneClient(int attempts, long operations) {
    return new KvClients(NODES, new KvClients.Config(1, 5, operations, 0, 100, 10, attempts, 1, 0, 0),
        new SplittableRandom(1));
  }

  private static Send send(List<Outbound> out) {
    List<Send> sends = out.stream().filter(o -> o instanceof Send).map(o -> (Send) o).toList();
    assertEquals(1, sends.size(), "one send in " + out);
    return sends.get(0);
  }

  private static After timer(List<Outbound> out) {
    List<After> timers = out.stream().filter(o -> o instanceof After).map(o -> (After) o).toList();
    assertEquals(1, timers.size(), "one timer in " + out);
    return timers.get(0);
  }

  @Test
  void theFirstSendIsTheInvokeAndArmsItsTimeout() {
    KvClients c = oneClient(3, 10);
    List<Outbound> out = c.start(5);
    Send s = send(out);
    assertEquals("n1", s.node());
    assertEquals("c1", s.request().command().client());
    assertEquals(1, s.request().command().seq());
    assertEquals(100, timer(out).delay());
    assertEquals(List.of(HistoryEvent.invoke(s.request().command(), 5)), c.history());
  }

  @Test
  void notLeaderWithAHintRetriesTheSameCommandAtTheHintAtOnce() {
    KvClients c = oneClient(3, 10);
    Command cmd = send(c.start(0)).request().command();
    List<Outbound> out = c.onReply(7, "n1", KvReply.notLeader(cmd, "n3"));
    Send again = send(out);
    assertEquals("n3", again.node());
    assertEquals(cmd, again.request().command(), "same client, same seq, same operation");
    assertEquals(1, c.history().size(), "a retry is no new invoke");
  }

  @Test
  void notLeaderWithoutAHintBacksOffThenTriesTheNextNode() {
    KvClients c = oneClient(3, 10);
    List<Outbound> first = c.start(0);
    Command cmd = send(first).request().command();
    List<Outbound> out = c.onReply(7, "n1", KvReply.notLeader(cmd, KvReply.NO_HINT));
    After backoff = timer(out);
    assertEquals(10, backoff.delay());
    assertTrue(out.stream().noneMatch(o -> o instanceof Send), "no send before the back-off is over");
    Send again = send(c.onTimer(17, backoff.timer()));
    assertEquals("n2", again.node());
    assertEquals(cmd, again.request().command());
    assertEquals(List.of(), c.onTimer(100, timer(first).timer()), "the first send's timeout is void now");
  }

  @Test
  void aTimeoutRetriesTheSameCommandAtTheNextNode() {
    KvClients c = oneClient(3, 10);
    List<Outbound> first = c.start(0);
    Command cmd = send(first).request().command();
    List<Outbound> out = c.onTimer(100, timer(first).timer());
    assertEquals(new Send("n2", new KvRequest(cmd)), send(out));
    assertEquals(new Send("n3", new KvRequest(cmd)), send(c.onTimer(200, timer(out).timer())));
  }

  @Test
  void aNotLeaderAnswerToAnEarlierSendIsIgnored() {
    KvClients c = oneClient(3, 10);
    List<Outbound> first = c.start(0);
    Command cmd = send(first).request().command();
    List<Outbound> second = c.onTimer(100, timer(first).timer()); // now waiting on n2
    assertEquals(List.of(), c.onReply(120, "n1", KvReply.notLeader(cmd, "n3")));
    assertEquals(new Send("n3", new KvRequest(cmd)), send(c.onTimer(200, timer(second).timer())),
        "the wait on n2 still stands");
  }

  @Test
  void givingUpRecordsInfoAndContinuesAsANewProcessWithANewSession() {
    KvClients c = new KvClients(NODES, new KvClients.Config(2, 5, 10, 0, 100, 10, 2, 1, 0, 0),
        new SplittableRandom(1));
    List<Outbound> start = c.start(0);
    After c1Timeout = start.stream().filter(o -> o instanceof After a && ((Retry) a.timer()).process().equals("c1"))
        .map(o -> (After) o).findFirst().orElseThrow();
    Command lost = ((Send) start.get(0)).request().command();
    assertEquals("c1", lost.client());
    List<Outbound> second = c.onTimer(100, c1Timeout.timer());
    List<Outbound> after = c.onTimer(200, timer(second).timer());
    Send next = send(after);
    assertEquals("c3", next.request().command().client(), "worker 1 of 2 continues as c3");
    assertEquals(1, next.request().command().seq(), "in a new session");
    List<HistoryEvent> h = c.history();
    assertEquals(HistoryEvent.info(lost, 200), h.get(h.size() - 2));
    assertEquals(HistoryEvent.invoke(next.request().command(), 200), h.get(h.size() - 1));
    assertEquals(List.of(), c.onReply(250, "n1", KvReply.applied(lost, Result.ok(lost.value()))),
        "a late reply for the given-up operation is ignored");
    assertEquals(h, c.history(), "and records nothing");
  }

  @Test
  void aReplyCompletesItsOperationOnceAndTheNextOneFollows() {
    KvClients c = oneClient(3, 2);
    Command cmd = send(c.start(0)).request().command();
    List<Outbound> out = c.onReply(30, "n2", KvReply.applied(cmd, Result.ok(cmd.value())));
    Send next = send(out);
    assertEquals("n2", next.node(), "the node that answered is believed to lead");
    assertEquals(new Command("c1", 2, Op.PUT, next.request().command().key(), cmd.value() + 1, 0),
        next.request().command(), "seq 2, a value never written before");
    assertEquals(List.of(), c.onReply(31, "n2", KvReply.applied(cmd, Result.ok(cmd.value()))), "a duplicate reply");
    assertEquals(List.of(HistoryEvent.invoke(cmd, 0), HistoryEvent.completion(cmd, Result.ok(cmd.value()), 30),
        HistoryEvent.invoke(next.request().command(), 30)), c.history());
    assertFalse(c.done());
    assertEquals(List.of(), c.onReply(40, "n2", KvReply.applied(next.request().command(), Result.ok(2))),
        "no third operation: two were asked for");
    assertTrue(c.done());
  }

  @Test
  void aCasThatDidNotApplyIsAFail() {
    KvClients c = new KvClients(NODES, new KvClients.Config(1, 1, 5, 0, 100, 10, 3, 0, 0, 1),
        new SplittableRandom(3));
    Command cas = send(c.start(0)).request().command();
    assertEquals(Op.CAS, cas.op());
    c.onReply(10, "n1", KvReply.applied(cas, Result.failAbsent()));
    HistoryEvent fail = c.history().get(1);
    assertEquals(Type.FAIL, fail.type());
    assertEquals(cas.expected(), fail.expected());
    assertEquals(cas.value(), fail.value());
  }

  @Test
  void aStaleResultCompletesNothing() {
    KvClients c = oneClient(3, 10);
    Command cmd = send(c.start(0)).request().command();
    assertEquals(List.of(), c.onReply(10, "n1", KvReply.applied(cmd, Result.STALE)));
    assertEquals(1, c.history().size());
  }

  @Test
  void finishingMakesEveryOutstandingOperationInfoAndStopsTheClients() {
    KvClients c = new KvClients(NODES, new KvClients.Config(3, 5, 100, 0, 100, 10, 3, 2, 2, 1),
        new SplittableRandom(7));
    assertEquals(3, c.start(0).stream().filter(o -> o instanceof Send).count(), "three workers, three sends");
    c.finish(60);
    List<HistoryEvent> h = c.history();
    assertEquals(6, h.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(Type.INVOKE, h.get(i).type());
      assertEquals(new HistoryEvent(h.get(i).process(), Type.INFO, h.get(i).f(), h.get(i).key(), h.get(i).present(),
          h.get(i).value(), h.get(i).expected(), 60), h.get(3 + i));
    }
    assertTrue(c.done());
    assertEquals(List.of(), c.onTimer(70, new Think("c1")));
    assertEquals(6, c.history().size());
  }

  /**
   * The read-back: once the workload is over, no operation of it is issued, every key is read
   * by a get invoked after that moment (a get of the workload in flight does not count), a
   * read that is given up is read again by the worker's next process, and the clients are done
   * only when every key was read.
   */
  @Test
  void readBackReadsEveryKeyAfterTheWorkloadAndRetriesAGivenUpRead() {
    KvClients c = new KvClients(NODES, new KvClients.Config(1, 2, 100, 0, 100, 10, 1, 0, 1, 0),
        new SplittableRandom(1));
    Command inFlight = send(c.start(0)).request().command();
    assertEquals(Op.GET, inFlight.op());
    assertEquals(List.of(), c.readBack(10), "the worker is busy: nothing is sent yet");
    assertEquals("0 of 2 keys read back", c.readBackSummary());
    Send first = send(c.onReply(20, "n1", KvReply.applied(inFlight, Result.ok(0))));
    assertEquals("0 of 2 keys read back", c.readBackSummary(), "a get invoked before the read-back is no read-back");
    assertEquals(new Command("c1", 2, Op.GET, "k1", 0, 0), first.request().command(), "keys in order, not drawn");
    Send second = send(c.onReply(30, "n1", KvReply.applied(first.request().command(), Result.ok(7))));
    assertEquals("k2", second.request().command().key());
    assertFalse(c.done());
    List<Outbound> gaveUp = c.onTimer(130, new Retry("c1", 3, 1));
    Send again = send(gaveUp);
    assertEquals(new Command("c2", 1, Op.GET, "k2", 0, 0), again.request().command(),
        "the given-up read of k2 is read again, by the next process");
    assertFalse(c.allReadBack());
    assertEquals(List.of(), c.onReply(140, "n2", KvReply.applied(again.request().command(), Result.ok(9))));
    assertEquals("2 of 2 keys read back", c.readBackSummary());
    assertTrue(c.allReadBack());
    assertTrue(c.done());
    assertEquals(Type.INFO, c.history().get(c.history().size() - 3).type());
  }

  @Test
  void timeGoingBackIsRefused() {
    KvClients c = oneClient(3, 10);
    c.start(10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.onTimer(9, new Think("c1")));
    assertEquals("time went back, from 10 to 9", e.getMessage());
  }

  @Test
  void theListenerSeesEveryEventAsItIsRecorded() {
    List<HistoryEvent> seen = new ArrayList<>();
    KvClients c = new KvClients(NODES, new KvClients.Config(1, 5, 10, 0, 100, 10, 3, 1, 0, 0),
        new SplittableRandom(1), seen::add);
    Command cmd = send(c.start(0)).request().command();
    assertEquals(1, seen.size());
    c.onReply(3, "n1", KvReply.applied(cmd, Result.ok(cmd.value())));
    assertEquals(c.history(), seen);
  }

  @Test
  void aThinkTimeComesBeforeTheOperationAndItsInvoke() {
    KvClients c = new KvClients(NODES, new KvClients.Config(1, 5, 10, 50, 100, 10, 3, 1, 0, 0),
        new SplittableRandom(2));
    List<Outbound> out = c.start(0);
    if (out.get(0) instanceof Send) {
      assertEquals(0, c.history().get(0).time(), "a think time of 0 issues at once");
      return;
    }
    After think = timer(out);
    assertTrue(think.delay() >= 1 && think.delay() <= 50, "think time " + think.delay());
    assertEquals(new Think("c1"), think.timer());
    assertEquals(List.of(), c.history(), "no invoke before the send");
    Send s = send(c.onTimer(think.delay(), think.timer()));
    assertEquals(List.of(HistoryEvent.invoke(s.request().command(), think.delay())), c.history());
  }

  @Test
  void settingsOutOfRangeAreRefusedInOneLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KvClients.Config(0, 5, 10, 0, 100, 10, 3, 1, 0, 0));
    assertEquals("clients must be at least 1, not 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new KvClients.Config(1, 5, 10, 0, 100, 10, 3, 0, 0, 0));
    assertEquals("the mix's weights must be at least 0 and not all 0 (put 0, get 0, cas 0)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new KvClients.Config(1, 5, 10, 0, 0, 10, 3, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new KvClients.Config(1, 5, 10, 0, 100, 10, 0, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new KvClients(List.of(), KvClients.Config.of(1, 1),
        new SplittableRandom(1)));
  }
}
