package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import spectrace.tlc.Progress;

/** The progress of a model check, in a log and on a terminal. */
class ProgressPrinterTest {

  @Test
  void offATerminalEachIntervalGetsOneLine() {
    StringWriter log = new StringWriter();
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(log), false, 10, "twophase / MCTwoPhaseLarge: ");
    // TLC reports about once a second; some seconds twice.
    for (double s : new double[] {1, 2, 9.9, 10.1, 10.6, 11, 19, 20.2, 20.3, 25, 30.4, 31}) {
      p.onProgress(new Progress((long) (s * 100), (long) (s * 1000), 7, s));
    }
    p.done();
    List<String> lines = log.toString().lines().toList();
    assertEquals(List.of(
        "  twophase / MCTwoPhaseLarge: 1,010 distinct states, 60,000 states/min, queue 7, 10 s",
        "  twophase / MCTwoPhaseLarge: 2,020 distinct states, 60,000 states/min, queue 7, 20 s",
        "  twophase / MCTwoPhaseLarge: 3,040 distinct states, 60,000 states/min, queue 7, 30 s"), lines);
  }

  /** A line wider than the terminal wraps, and rewriting it in place would leave a row behind at each update. */
  @Test
  void onATerminalTheLineFitsItsWidth() {
    StringWriter term = new StringWriter();
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(term), true, 10,
        "broadcast / MCUniformReliableBroadcastEarlyDelivery: ");
    for (int s = 1; s <= 3; s++) {
      p.onProgress(new Progress(4_412_905L * s, 12_345_678L * s, 1_234_567, s));
    }
    p.done();
    for (String segment : term.toString().split("\r")) {
      assertTrue(segment.length() < 80, segment.length() + ": " + segment);
    }
    assertTrue(term.toString().endsWith("\r"), "the line is cleared");
  }
}
