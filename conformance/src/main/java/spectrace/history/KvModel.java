package spectrace.history;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The key-value store's sequential specification: a map of registers (the store of
 * raft-interface.md): {@code put(k, v)} sets k to v; {@code get(k)} returns k's value, null if
 * never written; {@code cas(k, e, n)} sets k to n if it is e (ok), and changes nothing if not.
 *
 * <p>A state is an immutable map; the checker gives it one key's operations at a time (each key
 * is a partition), so a state holds at most one entry there.
 */
public final class KvModel implements Model<Map<String, Long>> {

  @Override
  public Map<String, Long> init() {
    return Map.of();
  }

  @Override
  public Map<String, Long> step(Map<String, Long> state, Operation op) {
    Long current = state.get(op.key());
    return switch (op.f()) {
      case PUT -> with(state, op.key(), op.value());
      case GET -> Objects.equals(current, op.value()) ? state : null;
      case CAS -> op.expected().equals(current) ? with(state, op.key(), op.value()) : null;
    };
  }

  @Override
  public Map<String, Long> stepUnknown(Map<String, Long> state, Operation op) {
    Long current = state.get(op.key());
    return switch (op.f()) {
      case PUT -> with(state, op.key(), op.value());
      case GET -> null;
      case CAS -> op.expected().equals(current) ? with(state, op.key(), op.value()) : null;
    };
  }

  @Override
  public String whyNot(Map<String, Long> state, Operation op) {
    Long current = state.get(op.key());
    String is = current == null ? op.key() + " is absent" : op.key() + " is " + current;
    return switch (op.f()) {
      case PUT -> "a put is always allowed";
      case GET -> is + ", not " + op.value();
      case CAS -> is + ", not " + op.expected();
    };
  }

  @Override
  public String describe(Map<String, Long> state) {
    if (state.isEmpty()) {
      return "every key absent";
    }
    StringBuilder b = new StringBuilder();
    state.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(" = ").append(e.getValue());
    });
    return b.toString();
  }

  @Override
  public String partition(Operation op) {
    return op.key();
  }

  /**
   * Leaves out optional gets (they change nothing), and optional writes of a value that no
   * operation that stays looks for (no required get reads it, no required or remaining optional
   * cas expects it). Such a write is never needed: in any linearization that uses it, the
   * operations between it and the next write must find its value, so there are none, and the
   * linearization without it is one too.
   */
  @Override
  public List<Operation> prune(List<Operation> required, List<Operation> optional) {
    Set<Long> looked = new HashSet<>();
    for (Operation op : required) {
      if (op.f() == Operation.Function.GET && op.value() != null) {
        looked.add(op.value());
      } else if (op.f() == Operation.Function.CAS) {
        looked.add(op.expected());
      }
    }
    List<Operation> kept = new ArrayList<>();
    for (Operation op : optional) {
      if (op.f() != Operation.Function.GET) {
        kept.add(op);
      }
    }
    while (true) {
      Set<Long> all = new HashSet<>(looked);
      for (Operation op : kept) {
        if (op.f() == Operation.Function.CAS) {
          all.add(op.expected());
        }
      }
      List<Operation> next = new ArrayList<>();
      for (Operation op : kept) {
        if (all.contains(op.value())) {
          next.add(op);
        }
      }
      if (next.size() == kept.size()) {
        return next;
      }
      kept = next;
    }
  }

  private static Map<String, Long> with(Map<String, Long> state, String key, long value) {
    if (state.size() == 0 || state.size() == 1 && state.containsKey(key)) {
      return Map.of(key, value);
    }
    java.util.HashMap<String, Long> m = new java.util.HashMap<>(state);
    m.put(key, value);
    return Map.copyOf(m);
  }

  /**
   * A read (an ok get of a value, or an ok cas) of a value that no write invoked before the
   * read returned writes (an ok or info put, or cas to that value): it can take effect nowhere.
   */
  @Override
  public Operation refute(List<Operation> required, List<Operation> optional) {
    Map<Long, Long> firstWrite = new java.util.HashMap<>();
    for (List<Operation> ops : List.of(required, optional)) {
      for (Operation op : ops) {
        if (op.f() != Operation.Function.GET) {
          firstWrite.merge(op.value(), op.invoke(), Math::min);
        }
      }
    }
    for (Operation op : required) {
      Long x = op.f() == Operation.Function.GET ? op.value() : op.f() == Operation.Function.CAS ? op.expected() : null;
      if (x == null) {
        continue;
      }
      Long first = firstWrite.get(x);
      if (first == null || first > op.ret()) {
        return op;
      }
    }
    return null;
  }

  /** For each value the witness's reads and cas operations look for: every operation that writes it. */
  @Override
  public List<String> hints(List<Operation> witness, List<Operation> partition) {
    List<String> out = new ArrayList<>();
    Set<String> said = new HashSet<>();
    for (Operation op : witness) {
      if (op.completion() != Operation.Completion.OK || op.f() == Operation.Function.PUT) {
        continue;
      }
      Long v = op.f() == Operation.Function.GET ? op.value() : op.expected();
      String what = v == null ? "absent" : String.valueOf(v);
      if (!said.add(what)) {
        continue;
      }
      if (v == null) {
        out.add(op.describe() + " finds " + op.key() + " absent: it must come before every write of " + op.key());
        continue;
      }
      List<String> writes = new ArrayList<>();
      for (Operation w : partition) {
        if (w.f() != Operation.Function.GET && w.completion() != Operation.Completion.FAIL && v.equals(w.value())) {
          writes.add(w.process() + " " + w.describe() + " " + w.completion().wireName() + " " + w.interval());
        }
      }
      out.add("the writes of " + what + " to " + op.key() + " (" + op.describe() + " finds it): "
          + (writes.isEmpty() ? "none" : String.join("; ", writes)));
    }
    return out;
  }
}
