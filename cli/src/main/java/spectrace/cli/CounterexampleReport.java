package spectrace.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import spectrace.conformance.ConformanceSpec;
import spectrace.conformance.CounterexampleSteps;
import spectrace.conformance.Divergence;
import spectrace.conformance.Header;
import spectrace.conformance.SpecLoader;
import spectrace.conformance.TraceEvent;
import spectrace.conformance.TraceException;
import spectrace.report.HtmlReport;
import spectrace.report.SpaceTime;
import spectrace.tlc.TraceStep;
import spectrace.tlc.Verdict;

/**
 * A TLC counterexample as a sequence diagram: each step an event of the process that took it,
 * with the messages it sent and received, found by replaying the behaviour through TLC and
 * read through the spec's conformance settings (its actors and its network).
 */
final class CounterexampleReport {

  private CounterexampleReport() {}

  /** Writes the report of {@code v}'s counterexample of the model {@code module} in {@code dir} to {@code out}. */
  static void write(Path out, Path dir, String module, String config, String label, Verdict v) {
    List<TraceStep> trace = v.counterexample();
    List<TraceStep> states = new ArrayList<>();
    TraceStep end = null;
    for (TraceStep s : trace) {
      if (s.variables().isEmpty()) {
        end = s; // Stuttering, or Back to state N: the lasso's end
      } else {
        states.add(s);
      }
    }
    if (states.isEmpty()) {
      throw new Main.UserError("--report: the verdict has no counterexample to draw");
    }
    if (!Files.isRegularFile(dir.resolve(ConformanceSpec.FILE))) {
      throw new Main.UserError("--report: " + dir + " has no " + ConformanceSpec.FILE + " naming the spec's actors and"
          + " network, so its counterexample cannot be drawn as messages between processes");
    }
    // The state each step reaches; a lasso that goes back to state N closes with a step into it.
    List<TraceStep> reached = new ArrayList<>(states.subList(1, states.size()));
    List<String> names = new ArrayList<>(states.stream().map(TraceStep::action).toList());
    int loopTo = -1;
    if (end != null && end.action().startsWith("Back to state")) {
      loopTo = end.number();
      if (loopTo < 1 || loopTo > states.size()) {
        throw new Main.UserError("--report: the lasso goes back to state " + loopTo + ", which the counterexample does"
            + " not have");
      }
      reached.add(states.get(loopTo - 1));
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("<(\\w+) line").matcher(end.action());
      names.add(m.find() ? m.group(1) : "");
    }
    List<Map<String, String>> path = new ArrayList<>();
    path.add(states.get(0).variables());
    reached.forEach(r -> path.add(r.variables()));
    List<CounterexampleSteps.Step> steps;
    try (CounterexampleSteps reader = SpecLoader.counterexamples(ConformanceSpec.forModel(dir, module), dir, module,
        config.replaceFirst("\\.cfg$", ""))) {
      steps = reader.explain(path, names);
    } catch (TraceException e) {
      throw new Main.UserError("--report: " + e.getMessage());
    }
    String file = dir.resolve(module + ".tla").toString();
    TreeSet<String> nodes = new TreeSet<>();
    for (CounterexampleSteps.Step s : steps) {
      add(nodes, s.actor());
      s.sent().forEach(m -> {
        add(nodes, m.from());
        add(nodes, m.to());
      });
    }
    // An action the settings do not name (a model's own wrapper of the spec's actions) is the
    // step of the first parameter that names a process, or of no known process ("?").
    List<String> actors = new ArrayList<>();
    for (CounterexampleSteps.Step s : steps) {
      String a = s.actor();
      for (java.util.Iterator<String> it = s.params().values().iterator(); a == null && it.hasNext(); ) {
        String p = it.next().replaceAll("^\"(.*)\"$", "$1");
        a = nodes.contains(p) ? p : null;
      }
      actors.add(a == null ? "?" : a);
    }
    if (actors.contains("?")) {
      nodes.add("?");
    }
    Map<String, String> kinds = new LinkedHashMap<>();
    states.get(0).variables().keySet().forEach(n -> kinds.put(n, "whole"));
    List<TraceEvent> events = new ArrayList<>();
    List<SpaceTime.Arrow> arrows = new ArrayList<>();
    Map<String, Integer> sentAt = new LinkedHashMap<>(); // message -> the step that first put it in transit
    java.util.Set<String> got = new java.util.HashSet<>(); // the sends received: step and message
    for (int k = 0; k < steps.size(); k++) {
      CounterexampleSteps.Step s = steps.get(k);
      TraceStep state = reached.get(k);
      String actor = actors.get(k);
      List<Map<String, Object>> sent = new ArrayList<>();
      for (CounterexampleSteps.Message m : s.sent()) {
        sent.add(Map.of("to", m.to() == null ? "(any)" : m.to(), "msg", m.msg()));
        sentAt.putIfAbsent(key(m), k);
      }
      Map<String, Object> params = new LinkedHashMap<>(s.params());
      Map<String, Object> vars = new LinkedHashMap<>(state.variables());
      String from = null;
      Object recv = null;
      if (s.received() != null) {
        Integer at = sentAt.get(key(s.received()));
        from = s.received().from() != null ? s.received().from() : at != null ? actors.get(at) : "?";
        recv = s.received().msg();
        arrows.add(new SpaceTime.Arrow(at == null ? SpaceTime.NONE : at, k, SpaceTime.End.RECEIVED, null));
        got.add(at + "\u0000" + key(s.received()));
      }
      events.add(new TraceEvent(file, k + 2, k + 2, k + 1, "action", actor, s.action(), params, from,
          recv, sent, vars, Map.of(), null, null, null, null, null));
    }
    // A send no step received: drawn in transit at the end.
    for (int k = 0; k < steps.size(); k++) {
      for (CounterexampleSteps.Message m : steps.get(k).sent()) {
        if (!got.contains(k + "\u0000" + key(m))) {
          arrows.add(new SpaceTime.Arrow(k, SpaceTime.NONE, SpaceTime.End.IN_TRANSIT, null));
        }
      }
    }
    if (end != null) {
      events.add(new TraceEvent(file, steps.size() + 2, steps.size() + 2, steps.size() + 1, "fault", null, null, Map.of(), null,
          null, List.of(), Map.of(), Map.of(), loopTo > 0 ? "loop" : "stuttering", null, null,
          null, null));
    }
    List<String> lanes = new ArrayList<>(nodes);
    if (lanes.remove("?")) {
      lanes.add("?");
    }
    Header header = new Header(file, Header.FORMAT, dir.getFileName().toString(), module, Map.of(), lanes, 0, kinds);
    SpaceTime diagram = new SpaceTime(header, events, arrows, List.of());
    TraceEvent last = events.get(events.size() - 1);
    String headline = v.kind().word() + (v.property() == null ? "" : ": " + v.property());
    StringBuilder text = new StringBuilder(v.headline()).append('\n');
    text.append("the initial state:\n");
    states.get(0).variables().forEach((n, val) -> text.append("  ").append(n).append(" = ").append(val).append('\n'));
    if (end != null) {
      text.append(loopTo > 0 ? "the last step returns to state " + loopTo + ": the behaviour repeats the steps after it"
          + " forever" : "then the behaviour stutters forever").append('\n');
    }
    Divergence mark = new Divergence(last.where(), last.seq(), "", v.kind().word(), Map.of(), true, 1, List.of(), "",
        null);
    try {
      String where = end == null ? v.kind().word() + " here" : loopTo > 0 ? "the loop closes" : "stutters forever";
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("global", true);
      extra.put("initial", states.get(0).variables());
      if (loopTo > 0) {
        extra.put("loop", loopTo);
      }
      HtmlReport.write(out, label, diagram, new HtmlReport.Verdict(false, headline, text.toString(), mark, where), null,
          extra);
    } catch (IOException e) {
      throw new Main.UserError("cannot write the report " + out + ": " + e.getMessage());
    }
  }

  private static void add(TreeSet<String> nodes, String n) {
    if (n != null) {
      nodes.add(n);
    }
  }

  /** A message as sends and receipts are matched: by its link where the network says it, else by itself. */
  private static String key(CounterexampleSteps.Message m) {
    return m.from() == null || m.to() == null ? m.msg() : m.from() + "\u0000" + m.to() + "\u0000" + m.msg();
  }
}
