package spectrace.kv;

/**
 * What applying a {@link Command} to the {@link KvStore} gives, and what the client is told.
 *
 * <ul>
 *   <li>put: {@code OK}, present, the value written.</li>
 *   <li>get: {@code OK}, and the value read ({@code present}) or that the key has none
 *       ({@code present} false, {@code value} 0).</li>
 *   <li>cas: {@code OK}, present, the new value, when the key held the expected value and the
 *       new one was written; {@code FAIL} with the key's current value (or absent) when not,
 *       and nothing was written.</li>
 *   <li>{@code STALE} (not present): the command's seq is below the last one its client's
 *       session applied, whose result alone the store remembers. A client waits for each
 *       operation's reply before it issues the next, so this is the answer to a late copy of
 *       a request already answered, which no client is waiting for.</li>
 * </ul>
 *
 * <p>An absent value is {@code present} false and {@code value} 0, never null (traces and
 * TLC have no null).
 */
public record Result(Outcome outcome, boolean present, long value) {

  /** Whether the command took effect. */
  public enum Outcome {
    /** Applied (put, get, a cas whose expected value matched). */
    OK,
    /** A cas whose expected value did not match: not applied. */
    FAIL,
    /** Not applied: a later command of the same client was applied already. */
    STALE
  }

  /** The result of every stale command. */
  public static final Result STALE = new Result(Outcome.STALE, false, 0);

  /** Checks that an absent value is 0 and that a stale result holds none. */
  public Result {
    if (outcome == null) {
      throw new IllegalArgumentException("a result needs an outcome");
    }
    if (!present && value != 0) {
      throw new IllegalArgumentException("an absent value is 0, not " + value);
    }
    if (outcome == Outcome.STALE && present) {
      throw new IllegalArgumentException("a stale result holds no value");
    }
  }

  /** Applied, with {@code value}. */
  public static Result ok(long value) {
    return new Result(Outcome.OK, true, value);
  }

  /** Applied; a get of a key that has no value. */
  public static Result okAbsent() {
    return new Result(Outcome.OK, false, 0);
  }

  /** A cas not applied: the key held {@code current}. */
  public static Result fail(long current) {
    return new Result(Outcome.FAIL, true, current);
  }

  /** A cas not applied: the key had no value. */
  public static Result failAbsent() {
    return new Result(Outcome.FAIL, false, 0);
  }
}
