package spectrace.history;

import java.util.List;

/**
 * A history of client operations, as read from a {@code spectrace-history/1} file or built in
 * memory: every invoked operation with its completion ({@code fail} ones included), in order of
 * invocation.
 *
 * @param name the file it was read from, or a description
 * @param source the header's {@code source} (free text), or ""
 * @param operations the operations, {@link Operation#id()} being the index in this list
 */
public record History(String name, String source, List<Operation> operations) {

  /** The header's format name. */
  public static final String FORMAT = "spectrace-history/1";

  public History {
    operations = List.copyOf(operations);
    for (int i = 0; i < operations.size(); i++) {
      if (operations.get(i).id() != i) {
        throw new IllegalArgumentException("operation " + i + " has id " + operations.get(i).id());
      }
    }
  }

  /** The number of distinct keys. */
  public long keys() {
    return operations.stream().map(Operation::key).distinct().count();
  }
}
