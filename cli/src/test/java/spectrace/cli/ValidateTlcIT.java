package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spectrace validate --tlc} as a user runs it: both verdicts, the engine's and the TLC
 * trace spec's (TLC in a child JVM), and their agreement.
 */
class ValidateTlcIT {

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @TempDir Path tmp;

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
  void withTlcBothVerdictsAreGivenAndAgreeOnAConformingAndADivergingTrace() throws Exception {
    Path t = simulate("t.ndjson", "--seed", "7");
    assertEquals(0, run("validate", "--tlc", t.toString()), err::toString);
    assertTrue(out.toString().contains("TLC trace spec: conforms (10 of 10 logged events matched"), out::toString);
    assertTrue(out.toString().contains("the two verdicts agree"), out::toString);

    String bad = Files.readString(t).replace("\"action\":\"TMAbort\"", "\"action\":\"TMCommit\"");
    Path b = Files.writeString(tmp.resolve("b.ndjson"), bad);
    assertEquals(1, run("validate", "--tlc", b.toString()));
    assertTrue(out.toString().contains("TLC trace spec: diverges at " + b + ":8 (5 of 10 logged events matched"),
        out::toString);
    assertTrue(out.toString().contains("the two verdicts agree"), out::toString);
  }

  @Test
  void aValueOfTheWrongTypeDivergesAndTheReportNamesBothTypes() throws Exception {
    Path t = simulate("t.ndjson", "--seed", "7");
    String bad = Files.readString(t).replaceFirst("\\{\"rm1\":\"prepared\"}", "{\"rm1\":7}");
    Path b = Files.writeString(tmp.resolve("b.ndjson"), bad);
    assertEquals(1, run("validate", "--tlc", b.toString()), err::toString);
    assertTrue(out.toString().startsWith(b + ":2: divergence"), out::toString);
    assertTrue(out.toString().contains("rmState[\"rm1\"]: the spec has \"prepared\" (a string), the trace logged 7"
        + " (an integer, which cannot be a string)"), out::toString);
    assertTrue(out.toString().contains("the two verdicts agree"), out::toString);
  }
}
