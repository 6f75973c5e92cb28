package spectrace.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * TLC's distributed mode on loopback: a server and worker JVMs on this machine find what a
 * local run finds, show each worker's share, and survive losing a worker.
 */
class DistributedTlcIT {

  private static final Path TWOPHASE = Specs.locate().root().resolve("twophase");

  /** What a run told its listener. */
  private static class Recorder implements Progress.Listener {
    final List<Progress> progress = Collections.synchronizedList(new ArrayList<>());
    final List<List<Progress.Share>> shares = Collections.synchronizedList(new ArrayList<>());
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onProgress(Progress p) {
      progress.add(p);
    }

    @Override
    public void onWorkers(List<Progress.Share> s) {
      shares.add(s);
    }

    @Override
    public void onEvent(String e) {
      events.add(e);
    }
  }

  private static Manifest.Model model(String name) throws Exception {
    return Manifest.load(TWOPHASE).model(name).orElseThrow();
  }

  /** The model's CHECK_DEADLOCK, as TLC reads it. */
  private static boolean deadlock(Manifest.Model m) throws Exception {
    return spectrace.conformance.SpecLoader.modelFacts(TWOPHASE, m.module(), m.config()).checkDeadlock();
  }

  private static DistributedTlc.Options loopback(int workers) {
    return new DistributedTlc.Options("127.0.0.1", 0, workers, 1);
  }

  /**
   * Over 10^5 states (Raft's MCRaftLarge: 204,037 distinct, measured by a local run and
   * recorded in the manifest), on three workers on loopback of which one is SIGKILLed mid-run:
   * the loss is reported, the server hands its states to the others, and the run finds the
   * local run's count, with both survivors working. (Not the depth: the distributed server
   * keeps no levels, and reports another figure.)
   */
  @Test
  void loopbackWorkersFindTheLocalRunsCountOnARaftModelOfOver100000StatesThoughOneIsKilled() throws Exception {
    Path raft = Specs.locate().root().resolve("raft");
    Manifest.Model m = Manifest.load(raft).model("MCRaftLarge").orElseThrow();
    assertTrue(m.expect().distinct() > 100_000, "the model has over 10^5 states");
    Recorder r = killing(20_000, false);
    Verdict v = DistributedTlc.check(raft, m.module(), m.config(),
        spectrace.conformance.SpecLoader.modelFacts(raft, m.module(), m.config()).checkDeadlock(), loopback(3), r);
    assertEquals(Verdict.Kind.OK, v.kind(), v::headline);
    assertEquals(m.expect().distinct(), v.distinct(), v::headline);
    assertFalse(r.progress.isEmpty(), "no progress reported");
    assertTrue(r.events.stream().anyMatch(e -> e.startsWith("TLC server at 127.0.0.1:")), r.events::toString);
    assertEquals(3, r.events.stream().filter(e -> e.startsWith("worker joined: ")).count(), r.events::toString);
    assertTrue(r.events.stream().anyMatch(e -> e.matches("local worker \\d \\(pid \\d+\\) ended with exit code 137"
        + " before the run did.*; 2 left")), r.events::toString);
    // The survivors, ended by the server as it sums up, are not taken for lost ones.
    assertEquals(1, r.events.stream().filter(e -> e.contains(" before the run did")).count(), r.events::toString);
    // The server's closing count, per worker it still has: both survivors were handed states.
    List<Progress.Share> last = r.shares.get(r.shares.size() - 1);
    assertEquals(2, last.size(), last::toString);
    for (Progress.Share s : last) {
      assertTrue(s.sent() > 0, () -> s.worker() + " was handed no state: " + last);
    }
  }

  /**
   * A violation comes with the invariant's name and a whole counterexample, as from a local
   * run: as short (the server's queue is breadth first), starting in an initial state, each
   * state a successor of the one before in the model (replayed through TLC). It need not be
   * the same behaviour: workers take blocks of states in another order than one local thread.
   */
  @Test
  void aViolationIsReportedWithItsInvariantAndAWholeCounterexample() throws Exception {
    Manifest.Model m = model("MCTwoPhaseBuggy");
    Verdict local = new TlcRunner("1").check(TWOPHASE, m.module(), m.config(), Progress.Listener.NONE);
    Recorder r = new Recorder();
    Verdict v = DistributedTlc.check(TWOPHASE, m.module(), m.config(), deadlock(m), loopback(2), r);
    assertEquals(Verdict.Kind.SAFETY, v.kind(), v::headline);
    assertTrue(r.events.stream().noneMatch(e -> e.contains(" before the run did")), r.events::toString);
    assertEquals(local.property(), v.property());
    assertEquals(local.message(), v.message());
    assertEquals(local.counterexample().size(), v.counterexample().size(), () -> v.counterexample().toString());
    assertEquals("Initial predicate", v.counterexample().get(0).action());
    List<java.util.Map<String, String>> states = v.counterexample().stream().map(TraceStep::variables).toList();
    List<String> actions = v.counterexample().stream().map(TraceStep::action).toList();
    try (spectrace.conformance.CounterexampleSteps replay = spectrace.conformance.SpecLoader.counterexamples(
        spectrace.conformance.ConformanceSpec.forModel(TWOPHASE, m.module()), TWOPHASE, m.module(),
        m.config().replaceFirst("\\.cfg$", ""))) {
      assertEquals(states.size() - 1, replay.explain(states, actions).size());
    }
  }

  /** With every worker of a loopback run gone, none other can come: the run ends with an error. */
  @Test
  void everyWorkerOfALoopbackRunGoneEndsTheRunWithAnError() throws Exception {
    Manifest.Model m = model("MCTwoPhaseLarge");
    Verdict v = DistributedTlc.check(TWOPHASE, m.module(), m.config(), deadlock(m), loopback(2), killing(10_000, true));
    assertEquals(Verdict.Kind.ERROR, v.kind(), v::headline);
    assertTrue(v.message().startsWith("every local worker ended before the run did"), v::message);
    assertTrue(v.message().endsWith("no other can join a server on loopback; no verdict"), v::message);
  }

  /** A recorder that, once the run has found {@code distinct} states, SIGKILLs one worker, or all. */
  private static Recorder killing(long distinct, boolean all) {
    return new Recorder() {
      final AtomicBoolean killed = new AtomicBoolean();

      @Override
      public void onProgress(Progress p) {
        super.onProgress(p);
        if (p.distinct() > distinct && killed.compareAndSet(false, true)) {
          (all ? workers() : workers().subList(0, 1)).forEach(ProcessHandle::destroyForcibly);
        }
      }
    };
  }

  /** This JVM's worker processes: its descendants that run TlcMain as a worker. */
  private static List<ProcessHandle> workers() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(TlcMain.WORKER)).orElse(false))
        .toList();
  }
}
