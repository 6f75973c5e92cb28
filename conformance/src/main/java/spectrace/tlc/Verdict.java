package spectrace.tlc;

import java.util.List;

/**
 * What one TLC run concluded.
 *
 * @param kind           the result
 * @param property       the violated invariant or property, where TLC names it (null otherwise)
 * @param message        TLC's own words for a violation or an error (null when {@code kind} is OK)
 * @param location       {@code file:line:col} of a parse, semantic, configuration or evaluation
 *                       error ({@code file.cfg:line} or the file alone where TLC gives no more), or null
 * @param distinct       distinct states found (-1 when TLC did not say)
 * @param generated      states generated (-1 when TLC did not say)
 * @param depth          depth of the state graph search (-1 when TLC did not say)
 * @param seconds        wall-clock time of the run
 * @param counterexample the behaviour TLC printed, state by state (empty when there is none)
 */
public record Verdict(
    Kind kind,
    String property,
    String message,
    String location,
    long distinct,
    long generated,
    int depth,
    double seconds,
    List<TraceStep> counterexample) {

  /** The results a model can have, as a manifest names them. */
  public enum Kind {
    /** TLC explored the whole model and found no error. */
    OK("ok"),
    /** An invariant or an action property was violated. */
    SAFETY("safety"),
    /** A reachable state has no successor. */
    DEADLOCK("deadlock"),
    /** A temporal property was violated. */
    LIVENESS("liveness"),
    /**
     * TLC failed while checking: an error in evaluating the spec (a division by zero, a failed
     * {@code Assert}, a value of the wrong type), a false assumption, out of memory. Not a
     * violation: the spec or the model must be fixed before it can be checked.
     */
    ERROR("error"),
    /** The model could not be loaded: a parse, semantic or configuration error. */
    INVALID("invalid");

    private final String word;

    Kind(String word) {
      this.word = word;
    }

    /** The word a manifest uses for this result. */
    public String word() {
      return word;
    }

    /** The kind a manifest word names, or null. */
    public static Kind ofWord(String word) {
      for (Kind k : values()) {
        if (k.word.equals(word)) {
          return k;
        }
      }
      return null;
    }

    /** True for the results that are violations of the model's properties. */
    public boolean isViolation() {
      return this == SAFETY || this == DEADLOCK || this == LIVENESS;
    }
  }

  public Verdict {
    counterexample = List.copyOf(counterexample);
  }

  /** The process exit code of {@code spectrace check} for this verdict: 0, 1 or 2. */
  public int exitCode() {
    return switch (kind) {
      case OK -> 0;
      case SAFETY, DEADLOCK, LIVENESS -> 1;
      case ERROR, INVALID -> 2;
    };
  }

  /**
   * One line that states the result, e.g. {@code violation: Invariant ConsistencyInv is
   * violated.}; an error and an invalid model start with their {@code file:line:col}.
   */
  public String headline() {
    String at = location == null ? "" : location + ": ";
    return switch (kind) {
      case OK -> distinct < 0
          ? String.format("ok: no violation in the behaviours simulated, %,d states generated, %.1f s", generated,
              seconds)
          : String.format("ok: %,d distinct states, depth %d, %.1f s", distinct, depth, seconds);
      case SAFETY, DEADLOCK, LIVENESS -> "violation: " + message;
      case ERROR -> at + "error: " + message;
      case INVALID -> at + message;
    };
  }

  /** True when the model could not be checked: it does not load, or TLC failed on it. */
  public boolean isError() {
    return kind == Kind.ERROR || kind == Kind.INVALID;
  }
}
