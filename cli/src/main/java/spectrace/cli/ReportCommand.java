package spectrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.conformance.TraceException;
import spectrace.conformance.Validator;
import spectrace.history.History;
import spectrace.history.HistoryReader;
import spectrace.history.LinearizabilityChecker;
import spectrace.report.ShiViz;
import spectrace.report.SpaceTime;
import spectrace.tlc.Specs;

/** {@code spectrace report}: a run as a space-time diagram in one HTML file, or as a ShiViz log. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
        "Draw a trace as a space-time diagram, in one HTML file.",
        "",
        "The file is self-contained: it opens from disk in any browser, nothing is fetched.",
        "A lane per node, time flowing down, an arrow from",
        "each send to its receipt; crashes, partitions and lost messages marked; the first",
        "divergence highlighted with the validator's report beside it. Click an event for its",
        "parameters, variables, the change since the node's previous event and its vector clock;",
        "search by node, action, seq or fault.",
        "",
        "The trace is validated first (as 'validate' does) unless --no-validate; with --history,",
        "the clients' history is checked for linearizability and its verdict shown too.",
        "With --shiviz, also write the trace as a log for ShiViz (see the README)."},
    footer = {"", "Exit codes: 0 the report was written (whatever the verdict); 2 bad input: a malformed",
        "trace or history, a spec that does not load, a file that cannot be written."})
final class ReportCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "TRACE", description = "The trace file(s) of one run.")
  List<Path> traces;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "The HTML report (default: report.html; none with --shiviz alone).")
  Path output;

  @Option(names = "--shiviz", paramLabel = "FILE", description = "Also write the trace as a ShiViz log.")
  Path shiviz;

  @Option(names = "--history", paramLabel = "FILE", description = "The run's client history (spectrace-history/1).")
  Path history;

  @Option(names = "--no-validate", description = "Draw the trace without validating it.")
  boolean noValidate;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    Path html = output != null ? output : shiviz != null ? null : Path.of("report.html");
    if (html != null) {
      Main.checkOutputFile("--output", html);
    }
    if (shiviz != null) {
      Main.checkOutputFile("--shiviz", shiviz);
    }
    SpaceTime d;
    try {
      d = HtmlReports.diagram(traces);
    } catch (TraceException e) {
      throw new Main.UserError(e.getMessage());
    }
    if (shiviz != null) {
      int n;
      try {
        n = ShiViz.write(shiviz, d.events());
      } catch (IOException e) {
        throw new Main.UserError("cannot write " + shiviz + ": " + e.getMessage());
      }
      out.printf("shiviz: %s (%,d events of %,d nodes); its parser, on the file's first line: %s%n", shiviz, n,
          d.header().nodes().size(), ShiViz.REGEX);
    }
    if (html == null) {
      return Main.OK;
    }
    String verdict = historyVerdict(history);
    Validator.Result r = null;
    if (!noValidate) {
      ProgressLine line = ProgressLine.on(err);
      try {
        r = new Validator(Specs.locate().root()).validate(traces, ValidateCommand.progress(line));
      } catch (TraceException e) {
        throw new Main.UserError(e.getMessage());
      } finally {
        line.clear();
      }
    }
    HtmlReports.write(html, traces, d, r, verdict);
    out.println("report: " + html + " (" + HtmlReports.verdict(traces, r).headline()
        + (verdict == null ? "" : "; history " + verdict) + ")");
    return Main.OK;
  }

  /** The history's linearizability verdict in one line, or null without one. */
  static String historyVerdict(Path file) {
    if (file == null) {
      return null;
    }
    History h;
    try {
      h = HistoryReader.read(file);
    } catch (TraceException e) {
      throw new Main.UserError(e.getMessage());
    }
    // The first line 'linearizable' prints, as cluster and simulate print it.
    java.io.StringWriter w = new java.io.StringWriter();
    LinearizableCommand.report(LinearizabilityChecker.kv().check(h), new PrintWriter(w));
    return w.toString().lines().findFirst().orElse("");
  }
}
