package spectrace.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import spectrace.conformance.Report;
import spectrace.conformance.TraceEvent;
import spectrace.conformance.TraceException;
import spectrace.conformance.Validator;
import spectrace.report.HtmlReport;
import spectrace.report.SpaceTime;

/** Writes the HTML report of a trace: what {@code report}, {@code validate --report} and {@code cluster --report} share. */
final class HtmlReports {

  private HtmlReports() {}

  /** Every event of the trace in {@code files}, in the order validation takes them. */
  static SpaceTime diagram(List<Path> files) throws TraceException {
    List<TraceEvent> events = new ArrayList<>();
    try (Validator.Events in = Validator.open(files)) {
      for (TraceEvent e; (e = in.next()) != null; ) {
        events.add(e);
      }
      return SpaceTime.of(in.header(), events);
    }
  }

  /** The verdict the page shows for {@code r}, or "not validated" when r is null. */
  static HtmlReport.Verdict verdict(List<Path> files, Validator.Result r) {
    if (r == null) {
      return new HtmlReport.Verdict(null, "not validated", null, null);
    }
    List<String> names = files.stream().map(Path::toString).toList();
    String headline = r.conforms() ? "conforms" : "diverges at event " + r.divergence().seq();
    return new HtmlReport.Verdict(r.conforms(), headline, Report.text(names, r), r.divergence());
  }

  /**
   * Writes the report of the trace in {@code files} to {@code out}.
   *
   * @param r       the trace's validation, or null
   * @param history the clients' history verdict in one line, or null
   */
  static void write(Path out, List<Path> files, Validator.Result r, String history) {
    SpaceTime d;
    try {
      d = diagram(files);
    } catch (TraceException e) {
      throw new Main.UserError(e.getMessage());
    }
    write(out, files, d, r, history);
  }

  /** Writes the report of {@code d}, the diagram of the trace in {@code files}, to {@code out}. */
  static void write(Path out, List<Path> files, SpaceTime d, Validator.Result r, String history) {
    try {
      String title = String.join(" ", files.stream().map(Path::toString).toList());
      HtmlReport.write(out, title, d, verdict(files, r), history);
    } catch (IOException e) {
      throw new Main.UserError("cannot write the report " + out + ": " + e.getMessage());
    }
  }
}
