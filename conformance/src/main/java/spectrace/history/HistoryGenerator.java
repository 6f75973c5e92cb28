package spectrace.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes client histories of the key-value store from a seeded random sequential execution: each
 * operation takes effect at its own point in time, and its invoke and return are drawn around
 * that point, so that the history is linearizable by construction (the points are a
 * linearization). Used by the benchmark and by the property tests, which also make the store
 * misbehave ({@link Kind#ACK_LOST}, {@link Kind#GHOST}) to get histories that are not.
 *
 * <p>Deterministic: one seed and one set of parameters give one history.
 */
public final class HistoryGenerator {

  private HistoryGenerator() {}

  /**
   * What to generate.
   *
   * @param operations how many operations
   * @param clients how many processes at once (a process that ends with info is replaced by a
   *     new one)
   * @param keys how many keys, {@code k1}...
   * @param values 0: every write writes a new value; otherwise values are drawn from 0 to
   *     {@code values - 1}, so that the same value is written again (harder for the checker)
   * @param spread how far, in ticks, an invoke may come before its point and a return after it
   *     (points are 1 to 10 ticks apart)
   * @param infoRate the share of operations that end with info (half of them took effect)
   * @param failRate the share of puts and gets refused (fail, no effect)
   */
  public record Params(int operations, int clients, int keys, int values, int spread, double infoRate,
      double failRate) {
    public Params {
      if (operations < 0 || clients < 1 || keys < 1 || values < 0 || spread < 0 || infoRate < 0 || failRate < 0
          || infoRate + failRate > 1) {
        throw new IllegalArgumentException("bad generator parameters");
      }
    }
  }

  /** What the store did with an operation, as against what its client saw. */
  public enum Kind {
    /** Took effect at its point as the model says (a cas that finds another value fails). */
    OK,
    /** Ended with info, and took effect at its point. */
    INFO_APPLIED,
    /** Ended with info, and never took effect. */
    INFO_LOST,
    /** Refused: fail, no effect. */
    FAILED,
    /** An anomaly: the client got ok (with the result of taking effect), but it had no effect. */
    ACK_LOST,
    /** An anomaly: took effect at its point again, unseen by any client (a retry applied twice). */
    GHOST
  }

  /**
   * One operation as the store executed it.
   *
   * @param process its process
   * @param f what it does
   * @param key its key
   * @param value put: the value written; cas: the new value; get: unused
   * @param expected cas: the value it looks for; otherwise null
   * @param kind what the store did
   * @param invoke its invoke time
   * @param point when it takes effect (the steps' points are distinct)
   * @param ret its return time ({@link Operation#NEVER} for info)
   */
  public record Step(String process, Operation.Function f, String key, long value, Long expected, Kind kind,
      long invoke, long point, long ret) {
    /** This step taking effect at another point. */
    public Step withPoint(long p) {
      return new Step(process, f, key, value, expected, kind, invoke, p, ret);
    }

    /** This step done otherwise by the store. */
    public Step withKind(Kind k) {
      return new Step(process, f, key, value, expected, k, invoke, point, ret);
    }
  }

  /** The steps of a random execution, in order of their points. */
  public static List<Step> plan(long seed, Params p) {
    Random rnd = new Random(seed);
    Map<String, Long> state = new HashMap<>();
    List<String> processes = new ArrayList<>();
    long[] busy = new long[p.clients()];
    int names = 0;
    for (int c = 0; c < p.clients(); c++) {
      processes.add("c" + (++names));
      busy[c] = -1;
    }
    long fresh = 0;
    long point = 0;
    List<Step> steps = new ArrayList<>(p.operations());
    for (int i = 0; i < p.operations(); i++) {
      point += 1 + rnd.nextInt(10);
      int free = 0;
      long earliest = Long.MAX_VALUE;
      for (long b : busy) {
        free += b < point ? 1 : 0;
        earliest = Math.min(earliest, b);
      }
      if (free == 0) {
        point = earliest + 1;
        free = 0;
        for (long b : busy) {
          free += b < point ? 1 : 0;
        }
      }
      int pick = rnd.nextInt(free);
      int c = 0;
      for (int k = 0; k < busy.length; k++) {
        if (busy[k] < point && pick-- == 0) {
          c = k;
          break;
        }
      }
      long invoke = Math.max(busy[c] + 1, point - rnd.nextInt(p.spread() + 1));
      long ret = point + rnd.nextInt(p.spread() + 1);
      String key = "k" + (1 + rnd.nextInt(p.keys()));
      Long current = state.get(key);
      int r = rnd.nextInt(10);
      Operation.Function f = r < 4 ? Operation.Function.PUT : r < 8 ? Operation.Function.GET : Operation.Function.CAS;
      long value = p.values() == 0 ? ++fresh : rnd.nextInt(p.values());
      Long expected = null;
      if (f == Operation.Function.CAS) {
        boolean hit = current != null && rnd.nextBoolean();
        expected = hit ? current : p.values() == 0 ? (current == null ? 0 : current) + 1 + rnd.nextInt(3)
            : rnd.nextInt(p.values());
      }
      double u = rnd.nextDouble();
      Kind kind = Kind.OK;
      if (u < p.infoRate()) {
        kind = rnd.nextBoolean() ? Kind.INFO_APPLIED : Kind.INFO_LOST;
      } else if (u < p.infoRate() + p.failRate() && f != Operation.Function.CAS) {
        kind = Kind.FAILED;
      }
      String process = processes.get(c);
      if (kind == Kind.INFO_APPLIED || kind == Kind.INFO_LOST) {
        // The process lost track of its operation: a new one takes its place.
        processes.set(c, "c" + (++names));
      }
      busy[c] = ret;
      Step s = new Step(process, f, key, value, expected, kind, invoke, point,
          kind == Kind.INFO_APPLIED || kind == Kind.INFO_LOST ? Operation.NEVER : ret);
      steps.add(s);
      if (takesEffect(s) && effect(s, current) != null) {
        state.put(key, effect(s, current));
      }
    }
    return steps;
  }

  /** A linearizable history of {@code p.operations()} operations. */
  public static History linearizable(long seed, Params p) {
    return history("generated (seed " + seed + ")", plan(seed, p));
  }

  private static boolean takesEffect(Step s) {
    return s.kind == Kind.OK || s.kind == Kind.INFO_APPLIED || s.kind == Kind.GHOST;
  }

  /** The value a write step leaves in a key that holds {@code current}, or null if none. */
  private static Long effect(Step s, Long current) {
    return switch (s.f()) {
      case PUT -> s.value();
      case GET -> null;
      case CAS -> s.expected().equals(current) ? s.value() : null;
    };
  }

  /**
   * The history the clients of {@code steps} saw: the steps are executed in order of their points
   * (each as its {@link Kind} says), and every one but a ghost is an operation. Lines are those
   * of the file {@link #events} lays out.
   */
  public static History history(String name, List<Step> steps) {
    List<Step> byPoint = new ArrayList<>(steps);
    byPoint.sort(Comparator.comparingLong(Step::point));
    Map<String, Long> state = new HashMap<>();
    List<Operation> ops = new ArrayList<>();
    for (Step s : byPoint) {
      Long current = state.get(s.key());
      Long after = effect(s, current);
      if (takesEffect(s) && after != null) {
        state.put(s.key(), after);
      }
      if (s.kind() == Kind.GHOST) {
        continue;
      }
      Operation.Completion c = switch (s.kind()) {
        case OK, ACK_LOST -> s.f() == Operation.Function.CAS && !s.expected().equals(current)
            ? Operation.Completion.FAIL : Operation.Completion.OK;
        case INFO_APPLIED, INFO_LOST -> Operation.Completion.INFO;
        case FAILED -> Operation.Completion.FAIL;
        case GHOST -> throw new AssertionError();
      };
      Long value = switch (s.f()) {
        case GET -> c == Operation.Completion.OK ? current : null;
        default -> s.value();
      };
      ops.add(new Operation(0, s.process(), s.f(), s.key(), value, s.expected(), c, s.invoke(), s.ret(), 0, 0));
    }
    return numbered(name, ops);
  }

  /**
   * The history with its operations ordered by invoke, numbered, and given the lines of the file
   * {@link #events} writes for it.
   */
  public static History numbered(String name, List<Operation> ops) {
    List<Operation> sorted = new ArrayList<>(ops);
    sorted.sort(Comparator.comparingLong(Operation::invoke));
    List<Operation> numbered = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Operation o = sorted.get(i);
      numbered.add(new Operation(i, o.process(), o.f(), o.key(), o.value(), o.expected(), o.completion(), o.invoke(),
          o.ret(), 0, 0));
    }
    List<long[]> events = events(numbered);
    long[] invokeLine = new long[numbered.size()];
    long[] completionLine = new long[numbered.size()];
    for (int k = 0; k < events.size(); k++) {
      long[] e = events.get(k);
      if (e[1] == 0) {
        invokeLine[(int) e[0]] = k + 2;
      } else {
        completionLine[(int) e[0]] = k + 2;
      }
    }
    List<Operation> out = new ArrayList<>();
    for (Operation o : numbered) {
      out.add(new Operation(o.id(), o.process(), o.f(), o.key(), o.value(), o.expected(), o.completion(), o.invoke(),
          o.ret(), invokeLine[o.id()], completionLine[o.id()]));
    }
    return new History(name, "", out);
  }

  /**
   * The events of a file for {@code ops} (numbered by id), in time order: {id, 0, time} for an
   * invoke, {id, 1, time} for a completion; an info operation's info line is at the end of the
   * file, at the time of the last event.
   */
  static List<long[]> events(List<Operation> ops) {
    List<long[]> events = new ArrayList<>();
    long end = 0;
    for (Operation o : ops) {
      end = Math.max(end, o.ret() == Operation.NEVER ? o.invoke() : o.ret());
    }
    for (Operation o : ops) {
      events.add(new long[] {o.id(), 0, o.invoke()});
      events.add(new long[] {o.id(), 1, o.ret() == Operation.NEVER ? end : o.ret()});
    }
    // A stable sort: an operation's invoke, added first, stays before its completion at the same time.
    events.sort(Comparator.comparingLong(e -> e[2]));
    return events;
  }
}
