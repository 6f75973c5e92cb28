package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spectrace report} as a user runs it: what it writes, and one located line for bad input. */
class ReportCommandTest {

  private static final Path TRACES = Path.of(System.getProperty("spectrace.specs")).resolveSibling("traces");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path tmp;

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void aKnownBadSampleGetsAReportWithItsVerdict() throws Exception {
    Path html = tmp.resolve("r.html");
    assertEquals(0, run("report", TRACES.resolve("twophase/changed-value.ndjson").toString(), "-o", html.toString()),
        err::toString);
    assertTrue(out.toString().contains("report: " + html + " (diverges at event "), out::toString);
    String page = Files.readString(html);
    assertTrue(page.startsWith("<!DOCTYPE html>"));
    assertFalse(page.contains("/*DATA*/") || page.contains("/*DETAILS*/"), "a placeholder is left in the page");
    assertFalse(page.matches("(?s).*<(script|link|img)[^>]+(src|href)=.*"), "the page loads something from elsewhere");
  }

  @Test
  void withoutValidationTheVerdictIsNotClaimed() {
    Path html = tmp.resolve("r.html");
    assertEquals(0, run("report", TRACES.resolve("twophase/changed-value.ndjson").toString(), "--no-validate", "-o",
        html.toString()), err::toString);
    assertTrue(out.toString().contains("(not validated)"), out::toString);
  }

  @Test
  void aTruncatedTraceIsOneLocatedLineAndExitTwoAndNoReport() throws Exception {
    Path bad = tmp.resolve("bad.ndjson");
    Files.writeString(bad, Files.readString(TRACES.resolve("twophase/changed-value.ndjson")).substring(0, 100));
    Path html = tmp.resolve("r.html");
    Files.writeString(html, "an older report");
    assertEquals(2, run("report", bad.toString(), "-o", html.toString()));
    assertTrue(err.toString().startsWith("error: " + bad + ":1: "), err::toString);
    assertEquals(1, err.toString().strip().lines().count(), err::toString);
    assertEquals("an older report", Files.readString(html), "a failed report must not touch the file");
    try (var files = Files.list(tmp)) {
      assertEquals(2, files.count(), "a temporary file is left behind");
    }
  }

  @Test
  void anOutputThatIsAFolderIsRefused() {
    assertEquals(2, run("report", TRACES.resolve("twophase/changed-value.ndjson").toString(), "-o", tmp.toString()));
    assertTrue(err.toString().contains("is a folder"), err::toString);
  }
}
