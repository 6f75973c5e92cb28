package spectrace.kv;

/**
 * One line of a client history (the linearizability checker's input): a process invoked an
 * operation, or the operation completed ({@code ok}: took effect with this result;
 * {@code fail}: certainly did not; {@code info}: unknown, it may take effect at any time
 * after its invoke). See {@link HistoryWriter} for the file.
 *
 * <p>The operation's value as the history writes it: a put's is the value written; a get's
 * is null on its invoke and info, and on ok the value read or null for an absent key; a
 * cas's is {@code [expected, new]}. Here, {@code present} says whether a get's value is there
 * (true for every put and cas), {@code value} is that value or the cas's new value, and
 * {@code expected} the cas's expected value (0 otherwise).
 *
 * @param process  the process name (the client session id, e.g. {@code "c1"})
 * @param type     invoke, ok, fail or info
 * @param f        the operation
 * @param key      the key
 * @param present  whether the value is there (false: the history's null)
 * @param value    the value, or the cas's new value; 0 when not present
 * @param expected the cas's expected value; 0 for put and get
 * @param time     when it happened, in the runtime's ticks; non-decreasing down a history
 */
public record HistoryEvent(String process, Type type, Op f, String key, boolean present, long value, long expected,
                           long time) {

  /** The kind of event. */
  public enum Type {
    /** The operation was issued. */
    INVOKE,
    /** It took effect, with the event's value as its result. */
    OK,
    /** It certainly did not take effect. */
    FAIL,
    /** Unknown whether it took effect. */
    INFO;

    /** The name in histories: {@code invoke}, {@code ok}, {@code fail}, {@code info}. */
    public String lowerCase() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Checks the fields. */
  public HistoryEvent {
    if (process == null || type == null || f == null || key == null) {
      throw new IllegalArgumentException("a history event needs a process, type, f and key");
    }
    if (!present && (value != 0 || f != Op.GET)) {
      throw new IllegalArgumentException("only a get's value can be absent, and then it is 0 (" + f.lowerCase()
          + " by " + process + ")");
    }
    if (f != Op.CAS && expected != 0) {
      throw new IllegalArgumentException("only a cas has an expected value (" + f.lowerCase() + " by " + process + ")");
    }
  }

  /** The invoke of {@code command} by its client, at {@code time}. */
  public static HistoryEvent invoke(Command command, long time) {
    return of(HistoryEvent.Type.INVOKE, command, time);
  }

  /** The info of {@code command}: its outcome is unknown. */
  public static HistoryEvent info(Command command, long time) {
    return of(HistoryEvent.Type.INFO, command, time);
  }

  /**
   * The completion of {@code command} with {@code result}: ok or fail as the result says, with
   * a get's value read. A {@link Result.Outcome#STALE} result completes nothing: it is refused.
   */
  public static HistoryEvent completion(Command command, Result result, long time) {
    Type type = switch (result.outcome()) {
      case OK -> Type.OK;
      case FAIL -> Type.FAIL;
      case STALE -> throw new IllegalArgumentException("a stale result completes no operation (client "
          + command.client() + ", seq " + command.seq() + ")");
    };
    if (command.op() == Op.GET && type == Type.OK) {
      return new HistoryEvent(command.client(), type, Op.GET, command.key(), result.present(), result.value(), 0, time);
    }
    return of(type, command, time);
  }

  /** The event of {@code type} for {@code command} with the value it was invoked with. */
  private static HistoryEvent of(Type type, Command command, long time) {
    boolean get = command.op() == Op.GET;
    return new HistoryEvent(command.client(), type, command.op(), command.key(), !get, command.value(),
        command.expected(), time);
  }
}
