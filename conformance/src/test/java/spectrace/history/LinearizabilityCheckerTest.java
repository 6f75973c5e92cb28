package spectrace.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static spectrace.history.Ops.fail;
import static spectrace.history.Ops.history;
import static spectrace.history.Ops.info;
import static spectrace.history.Ops.op;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-written histories with known verdicts: the register examples of Herlihy and Wing
 * ("Linearizability: a correctness condition for concurrent objects", 1990, section 2) and of
 * Lamport's atomic-versus-regular registers ("On interprocess communication", 1986), the stale
 * read, concurrent writes read in both orders, and what info and fail completions allow. Each
 * verdict is also the brute-force oracle's.
 */
class LinearizabilityCheckerTest {

  private static LinearizabilityChecker.Result check(History h) {
    return LinearizabilityChecker.kv().check(h);
  }

  private static void linearizable(History h) {
    assertInstanceOf(LinearizabilityChecker.Linearizable.class, check(h), () -> "expected linearizable: " + h);
    assertTrue(BruteForce.linearizable(h), "the brute-force oracle disagrees");
  }

  private static LinearizabilityChecker.Witness notLinearizable(History h) {
    LinearizabilityChecker.Result r = check(h);
    assertInstanceOf(LinearizabilityChecker.NotLinearizable.class, r, () -> "expected not linearizable: " + h);
    assertTrue(!BruteForce.linearizable(h), "the brute-force oracle disagrees");
    return ((LinearizabilityChecker.NotLinearizable) r).witness();
  }

  /** A read that overlaps a write may return the old value or the new one. */
  @Test
  void aReadConcurrentWithAWriteMayReturnEitherValue() {
    linearizable(history(op("a", "put x 1", 0, 10), op("b", "put x 2", 20, 40), op("c", "get x -> 1", 25, 30)));
    linearizable(history(op("a", "put x 1", 0, 10), op("b", "put x 2", 20, 40), op("c", "get x -> 2", 25, 30)));
  }

  /**
   * New-old inversion: two reads one after the other, both during a write, the first sees the
   * new value and the second the old one. A regular register allows it, an atomic
   * (linearizable) one does not (Lamport 1986; Herlihy and Wing's motivating register example).
   */
  @Test
  void newOldInversionIsNotLinearizable() {
    LinearizabilityChecker.Witness w = notLinearizable(history(op("a", "put x 1", 0, 10), op("b", "put x 2", 20, 100),
        op("c", "get x -> 2", 30, 40), op("c", "get x -> 1", 50, 60)));
    assertEquals(List.of("get x -> 2", "get x -> 1"), w.operations().stream().filter(o -> o.f() == Operation.Function.GET)
        .map(Operation::describe).toList());
  }

  /** The sample traces/histories/stale-read.ndjson: its witness and the report's lines. */
  @Test
  void theSampleStaleReadHistory() throws Exception {
    History h = HistoryReader.read(spectrace.tlc.Specs.locate().root().resolveSibling("traces")
        .resolve("histories/stale-read.ndjson"));
    LinearizabilityChecker.NotLinearizable n = assertInstanceOf(LinearizabilityChecker.NotLinearizable.class, check(h));
    assertEquals(List.of("k1"), n.failingKeys());
    assertEquals(List.of("c1     put k1 4               ok   [200, 250]  lines 4, 6",
        "c2     get k1 -> 3            ok   [300, 320]  lines 8, 10"),
        n.witness().operations().stream().map(Operation::line).toList());
    assertTrue(!BruteForce.linearizable(h));
  }

  /**
   * A stale read: the read begins after a write of another value completed. The witness is the
   * overwriting put and the read: the first put, relaxed to "took effect in its interval or
   * not at all", still cannot come after the second, and the report lists it as the only write
   * of the value read.
   */
  @Test
  void aStaleReadAfterACompletedWriteIsNotLinearizable() {
    LinearizabilityChecker.Witness w = notLinearizable(history(op("a", "put x 1", 0, 10), op("a", "put x 2", 20, 30),
        op("b", "get x -> 1", 40, 50)));
    assertEquals(List.of("put x 2", "get x -> 1"), w.operations().stream().map(Operation::describe).toList());
    assertTrue(w.minimal());
    String report = w.report();
    assertTrue(report.contains("the writes of 1 to x (get x -> 1 finds it): a put x 1 ok [0, 10]"), report);
    assertTrue(report.contains("x is 2, not 1"), report);
  }

