package spectrace.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import spectrace.history.HistoryGenerator.Kind;
import spectrace.history.HistoryGenerator.Step;
import spectrace.history.LinearizabilityChecker.NotLinearizable;
import spectrace.history.LinearizabilityChecker.Witness;

/**
 * Properties of the checker on generated histories: a history made from a sequential execution
 * with intervals drawn around each operation's point is linearizable (info operations that took
 * effect or not, fail ones, repeated values included); on small histories, mutated at random,
 * the checker agrees with the brute-force oracle, and so do its witnesses; one injected anomaly
 * (a stale read, a lost write, a cas applied twice) is found, with a witness that is not
 * linearizable, minimal and small.
 */
class LinearizabilityPropertiesTest {

  private static final KvModel MODEL = new KvModel();

  @Property(tries = 200)
  void historiesOfASequentialExecutionAreLinearizable(@ForAll @LongRange(min = 0, max = 1L << 40) long seed,
      @ForAll @IntRange(min = 0, max = 400) int ops, @ForAll @IntRange(min = 1, max = 6) int clients,
      @ForAll @IntRange(min = 1, max = 5) int keys, @ForAll @IntRange(min = 0, max = 4) int values,
      @ForAll @IntRange(min = 0, max = 40) int spread, @ForAll @DoubleRange(min = 0, max = 0.1) double info,
      @ForAll @DoubleRange(min = 0, max = 0.1) double fail) {
    History h = HistoryGenerator.linearizable(seed, new HistoryGenerator.Params(ops, clients, keys, values, spread,
        info, fail));
    LinearizabilityChecker.Result r = LinearizabilityChecker.kv().check(h);
    assertInstanceOf(LinearizabilityChecker.Linearizable.class, r, () -> r.toString());
    assertEquals(ops, r.operations());
  }

  /**
   * Small histories, made wrong at random (a read's result changed, a completion changed, an
   * interval moved): the checker's verdict is the brute-force oracle's, and a witness is
   * non-linearizable and minimal by the oracle too.
   */
  @Property(tries = 1500)
  void agreesWithBruteForceOnSmallHistories(@ForAll @LongRange(min = 0, max = 1L << 40) long seed,
      @ForAll @IntRange(min = 1, max = 8) int ops, @ForAll @IntRange(min = 1, max = 3) int clients,
      @ForAll @IntRange(min = 0, max = 3) int values, @ForAll @IntRange(min = 0, max = 15) int spread,
      @ForAll @DoubleRange(min = 0, max = 0.3) double info, @ForAll @IntRange(min = 0, max = 3) int mutations) {
    History h = HistoryGenerator.linearizable(seed, new HistoryGenerator.Params(ops, clients, 1, values, spread, info, 0.1));
    Random rnd = new Random(seed);
    List<Operation> list = new ArrayList<>(h.operations());
    for (int m = 0; m < mutations; m++) {
      int i = rnd.nextInt(list.size());
      Operation o = list.get(i);
      list.set(i, switch (rnd.nextInt(3)) {
        case 0 -> o.f() == Operation.Function.GET && o.completion() == Operation.Completion.OK
            ? with(o, rnd.nextInt(4) == 0 ? null : (long) rnd.nextInt(values + 2), o.completion(), o.invoke(), o.ret()) : o;
        case 1 -> o.completion() == Operation.Completion.INFO ? o
            : with(o, o.value(), rnd.nextBoolean() ? Operation.Completion.INFO : Operation.Completion.OK, o.invoke(),
                Operation.NEVER);
        default -> {
          long shift = rnd.nextInt(41) - 20;
          long inv = Math.max(0, o.invoke() + shift);
          yield with(o, o.value(), o.completion(), inv, o.ret() == Operation.NEVER ? Operation.NEVER
              : Math.max(inv, o.ret() + shift));
        }
      });
    }
    History mutated = Ops.history(list);
    boolean oracle = BruteForce.linearizable(mutated);
    LinearizabilityChecker.Result r = LinearizabilityChecker.kv().check(mutated);
    assertEquals(oracle, r instanceof LinearizabilityChecker.Linearizable, () -> r + " on " + mutated);
    if (r instanceof NotLinearizable n) {
      assertWitness(mutated, n.witness());
    }
  }

