package spectrace.history;

import java.util.ArrayList;
import java.util.List;

/** Histories written by hand for the tests: {@code op("c1", "put k 1", 0, 10)}, {@code "get k -> 1"}, {@code "get k -> null"}, {@code "cas k 1 2"}. */
final class Ops {

  private Ops() {}

  /** An ok operation. */
  static Operation op(String process, String what, long invoke, long ret) {
    return make(process, what, Operation.Completion.OK, invoke, ret);
  }

  /** An info operation (invoked, never known to complete). */
  static Operation info(String process, String what, long invoke) {
    return make(process, what, Operation.Completion.INFO, invoke, Operation.NEVER);
  }

  /** A failed operation. */
  static Operation fail(String process, String what, long invoke, long ret) {
    return make(process, what, Operation.Completion.FAIL, invoke, ret);
  }

  private static Operation make(String process, String what, Operation.Completion c, long invoke, long ret) {
    String[] w = what.split(" ");
    return switch (w[0]) {
      case "put" -> new Operation(0, process, Operation.Function.PUT, w[1], Long.parseLong(w[2]), null, c, invoke, ret, 0, 0);
      case "get" -> new Operation(0, process, Operation.Function.GET, w[1],
          w.length < 4 || w[3].equals("null") ? null : Long.parseLong(w[3]), null, c, invoke, ret, 0, 0);
      case "cas" -> new Operation(0, process, Operation.Function.CAS, w[1], Long.parseLong(w[3]), Long.parseLong(w[2]), c,
          invoke, ret, 0, 0);
      default -> throw new IllegalArgumentException(what);
    };
  }

  /** The history of these operations, numbered in order of invoke. */
  static History history(Operation... ops) {
    return HistoryGenerator.numbered("test", List.of(ops));
  }

  static History history(List<Operation> ops) {
    return HistoryGenerator.numbered("test", new ArrayList<>(ops));
  }
}
