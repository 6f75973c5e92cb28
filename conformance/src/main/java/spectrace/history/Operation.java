package spectrace.history;

/**
 * One client operation of a history: what a process invoked, how it completed, and when.
 *
 * <p>For {@code put}, {@code value} is the integer written; for {@code get}, the integer read
 * ({@code null}: the key was absent, or the result is unknown); for {@code cas}, the new value,
 * with {@code expected} the value it must find. An operation is real-time ordered before another
 * when it returned strictly before the other was invoked; operations with equal times are
 * concurrent. An {@code info} operation's return is {@link #NEVER}: it may take effect at any
 * time after its invoke, or never.
 *
 * @param id its index in the history (in order of invocation)
 * @param process the process (client session) that invoked it
 * @param f what it does
 * @param key the key it is on
 * @param value see above
 * @param expected for {@code cas}: the value it must find; otherwise null
 * @param completion how it completed
 * @param invoke the time of its invoke
 * @param ret the time of its completion, {@link #NEVER} for {@code info}
 * @param invokeLine the line of its invoke in the history file (0 for a history built in memory)
 * @param completionLine the line of its completion (0 when the file ends before it)
 */
public record Operation(int id, String process, Function f, String key, Long value, Long expected, Completion completion,
    long invoke, long ret, long invokeLine, long completionLine) {

  /** The return time of an operation that may take effect at any time after its invoke. */
  public static final long NEVER = Long.MAX_VALUE;

  /** The operations of the key-value store. */
  public enum Function {
    PUT, GET, CAS;

    /** The name in history files. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How an operation completed. */
  public enum Completion {
    /** It took effect, with the result recorded. */
    OK,
    /** It certainly did not take effect. */
    FAIL,
    /** Unknown: it may have taken effect at any time after its invoke, or never. */
    INFO;

    /** The name in history files. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Operation {
    if (process == null || f == null || key == null || completion == null) {
      throw new IllegalArgumentException("process, f, key and completion are required");
    }
    if ((f == Function.CAS) != (expected != null)) {
      throw new IllegalArgumentException("expected is for cas, and cas needs it");
    }
    if (f != Function.GET && value == null) {
      throw new IllegalArgumentException(f.wireName() + " needs a value");
    }
    if (ret < invoke) {
      throw new IllegalArgumentException("returns before its invoke");
    }
    if ((completion == Completion.INFO) != (ret == NEVER)) {
      throw new IllegalArgumentException("an info operation, and only it, returns NEVER");
    }
  }

  /** Whether this operation certainly returned before {@code other} was invoked. */
  public boolean precedes(Operation other) {
    return ret < other.invoke;
  }

  /** The operation as a reader writes it: {@code put k1 3}, {@code get k1 -> 3}, {@code cas k1 [3,4]}. */
  public String describe() {
    return switch (f) {
      case PUT -> "put " + key + " " + value;
      case GET -> completion == Completion.OK ? "get " + key + " -> " + value : "get " + key;
      case CAS -> "cas " + key + " [" + expected + "," + value + "]";
    };
  }

  /** The interval, {@code [120, 190]}, or {@code [120, ...)} for an info operation. */
  public String interval() {
    return "[" + invoke + ", " + (ret == NEVER ? "...)" : ret + "]");
  }

  /** One line for reports: process, operation, completion, interval and lines. */
  public String line() {
    String where = invokeLine == 0 ? "" : completionLine == 0 ? "  line " + invokeLine + " (no completion)"
        : "  lines " + invokeLine + ", " + completionLine;
    return String.format("%-6s %-22s %-4s %s%s", process, describe(), completion.wireName(), interval(), where);
  }
}
