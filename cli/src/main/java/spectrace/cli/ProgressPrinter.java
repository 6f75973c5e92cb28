package spectrace.cli;

import java.io.PrintWriter;
import spectrace.tlc.Progress;

/**
 * Shows a model check's progress: one line rewritten in place on a terminal, a plain line
 * every {@code interval} seconds otherwise (a CI log, a pipe).
 */
final class ProgressPrinter implements Progress.Listener {

  private final PrintWriter err;
  private final boolean terminal;
  private final double interval;
  private double lastPrinted;
  private Progress last;
  private int width;

  private final String label;
  private final int columns = columns();

  /** A printer whose lines start with {@code label} (a model's name, or nothing). */
  ProgressPrinter(PrintWriter err, boolean terminal, double interval, String label) {
    this.err = err;
    this.terminal = terminal;
    this.interval = interval;
    this.label = label;
  }

  @Override
  public synchronized void onProgress(Progress p) {
    if (!terminal && p.seconds() - lastPrinted < interval) {
      return;
    }
    // The rate since the line before: a second on a terminal, the interval otherwise.
    double perMinute = last == null || p.seconds() <= last.seconds() ? p.generated() / Math.max(p.seconds(), 1e-3) * 60
        : (p.generated() - last.generated()) / (p.seconds() - last.seconds()) * 60;
    last = p;
    String line = p.simulation()
        ? String.format("  %s%,d behaviours, %,d states generated, %,.0f states/min, %.0f s",
            label, p.queue(), p.generated(), perMinute, p.seconds())
        : String.format("  %s%,d distinct states, %,.0f states/min, queue %,d, %.0f s",
            label, p.distinct(), perMinute, p.queue(), p.seconds());
    if (terminal) {
      // A line wider than the terminal wraps, and "\r" rewrites only its last row: the rows
      // above would stay, one more at each update.
      if (line.length() > columns - 1) {
        line = line.substring(0, columns - 2) + "~";
      }
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
    } else {
      lastPrinted = p.seconds();
      err.println(line);
    }
    err.flush();
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

  /** Clears the progress line before the verdict is printed. */
  synchronized void done() {
    if (terminal && width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
      width = 0;
    }
  }
}
