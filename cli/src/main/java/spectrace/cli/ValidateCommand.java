package spectrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.conformance.Report;
import spectrace.conformance.TraceException;
import spectrace.conformance.TraceSpec;
import spectrace.conformance.Validator;
import spectrace.tlc.Specs;

/** {@code spectrace validate}: is this trace a behaviour of its spec? */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
        "Check that a trace is a behaviour of its spec, or name the first event that is not.",
        "",
        "The spec is the one the trace's header names; each event is checked through TLC's",
        "evaluator on the real spec, and the first event the spec cannot produce is named.",
        "",
        "Give one trace file, or the per-node files of one run (they are merged by their",
        "vector clocks). The spec is specs/<protocol>/, with its conformance.json.",
        "",
        "Or give folders: every .ndjson file under them is checked, --jobs at a time in this",
        "JVM, and a table sums up the outcomes. In a folder, two or more files named",
        "<node>.ndjson after nodes of their (equal) headers are one run's per-node files",
        "(as 'spectrace cluster' writes them) and are validated together; a client history",
        "(spectrace-history/1) is checked for linearizability, as 'spectrace linearizable'",
        "does; every other file is a trace of its own. Hidden folders are left out."},
    footer = {"", "Exit codes: 0 the trace conforms; 1 a divergence (or, with --tlc, verdicts that",
        "disagree); 2 bad input (a malformed trace, an unknown action or variable, a value of",
        "the wrong type, a spec that does not parse). For folders: 1 when any item diverges or",
        "is not linearizable, else 2 when any could not be read, else 3 when a history's check",
        "reached its bound with no verdict, else 0."})
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "TRACE|DIR", description = "The trace file(s) of one run, or folders.")
  List<Path> traces;

  @Option(names = "--json", description = {"Print the result as one JSON object (for folders: one per item, a line",
      "each, then one with the totals)."})
  boolean json;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N",
      description = "Folders: check N items at a time, each on a thread of its own (default: the cores, ${DEFAULT-VALUE}).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = "--tlc", description = {"Also get an independent second verdict: the trace turned into a TLC",
      "trace specification and checked by the TLC command line. The two must agree."})
  boolean tlc;

  @Option(names = "--report", paramLabel = "FILE", description = {"Also write the run as a space-time diagram, an",
      "HTML file with the divergence marked (see 'spectrace report')."})
  Path report;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  /** A validation's progress on {@code line}. */
  static Validator.Progress progress(ProgressLine line) {
    return (events, frontier, seconds) -> line.show(String.format("  %,d events, %,.0f events/s, frontier %d, %.0f s",
        events, events / seconds, frontier, seconds), seconds);
  }

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    if (traces.stream().anyMatch(java.nio.file.Files::isDirectory)) {
      return new FolderValidation(this, out, err).run();
    }
    if (command.commandLine().getParseResult().hasMatchedOption("--jobs")) {
      throw new Main.UserError("--jobs is for folders of traces; one trace (or one run's files) is checked on one thread");
    }
    List<String> names = traces.stream().map(Path::toString).toList();
    if (report != null) {
      Main.checkOutputFile("--report", report);
    }
    ProgressLine line = ProgressLine.on(err);
    Validator.Result r;
    try {
      r = new Validator(Specs.locate().root()).validate(traces, progress(line));
    } catch (TraceException e) {
      line.clear();
      if (json) {
        out.println(Report.jsonError(e.getMessage()));
      }
      throw new Main.UserError(e.getMessage());
    }
    line.clear();
    out.println(json ? Report.json(names, r) : Report.text(names, r));
    if (report != null) {
      HtmlReports.write(report, traces, r, null);
      if (!json) {
        out.println("report: " + report);
      }
    }
    if (tlc) {
      TraceSpec.Result t;
      try {
        t = TraceSpec.check(traces, Specs.locate().root());
      } catch (TraceException e) {
        throw new Main.UserError(e.getMessage());
      } catch (java.io.IOException e) {
        throw new Main.UserError("cannot run TLC on the trace spec: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Main.UserError("interrupted");
      }
      String where = r.divergence() == null ? null : r.divergence().where();
      boolean agree = t.conforms() == r.conforms() && (t.conforms() || where.equals(t.firstUnmatched()));
      if (!json) {
        out.printf("TLC trace spec: %s (%,d of %,d logged events matched, %.2f s); %s%n",
            t.conforms() ? "conforms" : "diverges at " + t.firstUnmatched() + (t.reason() == null ? "" : ": " + t.reason()),
            t.matched(), t.events(), t.seconds(),
            agree ? "the two verdicts agree" : "THE TWO VERDICTS DISAGREE");
      } else if (!agree) {
        err.println("the TLC trace spec's verdict differs: " + (t.conforms() ? "conforms" : "diverges at "
            + t.firstUnmatched()));
      }
      if (!agree) {
        return Main.FOUND;
      }
    }
    return r.conforms() ? Main.OK : Main.FOUND;
  }
}
