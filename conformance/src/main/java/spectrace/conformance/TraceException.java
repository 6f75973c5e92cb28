package spectrace.conformance;

/**
 * Bad input: a trace, a spec or a conformance declaration that cannot be read or used. The
 * message is one line that starts with the location ({@code file:line:} where there is one).
 */
public final class TraceException extends Exception {

  public TraceException(String message) {
    super(message);
  }

  /** An error at {@code line} of {@code file}. */
  public static TraceException at(String file, long line, String what) {
    return new TraceException(file + ":" + line + ": " + what);
  }
}