  /**
   * Two concurrent writes: reads during them may see them in either order, reads after both
   * completed must agree on the last.
   */
  @Test
  void concurrentWritesMayBeReadInEitherOrderButOnlyOneOrderAfterBothComplete() {
    Operation w1 = op("a", "put x 1", 0, 100);
    Operation w2 = op("b", "put x 2", 0, 100);
    linearizable(history(w1, w2, op("c", "get x -> 1", 10, 20), op("c", "get x -> 2", 30, 40)));
    linearizable(history(w1, w2, op("c", "get x -> 2", 10, 20), op("c", "get x -> 1", 30, 40)));
    linearizable(history(w1, w2, op("c", "get x -> 1", 110, 120), op("d", "get x -> 1", 130, 140)));
    linearizable(history(w1, w2, op("c", "get x -> 2", 110, 120), op("d", "get x -> 2", 130, 140)));
    notLinearizable(history(w1, w2, op("c", "get x -> 1", 110, 120), op("d", "get x -> 2", 130, 140)));
    notLinearizable(history(w1, w2, op("c", "get x -> 2", 110, 120), op("d", "get x -> 1", 130, 140)));
  }

  /** A read from the future: it returned before the write of its value was invoked. */
  @Test
  void aReadOfAValueNotYetWrittenIsNotLinearizable() {
    notLinearizable(history(op("b", "get x -> 1", 0, 10), op("a", "put x 1", 20, 30)));
    linearizable(history(op("b", "get x -> null", 0, 10), op("a", "put x 1", 20, 30)));
    notLinearizable(history(op("a", "put x 1", 0, 10), op("b", "get x -> null", 20, 30)));
  }

  /** A cas is a read and a write in one step: two cas from the same value cannot both succeed. */
  @Test
  void twoCasFromTheSameValueCannotBothSucceed() {
    linearizable(history(op("a", "put x 0", 0, 10), op("b", "cas x 0 1", 20, 50), op("c", "cas x 1 2", 20, 50)));
    notLinearizable(history(op("a", "put x 0", 0, 10), op("b", "cas x 0 1", 20, 50), op("c", "cas x 0 2", 20, 50)));
  }

  /** A fail did not happen: a failed put's value may never be read. */
  @Test
  void aFailedOperationNeverTookEffect() {
    History h = history(op("a", "put x 1", 0, 10), fail("b", "put x 2", 20, 30), op("c", "get x -> 2", 40, 50));
    notLinearizable(h);
    linearizable(history(op("a", "put x 1", 0, 10), fail("b", "put x 2", 20, 30), op("c", "get x -> 1", 40, 50)));
  }

  /** An info operation may take effect at any time after its invoke, even after the history ends, or never. */
  @Test
  void anInfoOperationMayTakeEffectAnyTimeAfterItsInvokeOrNever() {
    // Took effect late: long after the client gave up on it.
    linearizable(history(op("a", "put x 1", 0, 10), info("b", "put x 2", 20), op("c", "get x -> 1", 30, 40),
        op("c", "get x -> 2", 1000, 1010)));
    // Never took effect.
    linearizable(history(op("a", "put x 1", 0, 10), info("b", "put x 2", 20), op("c", "get x -> 1", 1000, 1010)));
    // But not before its invoke.
    notLinearizable(history(op("c", "get x -> 2", 0, 10), info("b", "put x 2", 20)));
    // And once: it cannot be read, overwritten and read again.
    notLinearizable(history(info("b", "put x 2", 0), op("c", "get x -> 2", 10, 20), op("a", "put x 1", 30, 40),
        op("c", "get x -> 2", 50, 60)));
    // An info cas takes effect only where it finds its expected value.
    linearizable(history(op("a", "put x 1", 0, 10), info("b", "cas x 1 5", 20), op("c", "get x -> 5", 30, 40)));
    notLinearizable(history(op("a", "put x 1", 0, 10), info("b", "cas x 3 5", 20), op("c", "get x -> 5", 30, 40)));
  }

  /** Keys are checked alone: what happens to one key says nothing about another. */
  @Test
  void keysAreIndependent() {
    linearizable(history(op("a", "put x 1", 0, 10), op("a", "put y 2", 20, 30), op("b", "get x -> 1", 40, 50),
        op("b", "get y -> 2", 60, 70)));
    LinearizabilityChecker.Result r = check(history(op("a", "put x 1", 0, 10), op("a", "put y 2", 20, 30),
        op("b", "get y -> null", 40, 50), op("b", "get x -> 1", 60, 70)));
    LinearizabilityChecker.NotLinearizable n = assertInstanceOf(LinearizabilityChecker.NotLinearizable.class, r);
    assertEquals(List.of("y"), n.failingKeys());
    assertEquals(2, n.keys());
  }

