package spectrace.cli;

import java.io.PrintWriter;

/**
 * A line of progress on standard error: rewritten in place on a terminal (cut to its width,
 * since a wrapped line cannot be rewritten), a plain line every {@code interval} seconds
 * otherwise (a CI log, a pipe), and cleared before the result is printed.
 */
final class ProgressLine {

  private final PrintWriter err;
  private final boolean terminal;
  private final double interval;
  private final int columns = columns();
  private double lastPrinted; // off a terminal, the first line comes an interval in
  private int width;

  ProgressLine(PrintWriter err, boolean terminal, double interval) {
    this.err = err;
    this.terminal = terminal;
    this.interval = interval;
  }

  /** A line on {@code err}, in place when this JVM has a console, else every ten seconds. */
  static ProgressLine on(PrintWriter err) {
    return new ProgressLine(err, System.console() != null, 10);
  }

  /** True when a line shown {@code seconds} into the work would be printed. */
  synchronized boolean due(double seconds) {
    return terminal || seconds >= lastPrinted + interval;
  }

  /** Shows {@code line}, {@code seconds} into the work (off a terminal, only when {@link #due}). */
  synchronized void show(String line, double seconds) {
    if (!due(seconds)) {
      return;
    }
    if (terminal) {
      if (line.length() > columns - 1) {
        line = line.substring(0, columns - 2) + "~";
      }
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
    } else {
      lastPrinted = seconds;
      err.println(line);
    }
    err.flush();
  }

  /** Clears the line, on a terminal, so that what comes next starts at the line's beginning. */
  synchronized void clear() {
    if (terminal && width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
      width = 0;
    }
  }

  /** The terminal's width, where the shell exports it; 80 otherwise. */
  private static int columns() {
    try {
      int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").strip());
      return c >= 20 ? c : 80;
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
