package spectrace.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a history is linearizable (Herlihy and Wing 1990) to a {@link Model}, and if
 * not, gives a small witness.
 *
 * <p>The history is split into the model's partitions (for the key-value store, one per key) and
 * each is checked alone: linearizability is local (Herlihy and Wing, Theorem 1), and the
 * P-compositionality of Horn and Kroening (2015) makes the search per key exponentially smaller.
 * Each partition is searched by Wing and Gong's algorithm with Lowe's just-in-time linearization
 * and memoization ({@link Search}). {@code ok} operations must take effect within their interval
 * with their recorded result; {@code info} ones may take effect at any time after their invoke,
 * or never; {@code fail} ones did not happen and are left out.
 *
 * <p>A witness is found by delta debugging (Zeller and Hildebrandt's ddmin, 2002) over the
 * failing key's {@code ok} operations: the smallest set found whose operations, kept exactly
 * (with their times and results), no order explains, even when every other operation of the key
 * is relaxed to "took effect within its interval, or not at all" (its result unknown). Relaxing
 * rather than removing the others keeps the witness honest: removing the write that a read found
 * would make any read look wrong. The witness alone is a non-linearizable history too.
 *
 * <p>The search is bounded by a number of configurations and, optionally, a time: past either,
 * the verdict is {@link Unknown}, never a guess.
 *
 * @param <S> the model's state type
 */
public final class LinearizabilityChecker<S> {

  /** The default bound on configurations explored. */
  public static final long DEFAULT_MAX_STATES = 10_000_000;

  private final Model<S> model;
  private final long maxStates;
  private final Duration timeLimit;

  /**
   * @param model the sequential specification
   * @param maxStates the most configurations to explore in deciding (shrinking a witness has the
   *     same bound for each of its checks)
   * @param timeLimit the most time to spend, or null for no limit
   */
  public LinearizabilityChecker(Model<S> model, long maxStates, Duration timeLimit) {
    if (maxStates < 1) {
      throw new IllegalArgumentException("maxStates must be at least 1");
    }
    this.model = model;
    this.maxStates = maxStates;
    this.timeLimit = timeLimit;
  }

  /** A checker for the key-value store with the default bound and no time limit. */
  public static LinearizabilityChecker<Map<String, Long>> kv() {
    return new LinearizabilityChecker<>(new KvModel(), DEFAULT_MAX_STATES, null);
  }

  /** The verdict on a history, with the figures of the check. */
  public sealed interface Result permits Linearizable, NotLinearizable, Unknown {
    /** The operations of the history, {@code fail} ones included. */
    int operations();

    /** The partitions (keys). */
    int keys();

    /** The configurations explored to reach the verdict (not counting a witness's shrinking). */
    long states();

    /** Wall time of the whole check, in nanoseconds. */
    long nanos();
  }

  /** Every partition has a linearization. */
  public record Linearizable(int operations, int keys, long states, long nanos) implements Result {}

  /**
   * Some partition has none.
   *
   * @param failingKeys every partition found to have no linearization, in order of first
   *     operation (the partitions after one where the bound was reached are not checked)
   * @param witness a witness from the first of them
   */
  public record NotLinearizable(int operations, int keys, long states, long nanos, List<String> failingKeys,
      Witness witness) implements Result {}

  /**
   * The bound was reached before a verdict: nothing is claimed.
   *
   * @param key the partition being searched when it was reached
   * @param why which bound
   */
  public record Unknown(int operations, int keys, long states, long nanos, String key, String why)
      implements Result {}

  /**
   * Operations that show a history is not linearizable.
   *
   * @param key the partition
   * @param operations the witness, in order of invoke
   * @param partitionSize the {@code ok} operations of the partition, of which these are some
   * @param minimal whether relaxing any one of them was checked to make the partition
   *     linearizable (false when one of those checks reached the bound)
   * @param why lines that say why no order works
   * @param shrinkStates the configurations explored while shrinking
   */
  public record Witness(String key, List<Operation> operations, int partitionSize, boolean minimal,
      List<String> why, long shrinkStates) {

    /** The witness as a report of several lines. */
    public String report() {
      StringBuilder b = new StringBuilder();
      b.append(String.format("key %s: %d operation%s (of %d ok on %s) that no order explains, even with every other"
          + " operation on %s taking effect within its interval or not at all:%n", key, operations.size(),
          operations.size() == 1 ? "" : "s", partitionSize, key, key));
      for (Operation op : operations) {
        b.append("  ").append(op.line()).append('\n');
      }
      for (String w : why) {
        b.append("  ").append(w).append('\n');
      }
      b.append(minimal ? "  minimal: relaxing any one of them makes " + key + "'s history linearizable"
          : "  not shown minimal: a check while shrinking reached the bound");
      return b.toString();
    }
  }

  /** Checks {@code history}. */
  public Result check(History history) {
    long start = System.nanoTime();
    long deadline = 0; // none
    if (timeLimit != null) {
      deadline = start + Math.max(1, timeLimit.toNanos());
      deadline = deadline == 0 ? 1 : deadline;
    }
    Map<String, List<Operation>> parts = new LinkedHashMap<>();
    for (Operation op : history.operations()) {
      parts.computeIfAbsent(model.partition(op), k -> new ArrayList<>()).add(op);
    }
    int ops = history.operations().size();
    long states = 0;
    List<String> failing = new ArrayList<>();
    for (Map.Entry<String, List<Operation>> part : parts.entrySet()) {
      List<Operation> required = new ArrayList<>();
      List<Operation> optional = new ArrayList<>();
      for (Operation op : part.getValue()) {
        switch (op.completion()) {
          case OK -> required.add(op);
          case INFO -> optional.add(op);
          case FAIL -> { }
        }
      }
      Search.Outcome<S> o = new Search<>(model, required, model.prune(required, optional))
          .run(maxStates - states, deadline, false);
      states += o.states();
      switch (o.verdict()) {
        case LINEARIZABLE -> { }
        case NOT_LINEARIZABLE -> failing.add(part.getKey());
        case UNKNOWN -> {
          if (failing.isEmpty()) {
            String n = String.format("%,d state%s", states, states == 1 ? "" : "s");
            String why = states >= maxStates ? "gave up after " + n + " (the bound)"
                : "gave up after " + n + ", at the time limit of " + timeLimit.toMillis() + " ms";
            return new Unknown(ops, parts.size(), states, System.nanoTime() - start, part.getKey(), why);
          }
        }
      }
      if (o.verdict() == Search.Verdict.UNKNOWN) {
        break;
      }
    }
    if (failing.isEmpty()) {
      return new Linearizable(ops, parts.size(), states, System.nanoTime() - start);
    }
    Witness w = shrink(failing.get(0), parts.get(failing.get(0)), deadline);
    return new NotLinearizable(ops, parts.size(), states, System.nanoTime() - start, List.copyOf(failing), w);
  }

  /** The state of one shrinking: the partition's operations and the states spent. */
  private final class Shrinking {
    final List<Operation> required = new ArrayList<>();
    final List<Operation> info = new ArrayList<>();
    final long deadline;
    long states;

    Shrinking(List<Operation> partition, long deadline) {
      for (Operation op : partition) {
        if (op.completion() == Operation.Completion.OK) {
          required.add(op);
        } else if (op.completion() == Operation.Completion.INFO) {
          info.add(op);
        }
      }
      this.deadline = deadline;
    }

    /** The search with {@code kept} exactly as recorded and the other ok operations relaxed. */
    Search<S> search(List<Operation> kept) {
      Set<Integer> in = new HashSet<>();
      for (Operation op : kept) {
        in.add(op.id());
      }
      List<Operation> optional = new ArrayList<>(info);
      for (Operation op : required) {
        if (!in.contains(op.id())) {
          optional.add(op);
        }
      }
      return new Search<>(model, kept, model.prune(kept, optional));
    }

    /** The verdict with {@code kept} exactly as recorded and the others relaxed. */
    Search.Verdict test(List<Operation> kept) {
      Search.Outcome<S> o = search(kept).run(maxStates, deadline, false);
      states += o.states();
      return o.verdict();
    }

    boolean fails(List<Operation> kept) {
      return test(kept) == Search.Verdict.NOT_LINEARIZABLE;
    }
  }

  /** Shrinks a failing partition to a witness: ddmin, then one by one to a 1-minimal set. */
  private Witness shrink(String key, List<Operation> partition, long deadline) {
    Shrinking s = new Shrinking(partition, deadline);
    List<Operation> c = new ArrayList<>(s.required);
    int n = 2;
    while (c.size() >= 2) {
      List<List<Operation>> chunks = split(c, n);
      boolean reduced = false;
      for (List<Operation> chunk : chunks) {
        if (s.fails(chunk)) {
          c = chunk;
          n = 2;
          reduced = true;
          break;
        }
      }
      if (!reduced && n > 2) {
        for (List<Operation> chunk : chunks) {
          List<Operation> complement = new ArrayList<>(c);
          complement.removeAll(chunk);
          if (s.fails(complement)) {
            c = complement;
            n = Math.max(n - 1, 2);
            reduced = true;
            break;
          }
        }
      }
      if (!reduced) {
        if (n >= c.size()) {
          break;
        }
        n = Math.min(2 * n, c.size());
      }
    }
    // 1-minimality, checked one operation at a time (ddmin's last round does this too; the
    // checks are repeated so that the claim rests on checks that all reached a verdict).
    boolean minimal;
    boolean changed = true;
    while (true) {
      minimal = true;
      changed = false;
      for (int i = 0; i < c.size() && !changed; i++) {
        List<Operation> less = new ArrayList<>(c);
        less.remove(i);
        Search.Verdict v = s.test(less);
        if (v == Search.Verdict.NOT_LINEARIZABLE) {
          c = less;
          changed = true;
        } else if (v == Search.Verdict.UNKNOWN) {
          minimal = false;
        }
      }
      if (!changed) {
        break;
      }
    }
    c.sort(Comparator.comparingLong(Operation::invoke).thenComparingInt(Operation::id));
    return new Witness(key, List.copyOf(c), s.required.size(), minimal, explain(s, c, partition), s.states);
  }

  private static List<List<Operation>> split(List<Operation> c, int n) {
    List<List<Operation>> chunks = new ArrayList<>();
    int size = c.size();
    for (int i = 0; i < n; i++) {
      int from = (int) ((long) size * i / n);
      int to = (int) ((long) size * (i + 1) / n);
      if (to > from) {
        chunks.add(new ArrayList<>(c.subList(from, to)));
      }
    }
    return chunks;
  }

  private List<String> explain(Shrinking s, List<Operation> witness, List<Operation> partition) {
    List<String> why = new ArrayList<>();
    Search<S> search = s.search(witness);
    if (search.refuted() != null) {
      Operation r = search.refuted();
      why.add(r.process() + " " + r.describe() + " " + r.interval() + " can take effect nowhere: no operation that"
          + " may lead to what it finds is invoked before it returns");
    }
    Search.Outcome<S> o = search.run(maxStates, s.deadline, true);
    Search.Deepest<S> d = o.deepest();
    Set<Integer> in = new HashSet<>();
    for (Operation op : witness) {
      in.add(op.id());
    }
    if (d != null) {
      List<String> order = new ArrayList<>();
      for (Operation op : d.order()) {
        order.add(op.describe() + (in.contains(op.id()) ? "" : " (relaxed)"));
      }
      StringBuilder b = new StringBuilder("the longest order found: ");
      b.append(order.isEmpty() ? "none" : String.join(", ", order));
      b.append(" (then ").append(model.describe(d.state())).append(")");
      List<String> next = new ArrayList<>();
      for (Operation op : d.next()) {
        S after = model.step(d.state(), op);
        next.add(op.process() + " " + op.describe() + " " + op.interval() + ": "
            + (after == null ? model.whyNot(d.state(), op) : "allowed, but leads to no linearization"));
      }
      if (next.isEmpty()) {
        b.append("; no operation may follow it before an operation that must already have taken effect returns");
      } else {
        b.append("; what may come next cannot: ").append(String.join("; ", next));
      }
      why.add(b.toString());
    }
    why.addAll(model.hints(witness, partition));
    return why;
  }
}
