package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import spectrace.tlc.Specs;

/**
 * The bad-input contract under corruption: whatever is done to a good trace, validation
 * either gives a verdict (the trace conforms or diverges at a located event) or fails with a
 * {@link TraceException} whose one-line message starts with {@code file:line:}; nothing else
 * escapes (no NullPointerException, no ClassCastException, no TLC internals).
 */
class TraceFuzzTest {

  private static final Path SPECS = Specs.locate().root();
  private static final Path SAMPLE = SPECS.resolveSibling("traces/twophase/conforming-dup-reorder.ndjson");
  /** One loaded spec for the tries whose header still parses: the fuzz goes through the shared load too. */
  private static final Validator VALIDATOR = Validator.reusing(SPECS);

  @AfterContainer
  static void closeValidator() {
    VALIDATOR.close();
  }

  /** One corruption: what to do, where, and with what. */
  record Corruption(int kind, int where, int what) {}

  @Provide
  Arbitrary<List<Corruption>> corruptions() {
    Arbitrary<Corruption> one = Combinators.combine(Arbitraries.integers().between(0, 7),
        Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 1 << 20)).as(Corruption::new);
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  private static final String[] REPLACEMENTS = {
      "\"", "{", "}", "[", "]", ",", ":", "0", "-1", "1.5", "null", "true", "\"x\"", "{}", "[]", "\\", "\u00e9", "\n"};

  private static String corrupt(String text, Corruption c) {
    if (text.isEmpty()) {
      return text;
    }
    int at = c.where() % text.length();
    String[] lines = text.split("\n", -1);
    int line = c.where() % lines.length;
    switch (c.kind()) {
      case 0: // flip a character
        return text.substring(0, at) + REPLACEMENTS[c.what() % REPLACEMENTS.length] + text.substring(at + 1);
      case 1: // delete a span
        return text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + c.what() % 40));
      case 2: // truncate the file
        return text.substring(0, at);
      case 3: { // drop a line
        List<String> l = new ArrayList<>(List.of(lines));
        l.remove(line);
        return String.join("\n", l);
      }
      case 4: { // duplicate a line
        List<String> l = new ArrayList<>(List.of(lines));
        l.add(line, lines[line]);
        return String.join("\n", l);
      }
      case 5: { // swap two lines
        List<String> l = new ArrayList<>(List.of(lines));
        int other = c.what() % lines.length;
        String tmp = l.get(line);
        l.set(line, l.get(other));
        l.set(other, tmp);
        return String.join("\n", l);
      }
      case 6: // a value of another type
        return text.replaceFirst("\"(working|prepared|committed|aborted|init)\"",
            java.util.regex.Matcher.quoteReplacement(REPLACEMENTS[c.what() % REPLACEMENTS.length]));
      default: // a field renamed
        return text.replaceFirst("\"(params|vars|seq|kind|action|node|sent|recv|msg|type|rm)\":", "\"zz\":");
    }
  }

  @Property(tries = 150)
  void corruptedTracesGetAVerdictOrOneLocatedError(@ForAll("corruptions") List<Corruption> cs) throws Exception {
    String text = Files.readString(SAMPLE);
    for (Corruption c : cs) {
      text = corrupt(text, c);
    }
    Path f = Files.createTempFile("spectrace-fuzz-", ".ndjson");
    try {
      Files.writeString(f, text, StandardCharsets.UTF_8);
      try {
        Validator.Result r = VALIDATOR.validate(List.of(f), Validator.Progress.NONE);
        if (r.divergence() != null) {
          assertTrue(r.divergence().where().matches(".*:\\d+"), r.divergence().where());
        }
        Statistics.collect(r.conforms() ? "conforms" : "diverges");
      } catch (TraceException e) {
        Statistics.collect("bad input");
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ":") || m.startsWith(f.toString()) || m.contains(".tla:") || m.contains(".json:"),
            "an error without its location: " + m);
        assertTrue(!m.contains("\n"), "more than one line: " + m);
      }
    } finally {
      Files.deleteIfExists(f);
    }
    Statistics.coverage(cover -> {
      // Measured: about 80% bad input, 16% still conforming, 4% diverging.
      cover.check("bad input").percentage(p -> p > 40);
    });
  }
}
