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

  ProgressPrinter(PrintWriter err, boolean terminal, double interval) {
    this.err = err;
    this.terminal = terminal;
    this.interval = interval;
  }

  @Override
  public synchronized void onProgress(Progress p) {
    double perMinute = last == null || p.seconds() <= last.seconds() ? p.generated() / Math.max(p.seconds(), 1e-3) * 60
        : (p.generated() - last.generated()) / (p.seconds() - last.seconds()) * 60;
    last = p;
    String line = String.format("  %,d distinct states, %,.0f states/min, queue %,d, %.0f s",
        p.distinct(), perMinute, p.queue(), p.seconds());
    if (terminal) {
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
      err.flush();
    } else if (p.seconds() - lastPrinted >= interval) {
      lastPrinted = p.seconds();
      err.println(line);
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
