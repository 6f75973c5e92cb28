package spectrace.cli;

import java.io.PrintWriter;
import spectrace.tlc.Progress;

/**
 * Shows a model check's progress: one line rewritten in place on a terminal, a plain line
 * every {@code interval} seconds otherwise (a CI log, a pipe).
 */
final class ProgressPrinter implements Progress.Listener {

  private final PrintWriter err;
  private final ProgressLine line;
  private Progress last;

  private final String label;
  /** A distributed run's workers and their shares, as last reported (empty: none, or not distributed). */
  private java.util.List<Progress.Share> shares = java.util.List.of();
  private boolean distributed;

  /** A printer whose lines start with {@code label} (a model's name, or nothing). */
  ProgressPrinter(PrintWriter err, boolean terminal, double interval, String label) {
    this.err = err;
    this.line = new ProgressLine(err, terminal, interval);
    this.label = label;
  }

  @Override
  public synchronized void onProgress(Progress p) {
    if (!line.due(p.seconds())) {
      return;
    }
    // The rate since the line before: a second on a terminal, the interval otherwise.
    double perMinute = last == null || p.seconds() <= last.seconds() ? p.generated() / Math.max(p.seconds(), 1e-3) * 60
        : (p.generated() - last.generated()) / (p.seconds() - last.seconds()) * 60;
    last = p;
    String text = p.simulation()
        ? String.format("  %s%,d behaviours, %,d states generated, %,.0f states/min, %.0f s",
            label, p.queue(), p.generated(), perMinute, p.seconds())
        : String.format("  %s%,d distinct states, %,.0f states/min, queue %,d, %.0f s%s",
            label, p.distinct(), perMinute, p.queue(), p.seconds(), distributed ? "; " + shares(shares) : "");
    line.show(text, p.seconds());
  }

  @Override
  public synchronized void onWorkers(java.util.List<Progress.Share> now) {
    distributed = true;
    shares = java.util.List.copyOf(now);
  }

  /** Prints a distributed run's event as a line of its own, under the progress line. */
  @Override
  public synchronized void onEvent(String event) {
    done();
    err.println("  " + label + event);
    err.flush();
  }

  /** The workers' last reported shares. */
  synchronized java.util.List<Progress.Share> shares() {
    return shares;
  }

  /**
   * Each worker's share of the states explored so far, e.g. {@code 2 workers: 52% 48%}: the
   * states the server handed it, over all it handed out.
   */
  static String shares(java.util.List<Progress.Share> shares) {
    if (shares.isEmpty()) {
      return "no worker connected";
    }
    long all = shares.stream().mapToLong(Progress.Share::sent).sum();
    StringBuilder b = new StringBuilder(shares.size() + (shares.size() == 1 ? " worker:" : " workers:"));
    for (Progress.Share s : shares) {
      b.append(' ').append(all == 0 ? "-" : Math.round(100.0 * s.sent() / all) + "%");
    }
    return b.toString();
  }

  /** Clears the progress line before the verdict is printed. */
  synchronized void done() {
    line.clear();
  }
}
