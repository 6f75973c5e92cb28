package spectrace.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import spectrace.conformance.Divergence;
import spectrace.conformance.TraceEvent;

/**
 * A run's space-time diagram as one self-contained HTML file: the page
 * ({@code spectrace/report/report.html}: its style and script inline, nothing fetched) with
 * the run's data inside it: what the diagram draws as JSON, and each event whole (its
 * parameters, messages, variables and clock) as a JSON line, the lines gzipped and in base64,
 * which the browser unpacks itself (DecompressionStream) once the diagram is drawn. The page
 * draws only the rows on screen, so a trace of 10^5 events opens in seconds.
 */
public final class HtmlReport {

  private static final String TEMPLATE = "/spectrace/report/report.html";
  private static final String MARK = "/*DATA*/";
  private static final String DETAILS = "/*DETAILS*/";

  /**
   * What was found of the run.
   *
   * @param conforms   true or false, or null when the trace was not validated
   * @param headline   the verdict in a few words ({@code conforms}, {@code diverges at event 52})
   * @param text       the validator's report, as it prints it
   * @param divergence the first divergence, or null
   * @param mark       the words beside the divergence's event in the diagram
   */
  public record Verdict(Boolean conforms, String headline, String text, Divergence divergence, String mark) {

    /** A verdict of validation: its divergence is marked as the first. */
    public Verdict(Boolean conforms, String headline, String text, Divergence divergence) {
      this(conforms, headline, text, divergence, "first divergence");
    }
  }

  private HtmlReport() {}

  /**
   * Writes the report of {@code diagram} to {@code out}, whole or not at all: into a file beside
   * it first, moved over {@code out} when complete.
   *
   * @param history the clients' history verdict in one line, or null when the run has none
   */
  public static void write(Path out, String title, SpaceTime diagram, Verdict verdict, String history)
      throws IOException {
    write(out, title, diagram, verdict, history, Map.of());
  }

  /**
   * Writes the report, with {@code extra} entries in the page's data: {@code global} (each
   * event holds the whole state after it, as a counterexample's steps do), {@code initial}
   * (the state before the first event), {@code loop} (the state a lasso returns to).
   */
  public static void write(Path out, String title, SpaceTime diagram, Verdict verdict, String history,
                           Map<String, Object> extra) throws IOException {
    String page;
    try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException("the report page " + TEMPLATE + " is missing from the build");
      }
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int mark = page.indexOf(MARK);
    int details = page.indexOf(DETAILS);
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Outputs.temporary(dir, out);
    ObjectMapper json = new ObjectMapper();
    json.getFactory().setCharacterEscapes(new ScriptSafe());
    json.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    try {
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        file.write(page.substring(0, mark).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> data = data(title, diagram, verdict, history);
        data.putAll(extra);
        json.writeValue(file, data);
        file.write(page.substring(mark + MARK.length(), details).getBytes(StandardCharsets.UTF_8));
        // The events whole, a JSON line each, gzipped and in base64: the page unpacks them.
        OutputStream base64 = Base64.getEncoder().wrap(new FilterOutputStream(file) {
          @Override
          public void close() throws IOException {
            flush(); // the file stays open for the rest of the page
          }
        });
        try (GZIPOutputStream gz = new GZIPOutputStream(base64, 1 << 16)) {
          for (TraceEvent e : diagram.events()) {
            json.writeValue(gz, SpaceTime.json(e));
            gz.write('\n');
          }
        }
        file.write(page.substring(details + DETAILS.length()).getBytes(StandardCharsets.UTF_8));
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The page's data: what {@code report.html}'s script reads. */
  static Map<String, Object> data(String title, SpaceTime d, Verdict verdict, String history) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", title);
    m.put("protocol", d.header().protocol());
    m.put("module", d.header().module());
    m.put("seed", d.header().seed());
    m.put("nodes", d.header().nodes());
    m.put("variables", d.header().variables());
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("events", d.events().size());
    s.put("actions", d.events().stream().filter(TraceEvent::isAction).count());
    s.put("faults", d.faults());
    s.put("conforms", verdict.conforms());
    s.put("verdict", verdict.headline());
    s.put("text", verdict.text());
    s.put("history", history);
    m.put("summary", s);
    List<Object> events = new ArrayList<>(d.events().size());
    d.events().forEach(e -> events.add(SpaceTime.light(e)));
    m.put("events", events);
    List<Object> arrows = new ArrayList<>(d.arrows().size());
    for (SpaceTime.Arrow a : d.arrows()) {
      arrows.add(java.util.Arrays.asList(a.from(), a.to(), a.end().ordinal(), a.fault()));
    }
    m.put("arrows", arrows);
    List<Object> partitions = new ArrayList<>();
    d.partitions().forEach(p -> partitions.add(List.of(p.start(), p.end())));
    m.put("partitions", partitions);
    Divergence div = verdict.divergence();
    if (div != null) {
      Map<String, Object> dm = new LinkedHashMap<>();
      dm.put("index", d.indexOf(div));
      dm.put("text", verdict.text());
      dm.put("mark", verdict.mark());
      m.put("divergence", dm);
    }
    return m;
  }

  /** JSON safe inside a script element: no {@code </script>}, no {@code <!--}. */
  private static final class ScriptSafe extends CharacterEscapes {
    private final int[] table = standardAsciiEscapesForJSON();

    ScriptSafe() {
      table['<'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == '<' ? new SerializedString("\\u003c") : null;
    }
  }
}