  /**
   * A read of a value no write was invoked before it returned is refuted without a search: in
   * a history of repeated values and many info writes, where a search must try every place each
   * info write could take effect, the verdict takes no state at all.
   */
  @Test
  void aReadOfAValueNeverWrittenIsRefutedWithoutASearch() {
    History h = HistoryGenerator.linearizable(7, new HistoryGenerator.Params(2000, 5, 1, 5, 20, 0.2, 0.01));
    java.util.List<Operation> ops = new java.util.ArrayList<>(h.operations());
    Operation get = ops.stream().filter(o -> o.f() == Operation.Function.GET && o.completion() == Operation.Completion.OK
        && o.id() > 1000).findFirst().orElseThrow();
    ops.set(get.id(), new Operation(get.id(), get.process(), get.f(), get.key(), 1_000_000L, null, get.completion(),
        get.invoke(), get.ret(), 0, 0));
    LinearizabilityChecker.Result r = new LinearizabilityChecker<>(new KvModel(), 1000, null).check(new History("h", "", ops));
    LinearizabilityChecker.NotLinearizable n = assertInstanceOf(LinearizabilityChecker.NotLinearizable.class, r);
    assertEquals(0, n.states());
    assertEquals(java.util.List.of("get k1 -> 1000000"), n.witness().operations().stream().map(Operation::describe).toList());
    assertTrue(n.witness().report().contains("can take effect nowhere"), n.witness().report());
    assertTrue(n.witness().report().contains("the writes of 1000000 to k1 (get k1 -> 1000000 finds it): none"),
        n.witness().report());
  }

  /** Equal times are concurrent: an operation returning at 10 does not precede one invoked at 10. */
  @Test
  void equalTimesAreConcurrent() {
    linearizable(history(op("a", "put x 1", 0, 10), op("b", "put x 2", 10, 20), op("c", "get x -> 1", 20, 30)));
    notLinearizable(history(op("a", "put x 1", 0, 10), op("b", "put x 2", 11, 20), op("c", "get x -> 1", 21, 30)));
  }

  /** At the bound the verdict is unknown, never a guess, and it names the states explored. */
  @Test
  void theBoundGivesUnknownNotAVerdict() {
    History h = HistoryGenerator.linearizable(3, new HistoryGenerator.Params(2000, 5, 1, 0, 20, 0, 0));
    LinearizabilityChecker.Result r = new LinearizabilityChecker<>(new KvModel(), 100, null).check(h);
    LinearizabilityChecker.Unknown u = assertInstanceOf(LinearizabilityChecker.Unknown.class, r);
    assertEquals(100, u.states());
    assertEquals("gave up after 100 states (the bound)", u.why());
    assertInstanceOf(LinearizabilityChecker.Unknown.class,
        new LinearizabilityChecker<>(new KvModel(), Long.MAX_VALUE, Duration.ZERO).check(h));
    assertInstanceOf(LinearizabilityChecker.Linearizable.class, LinearizabilityChecker.kv().check(h));
  }

  /** An empty history, and one whose every operation failed, are linearizable. */
  @Test
  void emptyHistoriesAreLinearizable() {
    linearizable(history());
    linearizable(history(fail("a", "put x 1", 0, 10), fail("b", "get x", 20, 30)));
  }

  /** The register model's steps. */
  @Test
  void theRegisterModel() {
    KvModel m = new KvModel();
    Map<String, Long> s = m.step(m.init(), op("a", "put x 1", 0, 1));
    assertEquals(Map.of("x", 1L), s);
    assertEquals(s, m.step(s, op("a", "get x -> 1", 0, 1)));
    assertEquals(null, m.step(s, op("a", "get x -> 2", 0, 1)));
    assertEquals(null, m.step(m.init(), op("a", "get x -> 1", 0, 1)));
    assertEquals(m.init(), m.step(m.init(), op("a", "get x -> null", 0, 1)));
    assertEquals(Map.of("x", 5L), m.step(s, op("a", "cas x 1 5", 0, 1)));
    assertEquals(null, m.step(s, op("a", "cas x 2 5", 0, 1)));
    assertEquals(null, m.stepUnknown(s, op("a", "cas x 2 5", 0, 1)));
    assertEquals(null, m.stepUnknown(s, op("a", "get x -> 7", 0, 1)));
    assertEquals("x is 1, not 2", m.whyNot(s, op("a", "cas x 2 5", 0, 1)));
  }
}
