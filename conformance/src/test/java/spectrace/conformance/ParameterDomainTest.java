package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.tlc.Specs;

/**
 * A logged parameter must be one that Next quantifies over: {@code \E rm \in RM : RMPrepare(rm)}
 * allows no {@code RMPrepare("rm9")} when RM is {rm1, rm2, rm3}, whatever RMPrepare's body says.
 */
class ParameterDomainTest {

  private static final Path SPECS = Specs.locate().root();

  @TempDir Path dir;

  @Test
  void aParameterOutsideNextsQuantifierIsADivergence() throws Exception {
    String sample = Files.readString(SPECS.resolveSibling("traces/twophase/conforming-seed7.ndjson"));
    String changed = sample.replaceFirst("\"action\":\"RMPrepare\",\"params\":\\{\"rm\":\"rm1\"\\}",
        "\"action\":\"RMPrepare\",\"params\":{\"rm\":\"rm9\"}");
    assertFalse(changed.equals(sample), "the sample's first event is rm1's RMPrepare");
    Path trace = Files.writeString(dir.resolve("t.ndjson"), changed);
    Validator.Result r = new Validator(SPECS).validate(List.of(trace), Validator.Progress.NONE);
    Divergence d = r.divergence();
    assertNotNull(d, "RMPrepare(rm9) conformed");
    assertEquals(trace + ":2", d.where());
    assertEquals("RMPrepare", d.action());
    assertFalse(d.enabled(), "Next has no RMPrepare for rm9");
  }
}
