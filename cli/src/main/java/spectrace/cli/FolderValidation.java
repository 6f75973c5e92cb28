package spectrace.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import spectrace.conformance.Report;
import spectrace.conformance.TraceFolder;
import spectrace.conformance.TraceFolder.Kind;
import spectrace.conformance.TraceFolder.Outcome;
import spectrace.history.LinearizabilityChecker;
import spectrace.tlc.Specs;

/**
 * {@code spectrace validate DIR...}: every trace, run and client history under the folders,
 * checked {@code --jobs} at a time ({@link TraceFolder}); a table per protocol, then one line
 * for each item that is not fine.
 */
final class FolderValidation {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ValidateCommand options;
  private final PrintWriter out;
  private final PrintWriter err;

  FolderValidation(ValidateCommand options, PrintWriter out, PrintWriter err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  int run() {
    for (Path p : options.traces) {
      if (!Files.isDirectory(p)) {
        throw new Main.UserError(p + " is not a folder: give folders, or the trace files of one run, not both");
      }
    }
    if (options.tlc || options.report != null) {
      throw new Main.UserError((options.tlc ? "--tlc" : "--report") + " is for one trace (or one run's files), not"
          + " folders");
    }
    if (options.jobs < 1) {
      throw new Main.UserError("--jobs must be at least 1, not " + options.jobs);
    }
    List<TraceFolder.Item> items = new ArrayList<>();
    for (Path dir : options.traces) {
      try {
        items.addAll(TraceFolder.find(dir));
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new Main.UserError(dir + ": cannot read the folder (" + e.getMessage() + ")");
      }
    }
    String where = String.join(", ", options.traces.stream().map(Path::toString).toList());
    if (items.isEmpty()) {
      throw new Main.UserError("no trace or history (.ndjson) under " + where);
    }
    ProgressLine line = ProgressLine.on(err);
    long start = System.nanoTime();
    List<Outcome> outcomes;
    try {
      outcomes = TraceFolder.check(items, Specs.locate().root(), options.jobs, (done, total, notOk, seconds) ->
          line.show(String.format("  %,d of %,d checked, %,d not fine, %.0f s", done, total, notOk, seconds), seconds));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.UserError("interrupted");
    }
    line.clear();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (options.json) {
      outcomes.forEach(o -> out.println(json(o)));
      out.println(totals(outcomes, seconds));
    } else {
      table(outcomes, where, seconds);
    }
    if (outcomes.stream().anyMatch(Outcome::found)) {
      return Main.FOUND;
    }
    if (outcomes.stream().anyMatch(o -> o.error() != null)) {
      return Main.USAGE;
    }
    return outcomes.stream().anyMatch(Outcome::unknown) ? LinearizableCommand.UNKNOWN : Main.OK;
  }

  /** The row an outcome counts in: its trace's protocol and module, or the history's model. */
  private static String group(Outcome o) {
    if (o.item().kind() == Kind.HISTORY) {
      return "history\tkv";
    }
    if (o.trace() != null) {
      return o.trace().header().protocol() + "\t" + o.trace().header().module();
    }
    return "?\t(unread)";
  }

  private void table(List<Outcome> outcomes, String where, double seconds) {
    Map<String, long[]> rows = new TreeMap<>(); // items, fine, not fine, errors, events, item seconds x 1e6
    for (Outcome o : outcomes) {
      long[] r = rows.computeIfAbsent(group(o), k -> new long[6]);
      r[0]++;
      r[o.ok() ? 1 : o.found() ? 2 : 3]++;
      r[4] += o.trace() != null ? o.trace().events() : o.history() != null ? o.history().operations() : 0;
      r[5] += Math.round(o.seconds() * 1e6);
    }
    long events = outcomes.stream().mapToLong(o -> o.trace() != null ? o.trace().events() : 0).sum();
    out.printf("%,d items under %s checked in %.1f s on %d %s: %,.1f items/s, %,.0f trace events/s%n",
        outcomes.size(), where, seconds, options.jobs, options.jobs == 1 ? "thread" : "threads",
        outcomes.size() / seconds, events / seconds);
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"protocol", "module", "items", "fine", "not fine", "errors", "events/ops", "per thread"});
    rows.forEach((k, r) -> {
      String[] pm = k.split("\t");
      double itemSeconds = r[5] / 1e6;
      table.add(new String[] {pm[0], pm[1], String.format("%,d", r[0]), String.format("%,d", r[1]),
          String.format("%,d", r[2]), String.format("%,d", r[3]), String.format("%,d", r[4]),
          String.format("%,.0f/s", r[4] / Math.max(itemSeconds, 1e-9))});
    });
    int[] width = new int[table.get(0).length];
    for (String[] row : table) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    for (String[] row : table) {
      StringBuilder b = new StringBuilder(" ");
      for (int c = 0; c < row.length; c++) {
        // Names to the left, figures to the right.
        b.append(' ').append(c < 2 ? String.format("%-" + width[c] + "s", row[c])
            : String.format("%" + width[c] + "s", row[c]));
      }
      out.println(b.toString().stripTrailing());
    }
    for (Outcome o : outcomes) {
      if (!o.ok()) {
        out.println(line(o));
      }
    }
    long fine = outcomes.stream().filter(Outcome::ok).count();
    out.println(fine == outcomes.size() ? "all " + String.format("%,d", fine) + " fine"
        : String.format("%,d of %,d not fine", outcomes.size() - fine, outcomes.size()));
  }

  /** One line for an item that is not fine: where, and what. */
  private static String line(Outcome o) {
    if (o.error() != null) {
      return "error: " + o.error();
    }
    if (o.trace() != null) {
      String text = Report.text(o.item().files().stream().map(Path::toString).toList(), o.trace());
      String[] lines = text.split("\n");
      // The divergence's place and event, and its first line of explanation.
      return lines.length > 1 && lines[1].startsWith("  ") && !lines[1].endsWith(":")
          ? lines[0] + ": " + lines[1].strip() : lines[0];
    }
    LinearizabilityChecker.Result h = o.history();
    if (h instanceof LinearizabilityChecker.NotLinearizable n) {
      return o.item().name() + ": not linearizable: " + (n.failingKeys().size() == 1 ? "key " : "keys ")
          + String.join(", ", n.failingKeys());
    }
    LinearizabilityChecker.Unknown u = (LinearizabilityChecker.Unknown) h;
    return o.item().name() + ": no verdict: " + u.why() + " on key " + u.key();
  }

  private static String json(Outcome o) {
    List<String> files = o.item().files().stream().map(Path::toString).toList();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("item", o.item().name());
    m.put("kind", o.item().kind().name().toLowerCase(java.util.Locale.ROOT));
    m.put("ok", o.ok());
    m.put("seconds", o.seconds());
    if (o.error() != null) {
      m.put("error", o.error());
    } else if (o.trace() != null) {
      try {
        m.put("validation", JSON.readTree(Report.json(files, o.trace())));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else {
      LinearizabilityChecker.Result h = o.history();
      m.put("linearizable", h instanceof LinearizabilityChecker.Linearizable ? Boolean.TRUE
          : h instanceof LinearizabilityChecker.NotLinearizable ? Boolean.FALSE : null);
      m.put("operations", h.operations());
      if (!o.ok()) {
        m.put("line", line(o));
      }
    }
    return write(m);
  }

  private String totals(List<Outcome> outcomes, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("items", outcomes.size());
    m.put("fine", outcomes.stream().filter(Outcome::ok).count());
    m.put("found", outcomes.stream().filter(Outcome::found).count());
    m.put("errors", outcomes.stream().filter(o -> o.error() != null).count());
    m.put("unknown", outcomes.stream().filter(Outcome::unknown).count());
    m.put("jobs", options.jobs);
    m.put("seconds", seconds);
    return write(m);
  }

  private static String write(Map<String, Object> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
