package spectrace.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import spectrace.conformance.TraceException;

/**
 * The spectrace-history/1 reader: the example of raft-interface.md, which is what the KV
 * client's writer must produce, read field by field; a round trip of generated histories; and
 * one test per class of bad input, each a one-line error at its file and line.
 */
class HistoryReaderTest {

  private static final String HEADER = HistoryFiles.header("test");

  private static History read(String text) throws TraceException {
    return HistoryReader.read("h.ndjson", new StringReader(text));
  }

  /** The format's example (raft-interface.md, "History"), the writer's contract, as a file. */
  @Test
  void readsTheInterfaceExample() throws Exception {
    Path file = spectrace.tlc.Specs.locate().root().resolveSibling("traces").resolve("histories/interface-example.ndjson");
    History h = HistoryReader.read(file);
    assertEquals("<free text: protocol, seed or cluster>", h.source());
    assertEquals(List.of(
        new Operation(0, "c1", Operation.Function.PUT, "k1", 3L, null, Operation.Completion.OK, 120, 190, 2, 3),
        new Operation(1, "c2", Operation.Function.GET, "k1", 3L, null, Operation.Completion.OK, 150, 200, 4, 5),
        new Operation(2, "c3", Operation.Function.CAS, "k1", 4L, 3L, Operation.Completion.FAIL, 210, 260, 6, 7),
        new Operation(3, "c4", Operation.Function.PUT, "k2", 7L, null, Operation.Completion.INFO, 300,
            Operation.NEVER, 8, 9)), h.operations());
    assertEquals(2, h.keys());
    assertEquals(LinearizabilityChecker.Linearizable.class, LinearizabilityChecker.kv().check(h).getClass());
  }

  /**
   * Lines of different processes may be out of time order (the interface's example is), a
   * process's own may not.
   */
  @Test
  void onlyAProcesssOwnTimesMustNotDecrease() throws Exception {
    History h = read(HEADER + PUT + event("c2", "invoke", "get", "null", 5) + event("c2", "ok", "get", "null", 6)
        + event("c1", "ok", "put", "1", 12));
    assertEquals(List.of(10L, 5L), h.operations().stream().map(Operation::invoke).toList());
  }

  /** An operation with no completion by the end of the file is info. */
  @Test
  void anOperationLeftOutstandingIsInfo() throws Exception {
    History h = read(HEADER + "{\"process\":\"c1\",\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\",\"value\":null,\"time\":5}\n");
    assertEquals(Operation.Completion.INFO, h.operations().get(0).completion());
    assertEquals(Operation.NEVER, h.operations().get(0).ret());
    assertEquals(0, h.operations().get(0).completionLine());
  }

