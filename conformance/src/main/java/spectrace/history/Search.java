package spectrace.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One partition's search for a linearization: Wing and Gong's algorithm (1993) with Lowe's
 * just-in-time linearization and memoization of configurations (Lowe, "Testing for
 * linearizability", 2017; the search Porcupine runs).
 *
 * <p>The operations' invokes and returns are laid out on one list in time order (an invoke
 * before a return at the same time: equal times are concurrent). The search linearizes, one at a
 * time, an operation whose invoke comes before the first return still on the list, if the model
 * allows it there, and takes it off the list; when it meets a return of an operation it has not
 * linearized, it backtracks. A configuration (the set of operations done, as a bitset, and the
 * model's state) is explored at most once.
 *
 * <p>Required operations must take effect within their interval with their recorded result.
 * Optional ones (their result unknown) may take effect in their interval, or not at all: one
 * whose return is {@link Operation#NEVER} ({@code info}) at any time after its invoke. An
 * optional operation is linearized only where the next operation needs it (its result or
 * state would differ without it): any linearization can be made so by leaving out the
 * optional operations that are not, which keeps the search from trying every info operation
 * at every point. Of info operations that do the same (same f, key and values), only the first
 * on the list is tried: once invoked they are interchangeable. Before searching, the model may
 * refute the operations outright ({@link Model#refute}).
 */
final class Search<S> {

  /** The search's outcome. */
  enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN }

  /**
   * @param verdict the verdict
   * @param states the configurations explored
   * @param deepest when asked for: the longest partial linearization met, and what could not
   *     follow it
   */
  record Outcome<S>(Verdict verdict, long states, Deepest<S> deepest) {}

  /**
   * The longest partial linearization the search met.
   *
   * @param order the operations that took effect, in order (optional ones that were left out are
   *     not listed)
   * @param state the model's state after them
   * @param next the required operations that could have come next, none of which led on
   */
  record Deepest<S>(List<Operation> order, S state, List<Operation> next) {}

  private final Model<S> model;
  private final Operation[] ops;
  private final boolean[] optional;
  private final int n;
  private static final int HEAD = -1;
  /** Linked list over entries 0..2n-1 (2i: op i's invoke, 2i+1: its return) and the head. */
  private final int[] next;
  private final int[] prev;
  private int headNext;

  private final Operation refuted;

  /** A required operation the model shows can take effect nowhere (then there is no search), or null. */
  Operation refuted() {
    return refuted;
  }

  Search(Model<S> model, List<Operation> required, List<Operation> optionalOps) {
    this.model = model;
    this.refuted = model.refute(required, optionalOps);
    this.n = required.size() + optionalOps.size();
    this.ops = new Operation[n];
    this.optional = new boolean[n];
    // Operations with a return first, in order of invoke, so that the ones done at any moment are
    // nearly a prefix (see Config); info ones after them.
    List<Operation> all = new ArrayList<>(required);
    all.addAll(optionalOps);
    Set<Integer> optionalIds = new HashSet<>();
    optionalOps.forEach(o -> optionalIds.add(o.id()));
    all.sort(Comparator.comparing((Operation o) -> o.ret() == Operation.NEVER).thenComparingLong(Operation::invoke)
        .thenComparingInt(Operation::id));
    int k = 0;
    for (Operation op : all) {
      optional[k] = optionalIds.contains(op.id());
      ops[k++] = op;
    }
    finite = (int) all.stream().filter(o -> o.ret() != Operation.NEVER).count();
    kind = new int[n];
    java.util.Map<java.util.List<Object>, Integer> kinds = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      Operation o = ops[i];
      kind[i] = o.ret() != Operation.NEVER ? -1 : kinds.computeIfAbsent(
          java.util.Arrays.asList(o.f(), o.key(), o.value(), o.expected()), x -> kinds.size());
    }
    doneFinite = new long[(finite + 63) / 64];
    doneInfo = new long[(n - finite + 63) / 64];
    next = new int[2 * n];
    prev = new int[2 * n];
    Integer[] order = new Integer[2 * n];
    for (int e = 0; e < 2 * n; e++) {
      order[e] = e;
    }
    Arrays.sort(order, Comparator.<Integer>comparingLong(this::time).thenComparingInt(e -> e & 1)
        .thenComparingInt(e -> e));
    int last = HEAD;
    for (int e : order) {
      link(last, e);
      last = e;
    }
    link(last, -2);
  }

  private long time(int entry) {
    Operation op = ops[entry >> 1];
    return (entry & 1) == 0 ? op.invoke() : op.ret();
  }

  private void link(int a, int b) {
    if (a == HEAD) {
      headNext = b;
    } else {
      next[a] = b;
    }
    if (b >= 0) {
      prev[b] = a;
    }
  }

  private int nextOf(int e) {
    return e == HEAD ? headNext : next[e];
  }

  private void unlink(int e) {
    int p = prev[e];
    int x = next[e];
    link(p, x);
  }

  /** Puts back an entry taken off by {@link #unlink}, in the reverse order. */
  private void relink(int e) {
    int p = prev[e];
    int x = next[e];
    if (p == HEAD) {
      headNext = e;
    } else {
      next[p] = e;
    }
    if (x >= 0) {
      prev[x] = e;
    }
  }

  private void lift(int i) {
    unlink(2 * i);
    unlink(2 * i + 1);
  }

  private void unlift(int i) {
    relink(2 * i + 1);
    relink(2 * i);
  }

  /**
   * For an info operation, its kind: info operations of one kind (same f, key and values) are
   * interchangeable once invoked; -1 for the others.
   */
  private final int[] kind;

  /**
   * Whether an info operation of the same kind as the one at {@code entry} comes before it on
   * the list: they are interchangeable from now on (both invoked, neither ever returns), so
   * only the first is tried (a symmetry reduction).
   */
  private boolean twinBefore(int entry) {
    int k = kind[entry >> 1];
    for (int e = prev[entry]; e != HEAD; e = prev[e]) {
      if ((e & 1) == 0 && kind[e >> 1] == k) {
        return true;
      }
    }
    return false;
  }

  /** The number of operations with a return (they come first). */
  private final int finite;
  /** Which of them are done: every one below {@link #low}, none from {@link #high} on. */
  private final long[] doneFinite;
  private int low;
  private int high;
  /** Which info operations are done. */
  private final long[] doneInfo;

  private boolean isDone(int i) {
    return i < finite ? (doneFinite[i >> 6] >>> i & 1) != 0 : (doneInfo[(i - finite) >> 6] >>> (i - finite) & 1) != 0;
  }

  private void setDone(int i) {
    if (i >= finite) {
      doneInfo[(i - finite) >> 6] |= 1L << (i - finite);
      return;
    }
    doneFinite[i >> 6] |= 1L << i;
    high = Math.max(high, i + 1);
    while (low < finite && isDone(low)) {
      low++;
    }
  }

  private void clearDone(int i) {
    if (i >= finite) {
      doneInfo[(i - finite) >> 6] &= ~(1L << (i - finite));
      return;
    }
    doneFinite[i >> 6] &= ~(1L << i);
    low = Math.min(low, i);
    while (high > low && !isDone(high - 1)) {
      high--;
    }
    high = Math.max(high, low);
  }

  /**
   * A memoized configuration: the operations done, the model's state, and (when the last
   * operation to take effect was optional) the state before it, which restricts what may come
   * next. The done operations
   * with a return are nearly a prefix in order of invoke, so only the words from the first one
   * not done to the last one done are kept (with the first word's index): the key's size grows
   * with the concurrency, not with the history.
   */
  private record Config(int lowWord, long[] words, long[] info, Object state, Object needed, int hash) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Config c && c.hash == hash && c.lowWord == lowWord && Arrays.equals(c.words, words)
          && Arrays.equals(c.info, info) && c.state.equals(state) && java.util.Objects.equals(c.needed, needed);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private record Frame<S>(int op, S before, boolean effect) {}

  /**
   * Searches for a linearization, exploring at most {@code maxStates} configurations and giving
   * up at {@code deadline} (System.nanoTime(); 0 for none); with {@code explain}, also records the deepest
   * partial linearization.
   */
  Outcome<S> run(long maxStates, long deadline, boolean explain) {
    if (refuted != null) {
      return new Outcome<>(Verdict.NOT_LINEARIZABLE, 0, null);
    }
    Set<Config> seen = new HashSet<>();
    List<Frame<S>> stack = new ArrayList<>();
    S state = model.init();
    Deepest<S> deepest = null;
    int depth = -1;
    long states = 0;
    long steps = 0;
    // When the last operation to take effect was optional: the state before it.
    S needed = null;
    int entry = headNext;
    while (entry >= 0) {
      if ((++steps & 1023) == 0 && deadline != 0 && System.nanoTime() - deadline > 0) {
        return new Outcome<>(Verdict.UNKNOWN, states, deepest);
      }
      int i = entry >> 1;
      if ((entry & 1) == 0) {
        if (kind[i] >= 0 && twinBefore(entry)) {
          entry = next[entry];
          continue;
        }
        S after = optional[i] ? model.stepUnknown(state, ops[i]) : model.step(state, ops[i]);
        if (after != null && optional[i] && after.equals(state)) {
          after = null; // taking effect without changing the state is the same as not taking effect
        }
        if (after != null && needed != null) {
          // The operation that follows an optional one must need it: if it would do the same
          // without it, the order without it is one too, and is searched on its own.
          S without = optional[i] ? model.stepUnknown(needed, ops[i]) : model.step(needed, ops[i]);
          if (after.equals(without)) {
            after = null;
          }
        }
        if (after != null && remember(seen, i, after, optional[i] ? state : null)) {
          if (++states > maxStates) {
            return new Outcome<>(Verdict.UNKNOWN, states - 1, deepest);
          }
          stack.add(new Frame<>(i, state, true));
          needed = optional[i] ? state : null;
          state = after;
          lift(i);
          entry = headNext;
          continue;
        }
        entry = next[entry];
        continue;
      }
      if (ops[i].ret() == Operation.NEVER) {
        return new Outcome<>(Verdict.LINEARIZABLE, states, deepest);
      }
      if (explain && stack.size() > depth) {
        depth = stack.size();
        deepest = deepest(stack, state);
      }
      if (optional[i] && remember(seen, i, state, needed)) {
        // Optional and not taken effect by its return: it never takes effect.
        if (++states > maxStates) {
          return new Outcome<>(Verdict.UNKNOWN, states - 1, deepest);
        }
        stack.add(new Frame<>(i, state, false));
        lift(i);
        entry = headNext;
        continue;
      }
      // Backtrack: undo the last choice and try the next candidate after it; a choice not to take
      // effect was the last one at its return, so undo the one before it too.
      entry = -2;
      while (entry < 0) {
        if (stack.isEmpty()) {
          return new Outcome<>(Verdict.NOT_LINEARIZABLE, states, deepest);
        }
        Frame<S> f = stack.remove(stack.size() - 1);
        clearDone(f.op);
        state = f.before;
        unlift(f.op);
        if (f.effect) {
          entry = next[2 * f.op];
        }
      }
      needed = null;
      for (int k = stack.size() - 1; k >= 0; k--) {
        Frame<S> f = stack.get(k);
        if (f.effect) {
          needed = optional[f.op] ? f.before : null;
          break;
        }
      }
    }
    return new Outcome<>(Verdict.LINEARIZABLE, states, deepest);
  }

  /** Marks op i done; true if the configuration (done, state) is new (else i is unmarked again). */
  private boolean remember(Set<Config> seen, int i, S state, S needed) {
    setDone(i);
    int lowWord = low >> 6;
    long[] words = Arrays.copyOfRange(doneFinite, lowWord, Math.max(lowWord, (high + 63) >> 6));
    long[] info = doneInfo.length == 0 ? doneInfo : doneInfo.clone();
    int hash = (((lowWord * 31 + Arrays.hashCode(words)) * 31 + Arrays.hashCode(info)) * 31 + state.hashCode()) * 31
        + java.util.Objects.hashCode(needed);
    if (seen.add(new Config(lowWord, words, info, state, needed, hash))) {
      return true;
    }
    clearDone(i);
    return false;
  }

  private Deepest<S> deepest(List<Frame<S>> stack, S state) {
    List<Operation> order = new ArrayList<>();
    for (Frame<S> f : stack) {
      if (f.effect) {
        order.add(ops[f.op]);
      }
    }
    List<Operation> candidates = new ArrayList<>();
    for (int e = headNext; e >= 0; e = next[e]) {
      int i = e >> 1;
      if ((e & 1) == 1) {
        if (!optional[i]) {
          break;
        }
        continue;
      }
      if (!optional[i]) {
        candidates.add(ops[i]);
      }
    }
    return new Deepest<>(order, state, candidates);
  }
}
