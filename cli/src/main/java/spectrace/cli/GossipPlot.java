package spectrace.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * The plot of {@code spectrace bench gossip}, as SVG written by hand: on the left, the mean
 * coverage against the fanout for each N, with ln N marked; on the right, the fraction of
 * runs that reached every process against c = fanout - ln N, with the ln N rule's prediction
 * exp(-exp(-c)).
 */
final class GossipPlot {

  private static final int WIDTH = 980;
  private static final int HEIGHT = 450;
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c"};

  private GossipPlot() {}

  /** A panel: its place on the canvas and the ranges of its axes. */
  private record Panel(double left, double top, double width, double height,
                       double xMin, double xMax, double yMin, double yMax) {
    double x(double v) {
      return left + (v - xMin) / (xMax - xMin) * width;
    }

    double y(double v) {
      return top + height - (v - yMin) / (yMax - yMin) * height;
    }
  }

  static String svg(List<GossipCoverage.Point> points, int runs) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    text(s, WIDTH / 2.0, 22, "middle", 15, "Push gossip (infect and die): coverage against fanout, "
        + runs + " runs per point");

    int maxFanout = points.stream().mapToInt(GossipCoverage.Point::fanout).max().orElse(1);
    Panel a = new Panel(70, 60, 380, 300, 0, maxFanout + 1, 0, 1);
    axes(s, a, "fanout t", "mean fraction of processes that deliver", 1, 0.2);
    text(s, a.left() + a.width() / 2, 48, "middle", 13, "(a) coverage");
    curve(s, a, GossipCoverage::predictedCoverage, 1, maxFanout + 1, "#888888", "2,3");
    legendLine(s, a.left() + a.width() - 200, a.top() + a.height() - 20, "#888888", "2,3",
        "large-N limit: x = 1 - exp(-t x)");
    for (int i = 0; i < GossipBench.SIZES.length; i++) {
      int n = GossipBench.SIZES[i];
      double ln = Math.log(n);
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
          + " stroke-dasharray=\"6,4\"/>%n", a.x(ln), a.y(0), a.x(ln), a.y(1), COLORS[i]));
      text(s, a.x(ln) + 3, a.y(0.55 - 0.07 * i), "start", 11, String.format(Locale.ROOT, "ln %,d", n), COLORS[i]);
      series(s, a, points, n, COLORS[i], p -> p.fanout(), GossipCoverage.Point::coverage);
      legendLine(s, a.left() + a.width() - 200, a.top() + a.height() - 84 + 16 * i, COLORS[i], null,
          String.format(Locale.ROOT, "N = %,d", n));
    }

    Panel b = new Panel(580, 60, 360, 300, -5, 8, 0, 1);
    axes(s, b, "c = t - ln N", "fraction of runs in which every process delivers", 1, 0.2);
    text(s, b.left() + b.width() / 2, 48, "middle", 13, "(b) the ln N rule: t = ln N + c");
    s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444444\""
        + " stroke-dasharray=\"6,4\"/>%n", b.x(0), b.y(0), b.x(0), b.y(1)));
    text(s, b.x(0) + 4, b.y(0.95), "start", 11, "t = ln N");
    curve(s, b, c -> Math.exp(-Math.exp(-c)), b.xMin(), b.xMax(), "#000000", "2,3");
    legendLine(s, b.left() + b.width() - 165, b.top() + b.height() - 20, "#000000", "2,3", "predicted: exp(-exp(-c))");
    for (int i = 0; i < GossipBench.SIZES.length; i++) {
      int n = GossipBench.SIZES[i];
      series(s, b, points, n, COLORS[i], GossipCoverage.Point::c, GossipCoverage.Point::everyone);
      legendLine(s, b.left() + b.width() - 165, b.top() + b.height() - 84 + 16 * i, COLORS[i], null,
          String.format(Locale.ROOT, "N = %,d", n));
    }
    text(s, WIDTH / 2.0, HEIGHT - 26, "middle", 11, "Measured by ./spectrace bench gossip on the deterministic"
        + " simulator, tracing off; no loss, no crash.");
    text(s, WIDTH / 2.0, HEIGHT - 10, "middle", 11, "Kermarrec, Massoulie and Ganesh (2003): fanout t = ln N + c"
        + " reaches every process with probability about exp(-exp(-c)).");
    s.append("</svg>\n");
    return s.toString();
  }

  private static void axes(StringBuilder s, Panel p, String xLabel, String yLabel, double xStep, double yStep) {
    s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\""
        + " stroke=\"#000000\"/>%n", p.left(), p.top(), p.width(), p.height()));
    for (double x = Math.ceil(p.xMin()); x <= p.xMax() + 1e-9; x += xStep) {
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e6e6e6\"/>%n",
          p.x(x), p.top(), p.x(x), p.top() + p.height()));
      text(s, p.x(x), p.top() + p.height() + 16, "middle", 11, String.format(Locale.ROOT, "%.0f", x));
    }
    for (double y = p.yMin(); y <= p.yMax() + 1e-9; y += yStep) {
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e6e6e6\"/>%n",
          p.left(), p.y(y), p.left() + p.width(), p.y(y)));
      text(s, p.left() - 6, p.y(y) + 4, "end", 11, String.format(Locale.ROOT, "%.1f", y));
    }
    text(s, p.left() + p.width() / 2, p.top() + p.height() + 34, "middle", 12, xLabel);
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\""
        + " transform=\"rotate(-90 %.1f %.1f)\">%s</text>%n", p.left() - 40, p.top() + p.height() / 2,
        p.left() - 40, p.top() + p.height() / 2, escape(yLabel)));
  }

  private static void series(StringBuilder s, Panel p, List<GossipCoverage.Point> points, int n, String color,
                             java.util.function.ToDoubleFunction<GossipCoverage.Point> x,
                             java.util.function.ToDoubleFunction<GossipCoverage.Point> y) {
    StringBuilder line = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (GossipCoverage.Point pt : points) {
      if (pt.nodes() != n || x.applyAsDouble(pt) < p.xMin() || x.applyAsDouble(pt) > p.xMax()) {
        continue;
      }
      double px = p.x(x.applyAsDouble(pt));
      double py = p.y(y.applyAsDouble(pt));
      line.append(String.format(Locale.ROOT, "%s%.1f,%.1f", line.length() == 0 ? "" : " ", px, py));
      dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py, color));
    }
    s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\""
        + " data-n=\"%d\"/>%n", line, color, n));
    s.append(dots);
  }

  private static void curve(StringBuilder s, Panel p, DoubleUnaryOperator f, double from, double to, String color,
                            String dash) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i <= 200; i++) {
      double x = from + (to - from) * i / 200;
      line.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", p.x(x), p.y(f.applyAsDouble(x))));
    }
    s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.2\""
        + " stroke-dasharray=\"%s\"/>%n", line, color, dash));
  }

  private static void legendLine(StringBuilder s, double x, double y, String color, String dash, String label) {
    s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
        + " stroke-width=\"1.5\"%s/>%n", x, y - 4, x + 22, y - 4, color,
        dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
    text(s, x + 28, y, "start", 11, label);
  }

  private static void text(StringBuilder s, double x, double y, String anchor, int size, String text) {
    text(s, x, y, anchor, size, text, null);
  }

  private static void text(StringBuilder s, double x, double y, String anchor, int size, String text, String color) {
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s>%s</text>%n",
        x, y, anchor, size, color == null ? "" : " fill=\"" + color + "\"", escape(text)));
  }

  private static String escape(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