  /** Writing a generated history and reading it back gives the same operations. */
  @Property(tries = 100)
  void aWrittenHistoryReadsBackTheSame(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 0, max = 60) int ops, @ForAll @IntRange(min = 1, max = 4) int clients) throws Exception {
    History h = HistoryGenerator.linearizable(seed, new HistoryGenerator.Params(ops, clients, 3, 0, 15, 0.1, 0.1));
    History back = read(HistoryFiles.write(h));
    assertEquals(h.operations(), back.operations());
  }

  private static String event(String process, String type, String f, String value, long time) {
    return "{\"process\":\"" + process + "\",\"type\":\"" + type + "\",\"f\":\"" + f + "\",\"key\":\"k\",\"value\":" + value
        + ",\"time\":" + time + "}\n";
  }

  private static final String PUT = event("c1", "invoke", "put", "1", 10);

  /** One line per class of bad input: the text after the header, the line, the message's start. */
  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', textBlock = """
      {"process":"c1","type":"invoke","key":"k","value":1,"time":1}            |2| missing field 'f'
      {"process":"c1","type":"invoke","f":"put","key":"k","value":1,"time":1,"x":0}  |2| unknown field 'x' in an event
      not json                                                                 |2| malformed JSON at column 4: Unrecognized token 'not'
      [1,2]                                                                    |2| not a JSON object
      {"process":"c1","type":"invoke","f":"put","key":"k","value":1,"time":1} {} |2| more than one JSON value on the line
      {"process":"c1","type":"begin","f":"put","key":"k","value":1,"time":1}   |2| unknown type 'begin' (invoke, ok, fail, info)
      {"process":"c1","type":"invoke","f":"delete","key":"k","value":1,"time":1} |2| unknown f 'delete' (put, get, cas)
      {"process":"","type":"invoke","f":"put","key":"k","value":1,"time":1}   |2| process must be a non-empty string
      {"process":"c1","type":"invoke","f":"put","key":1,"value":1,"time":1}    |2| key must be a string, not 1
      {"process":"c1","type":"invoke","f":"put","key":"k","value":1,"time":1.5} |2| time must be an integer, not 1.5
      {"process":"c1","type":"invoke","f":"put","key":"k","value":"1","time":1} |2| put's value (the integer written) must be an integer, not "1"
      {"process":"c1","type":"invoke","f":"get","key":"k","value":3,"time":1}  |2| a get's invoke has value null, not 3
      {"process":"c1","type":"invoke","f":"cas","key":"k","value":[1],"time":1} |2| a cas's value must be [expected, new], two integers, not [1]
      {"process":"c1","type":"invoke","f":"cas","key":"k","value":[1,null],"time":1} |2| a cas's new value must be an integer, not null
      {"process":"c1","type":"ok","f":"put","key":"k","value":1,"time":1}     |2| c1's ok has no invoke: c1 has no operation outstanding
      """)
  void badEventsAreOneLineErrorsAtTheirLine(String text, long line, String message) {
    TraceException e = assertThrows(TraceException.class, () -> read(HEADER + text.strip() + "\n"));
    assertStarts("h.ndjson:" + line + ": " + message.strip(), e.getMessage());
  }

  /** Errors that relate lines: the later line is named. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      0 | c1 invokes get k while its put k of line 2 is outstanding: a process has at most one operation outstanding
      1 | c1 invokes after its info at line 3: a process issues nothing after an info (continue under a new process name)
      2 | time 5 is before 10 at line 2, c1's previous event: a process's time never decreases
      3 | c1's ok is for get k, but its outstanding operation is put k (line 2)
      4 | the put's ok has value 2, its invoke (line 2) 1: a completion repeats its put's value
      5 | a get's fail has value null, not 1
      """)
  void badSequencesAreOneLineErrorsAtTheLaterLine(int which, String message) {
    String second = switch (which) {
      case 0 -> event("c1", "invoke", "get", "null", 11);
      case 1 -> event("c1", "info", "put", "1", 11) + event("c1", "invoke", "get", "null", 12);
      case 2 -> event("c1", "ok", "put", "1", 5);
      case 3 -> event("c1", "ok", "get", "1", 11);
      case 4 -> event("c1", "ok", "put", "2", 11);
      case 5 -> event("c2", "invoke", "get", "null", 11) + event("c2", "fail", "get", "1", 12);
      default -> throw new AssertionError();
    };
    TraceException e = assertThrows(TraceException.class, () -> read(HEADER + PUT + second));
    long line = second.lines().count() + 2;
    assertEquals("h.ndjson:" + line + ": " + message.strip(), e.getMessage());
  }

  /** The header: missing, of another format or model, with an unknown field; a blank line. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      {"format":"spectrace-trace/2"}                         | h.ndjson:1: unknown format 'spectrace-trace/2' (this reader reads spectrace-history/1)
      {"format":"spectrace-history/1","model":"queue"}       | h.ndjson:1: the header's model must be "kv" (the key-value store), not "queue"
      {"format":"spectrace-history/1","model":"kv","seed":1} | h.ndjson:1: unknown field 'seed' in the header (fields: format, model, source)
      {"process":"c1"}                                       | h.ndjson:1: the first line must be the header, with "format":"spectrace-history/1"
      """)
  void badHeadersAreOneLineErrors(String header, String message) {
    TraceException e = assertThrows(TraceException.class, () -> read(header.strip() + "\n"));
    assertEquals(message.strip(), e.getMessage());
  }

  @Test
  void emptyFilesAndBlankLinesAreErrors() throws Exception {
    assertStarts("h.ndjson:1: empty history", assertThrows(TraceException.class, () -> read("")).getMessage());
    assertEquals("h.ndjson:3: blank line: every line must be one JSON object",
        assertThrows(TraceException.class, () -> read(HEADER + PUT + "\n")).getMessage());
    Path missing = Files.createTempDirectory("history").resolve("none.ndjson");
    assertEquals(missing + ": no such file", assertThrows(TraceException.class, () -> HistoryReader.read(missing))
        .getMessage());
  }

  private static void assertStarts(String prefix, String message) {
    if (!message.startsWith(prefix)) {
      throw new AssertionError("expected a message starting with <" + prefix + "> but was <" + message + ">");
    }
    assertEquals(1, message.lines().count(), "one line");
  }
}
