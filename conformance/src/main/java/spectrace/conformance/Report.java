package spectrace.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A validation result for people (plain text) and for programs (JSON). */
public final class Report {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  /** The result as plain text: the verdict first, then the details of a divergence. */
  public static String text(List<String> files, Validator.Result r) {
    StringBuilder sb = new StringBuilder();
    String module = r.header().module();
    Divergence d = r.divergence();
    if (d != null) {
      sb.append(d.where()).append(": divergence at event ").append(d.seq()).append(": ").append(d.node()).append(' ')
          .append(d.action()).append(d.action().startsWith("fault ") ? "" : params(d.params())).append('\n');
      if (d.reason() != null) {
        sb.append("  ").append(d.reason()).append('\n');
        if (!d.preState().isEmpty()) {
          sb.append("  the spec state:\n");
        }
      } else if (d.enabled()) {
        sb.append("  ").append(module).append("'s ").append(d.action()).append(" is enabled here, but no successor")
            .append(" agrees with the log; the closest differs in:\n");
        for (Divergence.Mismatch m : d.closest()) {
          sb.append("    ").append(m.name()).append(": the spec has ").append(indent(m.expected(), 6))
              .append(", the trace logged ").append(m.logged()).append('\n');
        }
        sb.append("  the spec state before the event:\n");
      } else {
        sb.append("  ").append(module).append("'s ").append(d.action()).append(" with these parameters is not enabled")
            .append(" in ").append(d.candidates() == 1 ? "the spec state" : "any of the " + d.candidates() + " spec states")
            .append(" the trace can be in before this event").append(d.candidates() == 1 ? ":\n" : "; the first:\n");
      }
      if (!d.preState().isEmpty()) {
        sb.append(indent("    " + d.preState(), 4)).append('\n');
      }
    }
    sb.append(d == null ? "conforms: " : "diverges: ").append(String.join(" ", files)).append(" against ").append(module)
        .append(String.format(": %,d events (%,d actions) in %.3f s (%,.0f events/s) after %.2f s loading the spec;"
            + " largest frontier %d", r.events(), r.actions(), r.seconds(), r.eventsPerSecond(), r.loadSeconds(),
            r.maxFrontier()));
    return sb.toString();
  }

  /** The result as one JSON object. */
  public static String json(List<String> files, Validator.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("conforms", r.conforms());
    m.put("trace", files);
    m.put("module", r.header().module());
    m.put("events", r.events());
    m.put("actions", r.actions());
    m.put("loadSeconds", r.loadSeconds());
    m.put("seconds", r.seconds());
    m.put("eventsPerSecond", Math.round(r.eventsPerSecond()));
    m.put("largestFrontier", r.maxFrontier());
    Divergence d = r.divergence();
    if (d != null) {
      Map<String, Object> dm = new LinkedHashMap<>();
      int colon = d.where().lastIndexOf(':');
      dm.put("file", d.where().substring(0, colon));
      dm.put("line", Long.parseLong(d.where().substring(colon + 1)));
      dm.put("seq", d.seq());
      dm.put("node", d.node());
      dm.put("action", d.action());
      dm.put("params", d.params());
      dm.put("enabled", d.enabled());
      dm.put("candidates", d.candidates());
      dm.put("reason", d.reason());
      List<Map<String, Object>> mm = new ArrayList<>();
      for (Divergence.Mismatch x : d.closest()) {
        Map<String, Object> xm = new LinkedHashMap<>();
        xm.put("variable", x.variable());
        xm.put("index", x.index());
        xm.put("expected", x.expected());
        xm.put("logged", x.logged());
        mm.add(xm);
      }
      dm.put("mismatches", mm);
      dm.put("preState", d.preState());
      m.put("divergence", dm);
    }
    return write(m);
  }

  /** A bad-input error as one JSON object. */
  public static String jsonError(String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    return write(m);
  }

  private static String write(Map<String, Object> m) {
    try {
      return JSON.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String params(Map<String, Object> params) {
    List<String> parts = new ArrayList<>();
    params.forEach((k, v) -> parts.add(k + " = " + (v instanceof String s ? "\"" + s + "\"" : String.valueOf(v))));
    return "(" + String.join(", ", parts) + ")";
  }

  private static String indent(String text, int spaces) {
    return text.replace("\n", "\n" + " ".repeat(spaces));
  }
}
