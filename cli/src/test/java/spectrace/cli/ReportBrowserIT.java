package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser: headless Chromium (Debian's package, which .ci/run installs
 * where it is missing) opens a report of a Raft trace of 10^4 events from disk, runs its script
 * without an error and draws it; and the report of a known-bad sample opens at its divergence.
 * Screenshots of both are kept in {@code cli/target/report-screenshots/}, a build artifact.
 */
class ReportBrowserIT {

  private static final Path SHOTS = Path.of("target", "report-screenshots");
  private static final Path TRACES = Path.of(System.getProperty("spectrace.specs")).resolveSibling("traces");

  @TempDir Path tmp;

  @Test
  void aReportOfTenThousandRaftEventsRendersWithoutScriptErrors() throws Exception {
    Path trace = tmp.resolve("raft.ndjson");
    run("simulate", "raft", "--seed", "1", "--trace", trace.toString());
    long events = Files.lines(trace).count() - 1;
    assertTrue(events >= 10_000, "the simulated trace has " + events + " events");
    Path html = tmp.resolve("raft.html");
    // Not validated here (RaftTracesIT validates such runs): the page is what is tested.
    String printed = run("report", trace.toString(), "--no-validate", "-o", html.toString());
    assertTrue(printed.contains("(not validated)"), printed);

    String body = body(html);
    assertNull(attribute(body, "data-errors"), "script errors in the page: " + body);
    String ready = attribute(body, "data-ready");
    assertTrue(ready != null, "the page's script did not finish: " + body);
    assertTrue(ready.contains("events=" + events + " "), ready);
    assertTrue(Integer.parseInt(field(ready, "rows-drawn")) > 10, "rows drawn on screen: " + ready);
    assertTrue(Integer.parseInt(field(ready, "rows-drawn")) < 200, "only the rows on screen are drawn: " + ready);
    String details = attribute(body, "data-details");
    assertTrue(details != null && details.contains("events=" + events + " "), "the details were not unpacked: " + body);
    screenshot(html, "raft-10k.png");
  }

  @Test
  void aKnownBadSampleOpensAtItsDivergence() throws Exception {
    Path html = tmp.resolve("bad.html");
    run("validate", TRACES.resolve("raft/swapped-events.ndjson").toString(), "--report", html.toString());
    String body = body(html);
    assertNull(attribute(body, "data-errors"), "script errors in the page: " + body);
    String ready = attribute(body, "data-ready");
    assertTrue(ready != null && ready.contains("divergence=51 "), "the page does not show event 51's divergence: " + ready);
    assertTrue(body.contains("the first divergence"), "the divergence panel is missing");
    assertTrue(body.contains("BecomeLeader with these parameters is not enabled"), "the engine's report is missing");
    screenshot(html, "raft-divergence.png");
  }

  @Test
  void anEventNamedInTheAddressOpensWithItsDetails() throws Exception {
    Path html = tmp.resolve("sample.html");
    run("report", TRACES.resolve("raft/conforming-seed1.ndjson").toString(), "-o", html.toString());
    // Event 50: n1 grants n3 its vote (HandleRequestVoteRequest), sending the response that n3 counts at 52.
    String body = body(html, "#seq=50");
    assertNull(attribute(body, "data-errors"), "script errors in the page: " + body);
    String panel = body.substring(body.indexOf("<aside"));
    assertTrue(panel.contains("HandleRequestVoteRequest"), panel);
    assertTrue(panel.contains("changed since n1's previous event"), panel);
    assertTrue(panel.contains("votedFor"), panel);
    assertTrue(panel.contains("vector clock"), panel);
    assertTrue(panel.contains("received at"), "the response's receipt is linked: " + panel);
  }

  private String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertTrue(code == 0 || code == 1, String.join(" ", args) + ": exit " + code + "\n" + err);
    return out.toString();
  }

  /** The page's body element as the browser has it once its script has run. */
  private String body(Path html) throws Exception {
    return body(html, "");
  }

  private String body(Path html, String fragment) throws Exception {
    String dom = chromium(html, fragment, "--dump-dom");
    int start = dom.indexOf("<body");
    assertTrue(start >= 0, "no body in the page Chromium dumped:\n" + dom);
    return dom.substring(start);
  }

  private void screenshot(Path html, String name) throws Exception {
    Files.createDirectories(SHOTS);
    Path png = SHOTS.resolve(name).toAbsolutePath();
    Files.deleteIfExists(png);
    chromium(html, "", "--screenshot=" + png, "--window-size=1400,900", "--hide-scrollbars");
    assertTrue(Files.size(png) > 10_000, "screenshot " + png + " is empty");
  }

  private String chromium(Path html, String fragment, String... what) throws Exception {
    Path browser = browser();
    List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"),
        "--virtual-time-budget=20000"));
    cmd.addAll(List.of(what));
    cmd.add(html.toUri() + fragment);
    Path out = Files.createTempFile(tmp, "chromium", ".out");
    Path err = Files.createTempFile(tmp, "chromium", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("Chromium did not finish in 180 s: " + String.join(" ", cmd));
    }
    assertEquals(0, p.exitValue(), () -> "Chromium failed: " + tail(err));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static Path browser() {
    String given = System.getenv("SPECTRACE_CHROMIUM");
    for (String c : given != null ? List.of(given) : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(c))) {
        return Path.of(c);
      }
    }
    return fail("no Chromium at /usr/bin/chromium: .ci/run installs it (apt-get install chromium), or set"
        + " SPECTRACE_CHROMIUM to a Chromium or Chrome binary");
  }

  private static String attribute(String body, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(body.substring(0, body.indexOf('>') + 1));
    return m.find() ? m.group(1) : null;
  }

  private static String field(String ready, String name) {
    Matcher m = Pattern.compile(name + "=(\\d+)").matcher(ready);
    assertTrue(m.find(), name + " missing from " + ready);
    return m.group(1);
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output)";
    }
  }
}
