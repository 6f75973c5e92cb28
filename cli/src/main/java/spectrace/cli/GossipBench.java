package spectrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code spectrace bench gossip}: push gossip's coverage against its fanout, for N = 10, 100
 * and 1,000, as Markdown tables and, with {@code --svg}, a plot set against the ln N rule.
 */
final class GossipBench {

  /** The system sizes measured. */
  static final int[] SIZES = {10, 100, 1000};

  private GossipBench() {}

  static int run(PrintWriter out, int runs, Path svg) throws IOException {
    if (runs < 1) {
      throw new Main.UserError("--runs must be at least 1");
    }
    out.printf("push gossip, infect and die: p1 broadcasts one message; %d runs per point (seeds 1 to %d),"
        + " tracing off%n", runs, runs);
    out.flush();
    long start = System.nanoTime();
    List<GossipCoverage.Point> points = GossipCoverage.sweep(SIZES, runs, p -> {
      out.printf("  N %,5d  fanout %2d  coverage %.4f  every process %.3f  with %.0f%% loss %.4f%n", p.nodes(),
          p.fanout(), p.coverage(), p.everyone(), GossipCoverage.LOSS * 100, p.lossyCoverage());
      out.flush();
    });
    out.printf("%nmeasured in %.0f s%n%n", (System.nanoTime() - start) / 1e9);
    out.print(markdown(points));
    if (svg != null) {
      Files.writeString(svg, GossipPlot.svg(points, runs));
      out.println();
      out.println("plot: " + svg);
    }
    return Main.OK;
  }

  /** The tables: mean coverage (and the runs that reached everyone), without loss and with it. */
  static String markdown(List<GossipCoverage.Point> points) {
    StringBuilder b = new StringBuilder();
    b.append("Mean coverage, and in parentheses the fraction of runs in which every process delivered:\n\n");
    header(b);
    int top = points.stream().mapToInt(GossipCoverage.Point::fanout).max().orElse(0);
    for (int t = 1; t <= top; t++) {
      b.append("| ").append(t).append(' ');
      for (int n : SIZES) {
        GossipCoverage.Point p = find(points, n, t);
        b.append("| ").append(p == null ? "" : String.format(Locale.ROOT, "%.3f (%.2f)%s", p.coverage(), p.everyone(),
            mark(n, t))).append(' ');
      }
      b.append("|\n");
    }
    b.append("\nMean coverage when each packet is lost with probability ")
        .append(String.format(Locale.ROOT, "%.1f", GossipCoverage.LOSS)).append(":\n\n");
    header(b);
    for (int t = 1; t <= top; t++) {
      b.append("| ").append(t).append(' ');
      for (int n : SIZES) {
        GossipCoverage.Point p = find(points, n, t);
        b.append("| ").append(p == null ? "" : String.format(Locale.ROOT, "%.3f%s", p.lossyCoverage(), mark(n, t)))
            .append(' ');
      }
      b.append("|\n");
    }
    b.append("\n* the first fanout at or above ln N.\n");
    return b.toString();
  }

  private static void header(StringBuilder b) {
    b.append("| fanout ");
    for (int n : SIZES) {
      b.append(String.format(Locale.ROOT, "| N = %,d (ln N = %.1f) ", n, Math.log(n)));
    }
    b.append("|\n|---");
    for (int ignored : SIZES) {
      b.append("|---");
    }
    b.append("|\n");
  }

  /** A star on the first fanout at or above ln N. */
  private static String mark(int n, int t) {
    return t == (int) Math.ceil(Math.log(n)) ? " *" : "";
  }

  private static GossipCoverage.Point find(List<GossipCoverage.Point> points, int n, int t) {
    return points.stream().filter(p -> p.nodes() == n && p.fanout() == t).findFirst().orElse(null);
  }
}
