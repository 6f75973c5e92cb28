package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spectrace validate} as a user runs it: verdicts, reports, bad input. With {@code --tlc}: {@link ValidateTlcIT}. */
class ValidateCommandTest {

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();
  private final String specs = System.getProperty("spectrace.specs");

  @TempDir Path tmp;

  @AfterEach
  void restoreSpecs() {
    System.setProperty("spectrace.specs", specs);
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private Path simulate(String name, String... more) {
    Path t = tmp.resolve(name);
    String[] args = Stream.concat(Stream.of("simulate", "twophase", "--trace", t.toString()), Stream.of(more))
        .toArray(String[]::new);
    assertEquals(0, run(args), err::toString);
    return t;
  }

  @Test
  void aSimulatedTraceConformsAndOneChangedValueIsNamedByLineAndVariable() throws Exception {
    Path t = simulate("t.ndjson", "--seed", "7");
    assertEquals(0, run("validate", t.toString()), out::toString);
    assertTrue(out.toString().startsWith("conforms: " + t + " against TwoPhase: 13 events"), out::toString);

    List<String> lines = Files.readAllLines(t);
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"rmState\":{\"rm2\":\"aborted\"}")) {
        at = i;
        break;
      }
    }
    assertTrue(at > 0, "seed 7 aborts rm2");
    lines.set(at, lines.get(at).replace("\"rmState\":{\"rm2\":\"aborted\"}", "\"rmState\":{\"rm2\":\"prepared\"}"));
    Path bad = Files.write(tmp.resolve("bad.ndjson"), lines);
    assertEquals(1, run("validate", bad.toString()));
    String o = out.toString();
    assertTrue(o.startsWith(bad + ":" + (at + 1) + ": divergence at event "), o);
    assertTrue(o.contains("rmState[\"rm2\"]: the spec has \"aborted\", the trace logged \"prepared\""), o);
  }

  @Test
  void jsonReportsCarryTheVerdictAndTheDivergence() throws Exception {
    Path t = simulate("t.ndjson", "--seed", "7");
    assertEquals(0, run("validate", "--json", t.toString()));
    assertTrue(out.toString().startsWith("{\"conforms\":true,"), out::toString);
    String bad = Files.readString(t).replace("\"action\":\"TMAbort\"", "\"action\":\"TMCommit\"");
    Path b = Files.writeString(tmp.resolve("b.ndjson"), bad);
    assertEquals(1, run("validate", "--json", b.toString()));
    assertTrue(out.toString().contains("\"divergence\":{\"file\":\"" + b + "\",\"line\":8,"), out::toString);
    assertTrue(out.toString().contains("\"action\":\"TMCommit\""), out::toString);
    assertTrue(out.toString().contains("\"enabled\":false"), out::toString);
  }

  private void assertBadInput(String content, String expected) throws Exception {
    Path f = Files.writeString(tmp.resolve("in.ndjson"), content);
    assertEquals(2, run("validate", f.toString()), () -> "exit for: " + content);
    String e = err.toString().strip();
    assertEquals(1, e.lines().count(), "one line: " + e);
    assertTrue(e.startsWith("error: " + f + ":"), e);
    assertTrue(e.contains(expected), e);
    assertFalse(e.contains("Exception"), e);
  }

  @Test
  void badInputGetsOneLocatedLineAndExitTwo() throws Exception {
    String trace = Files.readString(simulate("ok.ndjson", "--seed", "7"));
    String[] lines = trace.split("\n");
    String header = lines[0] + "\n";
    assertBadInput(header + lines[1].substring(0, 40) + "\n" + lines[2] + "\n", ":2: malformed JSON");
    assertBadInput(header + lines[1] + "\n" + lines[2].substring(0, 50), ":3: truncated last line");
    assertBadInput(header + lines[1].replace("RMPrepare", "RMPrepareTwice") + "\n", ":2: unknown action 'RMPrepareTwice'");
    assertBadInput(header.replace("\"tmState\":\"whole\"", "\"tmState\":\"whole\",\"tmColour\":\"whole\""),
        ":1: the trace logs variable 'tmColour'");
    assertBadInput(header + lines[1].replace("\"rmState\":{", "\"rmColour\":{") + "\n", ":2: unknown variable 'rmColour'");
    assertBadInput(header.substring(0, 60), ":1: truncated header: the file ends inside its first line");
    assertBadInput(header + lines[1].replace("\"seq\":0", "\"seq\":\"zero\"") + "\n", ":2: field 'seq' must be an integer");
    assertBadInput(lines[1] + "\n", ":1: missing header");
    assertBadInput(header + lines[1].replace("\"params\":{\"rm\":\"rm1\"}", "\"params\":{\"who\":\"rm1\"}") + "\n",
        ":2: action RMPrepare takes parameters (rm), the event gives (who)");
  }

  @Test
  void aSpecThatDoesNotParseIsBadInputLocatedInTheSpec() throws Exception {
    Path copy = tmp.resolve("specs/twophase");
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(Path.of(specs, "twophase"))) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path tla = copy.resolve("TwoPhase.tla");
    Files.writeString(tla, Files.readString(tla).replace("TMCrash == /\\ tmUp", "TMCrash == /\\ tmUp /\\"));
    Path t = simulate("t.ndjson", "--seed", "7");
    System.setProperty("spectrace.specs", tmp.resolve("specs").toString());
    assertEquals(2, run("validate", t.toString()));
    String e = err.toString().strip();
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.matches("error: .*TwoPhase\\.tla:\\d+:\\d+: .*"), e);
  }

  @Test
  void aMissingFileIsBadInput() {
    assertEquals(2, run("validate", tmp.resolve("nope.ndjson").toString()));
    assertTrue(err.toString().contains("nope.ndjson: no such file"), err::toString);
  }

  @Test
  void oneSimulatorTraceGivenTwiceIsNamedAsHoldingEveryNodesEvents() throws Exception {
    Path t = simulate("t.ndjson", "--seed", "7");
    Path u = Files.copy(t, tmp.resolve("u.ndjson"));
    assertEquals(2, run("validate", t.toString(), u.toString()));
    assertTrue(err.toString().contains("a simulator's trace, which holds every node's events, is validated alone"),
        err::toString);
  }
}