  private static Operation with(Operation o, Long value, Operation.Completion c, long invoke, long ret) {
    if (c == Operation.Completion.INFO) {
      ret = Operation.NEVER;
      if (o.f() == Operation.Function.GET) {
        value = null;
      }
    } else if (ret == Operation.NEVER) {
      ret = invoke + 10;
    }
    if (o.f() == Operation.Function.GET && c != Operation.Completion.OK) {
      value = null;
    }
    return new Operation(o.id(), o.process(), o.f(), o.key(), value, o.expected(), c, invoke, ret, 0, 0);
  }

  private static final HistoryGenerator.Params ANOMALY = new HistoryGenerator.Params(120, 4, 2, 0, 15, 0.03, 0.03);

  /** A read that returns a value overwritten before it began. */
  @Property(tries = 150)
  void aStaleReadIsFoundWithAMinimalWitness(@ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
    History h = HistoryGenerator.linearizable(seed, ANOMALY);
    Random rnd = new Random(seed);
    List<Operation> ops = h.operations();
    List<Integer> order = shuffled(ops.size(), rnd);
    History bad = null;
    for (int i : order) {
      Operation o = ops.get(i);
      if (o.f() != Operation.Function.GET || o.completion() != Operation.Completion.OK) {
        continue;
      }
      Long stale = staleValue(ops, o);
      if (stale != null) {
        List<Operation> copy = new ArrayList<>(ops);
        copy.set(i, with(o, stale, Operation.Completion.OK, o.invoke(), o.ret()));
        bad = Ops.history(copy);
        break;
      }
    }
    Assume.that(bad != null);
    assertFound(bad);
  }

  /** A put acknowledged to its client that never took effect. */
  @Property(tries = 150)
  void aLostWriteIsFoundWithAMinimalWitness(@ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
    List<Step> steps = HistoryGenerator.plan(seed, ANOMALY);
    History bad = null;
    for (int i : shuffled(steps.size(), new Random(seed))) {
      if (steps.get(i).kind() != Kind.OK || steps.get(i).f() != Operation.Function.PUT) {
        continue;
      }
      List<Step> copy = new ArrayList<>(steps);
      copy.set(i, steps.get(i).withKind(Kind.ACK_LOST));
      History h = HistoryGenerator.history("lost write", copy);
      if (provablyNotLinearizable(h)) {
        bad = h;
        break;
      }
    }
    Assume.that(bad != null);
    assertFound(bad);
  }

  /**
   * A cas applied twice: after it succeeded, its expected value is written again, and the cas
   * (a retry the store did not recognise) takes effect again, as a read then sees.
   */
  @Property(tries = 150)
  void aCasAppliedTwiceIsFoundWithAMinimalWitness(@ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
    List<Step> steps = HistoryGenerator.plan(seed, ANOMALY);
    History clean = HistoryGenerator.history("clean", steps);
    History bad = null;
    for (int i : shuffled(steps.size(), new Random(seed))) {
      Step c = steps.get(i);
      if (c.f() != Operation.Function.CAS || c.kind() != Kind.OK || !applied(clean, c)) {
        continue;
      }
      for (int j = 0; j + 1 < steps.size(); j++) {
        long p = steps.get(j).point();
        if (p > c.ret() && steps.get(j + 1).point() - p >= 4) {
          List<Step> copy = new ArrayList<>(steps);
          copy.add(new Step("x1", Operation.Function.PUT, c.key(), c.expected(), null, Kind.OK, p + 1, p + 1, p + 1));
          copy.add(c.withKind(Kind.GHOST).withPoint(p + 2));
          copy.add(new Step("x2", Operation.Function.GET, c.key(), 0, null, Kind.OK, p + 3, p + 3, p + 3));
          History h = HistoryGenerator.history("cas twice", copy);
          if (provablyNotLinearizable(h)) {
            bad = h;
          }
          break;
        }
      }
      if (bad != null) {
        break;
      }
    }
    Assume.that(bad != null);
    assertFound(bad);
  }

  private static boolean applied(History clean, Step c) {
    for (Operation o : clean.operations()) {
      if (o.process().equals(c.process()) && o.invoke() == c.invoke() && o.f() == c.f()) {
        return o.completion() == Operation.Completion.OK;
      }
    }
    throw new AssertionError("no operation for " + c);
  }

