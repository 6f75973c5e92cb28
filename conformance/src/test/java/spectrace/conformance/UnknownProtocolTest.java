package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.tlc.Specs;

/**
 * A trace whose header names a protocol that no spec folder declares is bad input at its
 * header line, for both verdicts.
 *
 * <p>The story: {@code TraceFuzzTest} corrupted the header of a two-phase-commit sample into
 * {@code "protocol":"{wophase"}, and validation failed with "no spec for protocol '{wophase'"
 * and no location, against the bad-input contract (every error names its file and line). The
 * lookup of a protocol's spec knows nothing of traces; its callers, which read the header,
 * now give it the header's location.
 */
class UnknownProtocolTest {

  private static final Path SPECS = Specs.locate().root();

  @TempDir Path dir;

  private Path traceOfProtocol(String protocol) throws Exception {
    String sample = Files.readString(SPECS.resolveSibling("traces/twophase/conforming-seed7.ndjson"));
    assertTrue(sample.contains("\"protocol\":\"twophase\""));
    Path trace = dir.resolve("t.ndjson");
    Files.writeString(trace, sample.replaceFirst("\"protocol\":\"twophase\"", "\"protocol\":\"" + protocol + "\""));
    return trace;
  }

  @Test
  void theEngineNamesTheHeaderLine() throws Exception {
    Path trace = traceOfProtocol("{wophase");
    TraceException e = assertThrows(TraceException.class,
        () -> new Validator(SPECS).validate(List.of(trace), Validator.Progress.NONE));
    assertTrue(e.getMessage().startsWith(trace + ":1: no spec for protocol '{wophase'"), e.getMessage());
  }

  @Test
  void theTlcTraceSpecNamesTheHeaderLine() throws Exception {
    Path trace = traceOfProtocol("nosuch");
    TraceException e = assertThrows(TraceException.class, () -> TraceSpec.check(trace, SPECS));
    assertTrue(e.getMessage().startsWith(trace + ":1: no spec for protocol 'nosuch'"), e.getMessage());
  }
}
