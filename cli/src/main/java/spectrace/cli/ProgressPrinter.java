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
    String line = String.format("  %s%,d distinct states, %,.0f states/min, queue %,d, %.0f s",
        label, p.distinct(), perMinute, p.queue(), p.seconds());
    if (terminal) {
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
    } else {
      lastPrinted = p.seconds();
      err.println(line);
    }
    err.flush();
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