  private static void assertFound(History bad) {
    LinearizabilityChecker.Result r = LinearizabilityChecker.kv().check(bad);
    NotLinearizable n = assertInstanceOf(NotLinearizable.class, r, () -> r.toString());
    Witness w = n.witness();
    assertWitness(bad, w);
    assertTrue(w.operations().size() <= 3, () -> "a witness of " + w.operations().size() + ":\n" + w.report());
  }

  /**
   * The witness alone is not linearizable (by the checker and by the oracle), nor is it with the
   * other operations relaxed; relaxing any one of its operations makes its key linearizable.
   */
  private static void assertWitness(History h, Witness w) {
    assertFalse(w.operations().isEmpty());
    assertInstanceOf(NotLinearizable.class, LinearizabilityChecker.kv().check(Ops.history(w.operations())));
    assertFalse(BruteForce.linearizable(Ops.history(w.operations())), w::report);
    assertFalse(relaxedLinearizable(h, w.key(), w.operations()), w::report);
    assertTrue(w.minimal(), w::report);
    for (Operation o : w.operations()) {
      List<Operation> less = new ArrayList<>(w.operations());
      less.remove(o);
      assertTrue(relaxedLinearizable(h, w.key(), less), () -> "not minimal: without " + o.describe() + "\n" + w.report());
    }
  }

  /** By the oracle: is {@code key}'s history linearizable with {@code kept} as recorded and its other operations relaxed? */
  private static boolean relaxedLinearizable(History h, String key, List<Operation> kept) {
    Set<Integer> in = new HashSet<>();
    kept.forEach(o -> in.add(o.id()));
    List<Operation> others = new ArrayList<>();
    for (Operation o : h.operations()) {
      if (o.key().equals(key) && !in.contains(o.id()) && o.completion() != Operation.Completion.FAIL) {
        others.add(o);
      }
    }
    return BruteForce.linearizable(kept, MODEL.prune(kept, others));
  }

  /**
   * A value that {@code get} cannot read: one written (only) by an ok write that returned before
   * another ok write returned before the get began; null if none.
   */
  private static Long staleValue(List<Operation> ops, Operation get) {
    for (Operation w : ops) {
      if (!isOkWrite(w, get.key()) || !w.precedes(get)) {
        continue;
      }
      for (Operation w0 : ops) {
        if (isOkWrite(w0, get.key()) && w0.precedes(w) && !w0.value().equals(get.value()) && writers(ops, get.key(),
            w0.value()) == 1) {
          return w0.value();
        }
      }
    }
    return null;
  }

  private static boolean isOkWrite(Operation o, String key) {
    return o.key().equals(key) && o.f() != Operation.Function.GET && o.completion() == Operation.Completion.OK;
  }

  private static long writers(List<Operation> ops, String key, long value) {
    return ops.stream().filter(o -> o.key().equals(key) && o.f() != Operation.Function.GET
        && o.completion() != Operation.Completion.FAIL && o.value() == value).count();
  }

  /**
   * A sufficient condition, checked without any search: some ok read of x (a get, or a cas
   * expecting x) begins after an ok write w of another value returned, and every write of x
   * returned before w began (x absent: there are none). Then in any order the read follows w,
   * which follows every write of x.
   */
  static boolean provablyNotLinearizable(History h) {
    List<Operation> ops = h.operations();
    for (Operation o : ops) {
      if (o.completion() != Operation.Completion.OK || o.f() == Operation.Function.PUT) {
        continue;
      }
      Long x = o.f() == Operation.Function.GET ? o.value() : o.expected();
      for (Operation w : ops) {
        if (w == o || !isOkWrite(w, o.key()) || !w.precedes(o) || w.value().equals(x)) {
          continue;
        }
        boolean all = true;
        for (Operation v : ops) {
          if (v.key().equals(o.key()) && v.f() != Operation.Function.GET && v.completion() != Operation.Completion.FAIL
              && v.value().equals(x) && !v.precedes(w)) {
            all = false;
          }
        }
        if (all) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Integer> shuffled(int n, Random rnd) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    java.util.Collections.shuffle(l, rnd);
    return l;
  }
}
