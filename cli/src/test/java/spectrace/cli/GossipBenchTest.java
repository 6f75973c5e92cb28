package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The gossip coverage benchmark measures what push gossip is known to do (flooding reaches
 * everyone, fanout 1 dies out, fanout well above ln N reaches everyone), replays from its
 * seeds, and draws its plot as well-formed SVG with a line per system size.
 */
class GossipBenchTest {

  @Test
  void floodingReachesEveryProcessInEveryRun() {
    GossipCoverage.Point p = GossipCoverage.measure(10, 9, 20);
    assertEquals(1.0, p.coverage());
    assertEquals(1.0, p.everyone());
    assertTrue(p.lossyCoverage() > 0.9 && p.lossyCoverage() <= 1.0, p.toString());
  }

  @Test
  void fanoutOneDiesOutInALargeSystem() {
    GossipCoverage.Point p = GossipCoverage.measure(200, 1, 20);
    assertTrue(p.coverage() < 0.3, p.toString());
    assertEquals(0.0, p.everyone());
  }

  /** Kermarrec et al.: below ln N no run reaches everyone; at ln N + 4 nearly every run does. */
  @Test
  void theLnNRuleHasASharpThreshold() {
    assertEquals(0.0, GossipCoverage.measure(100, 2, 50).everyone());
    assertTrue(GossipCoverage.measure(100, 9, 50).everyone() >= 0.9);
    assertTrue(GossipCoverage.measure(100, 5, 50).everyone() > 0.2);
    // The prediction, exp(-N exp(-t)), is exp(-exp(-c)) for t = ln N + c.
    for (int t = 1; t <= 10; t++) {
      assertEquals(Math.exp(-Math.exp(-(t - Math.log(100)))), GossipCoverage.predictedEveryone(100, t), 1e-12);
    }
  }

  @Test
  void theLargeSystemEpidemicSizeSolvesItsEquation() {
    double x = GossipCoverage.predictedCoverage(2);
    assertEquals(x, 1 - Math.exp(-2 * x), 1e-9);
    assertEquals(0.797, x, 1e-3);
    assertEquals(0.0, GossipCoverage.predictedCoverage(1));
  }

  @Test
  void aMeasurementReplaysFromItsSeeds() {
    assertEquals(GossipCoverage.measure(50, 3, 10), GossipCoverage.measure(50, 3, 10));
  }

  @Test
  void thePlotIsSvgWithALinePerSizeInEachPanel() throws Exception {
    List<GossipCoverage.Point> points = new ArrayList<>();
    for (int n : GossipBench.SIZES) {
      for (int t : GossipCoverage.fanouts(n)) {
        points.add(new GossipCoverage.Point(n, t, 1, Math.min(1, t / 5.0), t > Math.log(n) ? 1 : 0, Math.min(1, t / 6.0)));
      }
    }
    String svg = GossipPlot.svg(points, 1);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", doc.getDocumentElement().getTagName());
    NodeList lines = doc.getElementsByTagName("polyline");
    int series = 0;
    for (int i = 0; i < lines.getLength(); i++) {
      if (((Element) lines.item(i)).hasAttribute("data-n")) {
        series++;
      }
    }
    assertEquals(2 * GossipBench.SIZES.length, series, "a line per size in each panel");
    assertEquals(2 * GossipBench.SIZES.length + 2, lines.getLength(), "and the two predictions");
    assertTrue(svg.contains(">ln 1,000<"), "ln N is marked");
    assertTrue(svg.contains("exp(-exp(-c))"), "the ln N rule's prediction is drawn");
  }

  @Test
  void theTablesHaveARowPerFanoutAndMarkLnN() {
    List<GossipCoverage.Point> points = List.of(new GossipCoverage.Point(10, 1, 5, 0.5, 0, 0.4),
        new GossipCoverage.Point(10, 3, 5, 0.99, 0.8, 0.97));
    String md = GossipBench.markdown(points);
    assertTrue(md.contains("| 1 | 0.500 (0.00) |  |  |"), md);
    assertTrue(md.contains("| 3 | 0.990 (0.80) * |  |  |"), md);
    assertTrue(md.contains("| 3 | 0.970 * |  |  |"), md);
  }
}
