package spectrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.conformance.ModelFacts;
import spectrace.conformance.SpecLoader;
import spectrace.conformance.TraceException;
import spectrace.tlc.DistributedTlc;
import spectrace.tlc.Manifest;
import spectrace.tlc.Specs;
import spectrace.tlc.TlcRunner;
import spectrace.tlc.TraceStep;
import spectrace.tlc.Verdict;

/** {@code spectrace check}: runs TLC on a spec's models. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
        "Model-check a spec with TLC.",
        "",
        "SPEC is a folder under specs/ (see --list), a folder with a manifest.json, or a",
        "path to a .tla module checked with the .cfg of the same name beside it.",
        "",
        "--simulate checks random behaviours instead of every state (TLC's simulation",
        "mode), for a model too large to exhaust: --traces behaviours of at most --depth",
        "states each, drawn from --seed, which replays them; the seed is printed. A model",
        "whose manifest entry has \"simulate\" is checked so by default, with its settings."},
    footer = {"",
        "Exit codes: 0 no error found (with --all: every result matches its manifest);",
        "1 a violation (with --all: a result differs from its manifest); 2 bad usage, or a",
        "spec or config that does not parse, or an error in evaluating the spec (a division",
        "by zero, a failed Assert), reported on standard error as one line with its location.",
        "",
        "With --all, models whose expected result is a violation run with one worker, so",
        "that their counterexample and state counts are reproducible."})
final class CheckCommand implements Callable<Integer> {

  /** The most TLC workers: each opens files of its own, and more threads than cores gain nothing. */
  static final int MAX_WORKERS = 1000;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "The spec to check.")
  String specName;

  @Option(names = "--model", paramLabel = "NAME",
      description = "The model to check (default: the spec's first CI model).")
  String modelName;

  @Option(names = "--workers", paramLabel = "N|auto", defaultValue = "auto",
      description = "TLC worker threads (default: ${DEFAULT-VALUE}).")
  String workers;

  @Option(names = "--list", description = "List every spec's models and their expected results.")
  boolean list;

  @Option(names = "--all", description = "Run every CI model and compare each result with its manifest.")
  boolean all;

  @Option(names = "--report", paramLabel = "FILE", description = {"With a SPEC: write a counterexample as a sequence",
      "diagram, an HTML file (each step's process and the messages it sent and received)."})
  Path report;

  @Option(names = "--simulate", description = "With a SPEC: TLC's simulation mode, random behaviours (one worker).")
  boolean simulate;

  @Option(names = "--traces", paramLabel = "N",
      description = "With --simulate: behaviours to check (default: the manifest's, or 10,000).")
  Long traces;

  @Option(names = "--depth", paramLabel = "D",
      description = "With --simulate: the most states of a behaviour (default: the manifest's, or 100).")
  Integer depth;

  @Option(names = "--seed", paramLabel = "S",
      description = "With --simulate: the seed of the behaviours (default: the manifest's, or a new one, printed).")
  Long seed;

  @Option(names = "--distributed", description = "With a SPEC: TLC's distributed mode, a server and its workers.")
  boolean distributed;

  @CommandLine.Mixin DistributedOptions dist = new DistributedOptions();

  /** Local workers of a distributed run when --local-workers is not given: 2 for check, 0 for tlc-server. */
  int defaultLocalWorkers = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  /** A simulation's defaults where neither the command line nor the manifest gives one. */
  static final long DEFAULT_TRACES = 10_000;
  static final int DEFAULT_DEPTH = 100;

  @Override
  public Integer call() throws Exception {
    if (dist.any() && !distributed) {
      throw new CommandLine.ParameterException(command.commandLine(),
          "--local-workers, --host, --port and --worker-threads need --distributed");
    }
    if (distributed) {
      if (specName == null) {
        throw new CommandLine.ParameterException(command.commandLine(), "--distributed needs a SPEC");
      }
      if (simulate || traces != null || depth != null || seed != null) {
        throw new Main.UserError("--distributed and --simulate: TLC's distributed mode explores every state; it does"
            + " not simulate");
      }
      if (command.commandLine().getParseResult().hasMatchedOption("--workers")) {
        throw new Main.UserError("--workers sets the threads of a local run; with --distributed, give"
            + " --local-workers and --worker-threads");
      }
    }
    int modes = (specName != null ? 1 : 0) + (list ? 1 : 0) + (all ? 1 : 0);
    if (modes != 1) {
      throw new CommandLine.ParameterException(command.commandLine(),
          "give exactly one of SPEC, --list or --all");
    }
    if (!workers.equals("auto") && !(workers.matches("[1-9][0-9]{0,3}") && Integer.parseInt(workers) <= MAX_WORKERS)) {
      throw new CommandLine.ParameterException(command.commandLine(),
          "--workers must be a number from 1 to " + MAX_WORKERS + ", or 'auto', not '" + workers + "'");
    }
    if (report != null && specName == null) {
      throw new CommandLine.ParameterException(command.commandLine(), "--report needs a SPEC");
    }
    if (report != null) {
      Main.checkOutputFile("--report", report);
    }
    if (modelName != null && specName == null) {
      throw new CommandLine.ParameterException(command.commandLine(), "--model needs a SPEC");
    }
    if ((simulate || traces != null || depth != null || seed != null) && specName == null) {
      throw new CommandLine.ParameterException(command.commandLine(), "--simulate, --traces, --depth and --seed need a"
          + " SPEC");
    }
    if (traces != null && traces < 1 || depth != null && depth < 1) {
      throw new CommandLine.ParameterException(command.commandLine(), "--traces and --depth must be at least 1");
    }
    PrintWriter out = command.commandLine().getOut();
    Specs specs = Specs.locate();
    if (!Files.isDirectory(specs.root())) {
      throw new Main.UserError("no specs folder at " + specs.root() + ": run ./spectrace from its checkout, or set"
          + " -Dspectrace.specs=FOLDER");
    }
    if (list) {
      return list(out, specs);
    }
    if (all) {
      return all(out, specs);
    }
    return one(out, specs);
  }

  private int one(PrintWriter out, Specs specs) throws Exception {
    Path dir;
    String module;
    String config;
    String label;
    Manifest.Expectation expected = null;
    TlcRunner.Simulation recorded = null;
    if (specName.endsWith(".tla") && Files.isRegularFile(Path.of(specName))) {
      Path file = Path.of(specName).toAbsolutePath().normalize();
      dir = file.getParent();
      module = file.getFileName().toString().replaceFirst("\\.tla$", "");
      config = module + ".cfg";
      if (!Files.isRegularFile(dir.resolve(config))) {
        throw new Main.UserError(specName + ": no " + config + " beside it");
      }
      if (modelName != null) {
        throw new Main.UserError("--model applies to a spec folder, not to a .tla file");
      }
      label = specName;
    } else {
      Manifest manifest = manifest(specs, specName);
      Manifest.Model model = modelName == null ? manifest.defaultModel()
          : manifest.model(modelName).orElseThrow(() -> new Main.UserError("spec " + specName
              + " has no model '" + modelName + "'; its models: "
              + String.join(", ", manifest.models().stream().map(Manifest.Model::name).toList())));
      dir = manifest.dir();
      module = model.module();
      config = model.config();
      expected = model.expect();
      recorded = model.simulate();
      label = manifest.name() + " / " + model.name() + ": " + model.purpose();
    }
    PrintWriter err = command.commandLine().getErr();
    boolean simulated = !distributed && (simulate || recorded != null || traces != null || depth != null
        || seed != null);
    Verdict v;
    boolean printed = false;
    if (distributed) {
      if (recorded != null) {
        throw new Main.UserError(label.replaceFirst(":.*", "") + " is checked by simulation (its manifest entry), and TLC's"
            + " distributed mode does not simulate: check it without --distributed");
      }
      v = distributed(out, err, dir, module, config, label, expected);
      expected = null; // compared there
      printed = true;
    } else if (simulated) {
      TlcRunner.Simulation sim = new TlcRunner.Simulation(
          traces != null ? traces : recorded != null ? recorded.traces() : DEFAULT_TRACES,
          depth != null ? depth : recorded != null ? recorded.depth() : DEFAULT_DEPTH,
          seed != null ? seed : recorded != null ? recorded.seed() : new java.security.SecureRandom().nextLong());
      out.printf("simulating %s%n  %,d behaviours of at most %,d states, seed %d (one worker; the same seed replays"
          + " them)%n", label, sim.traces(), sim.depth(), sim.seed());
      out.flush();
      ProgressPrinter progress = new ProgressPrinter(err, System.console() != null, 10, "");
      try {
        v = new TlcRunner("1").simulate(dir, module, config, sim, progress);
      } finally {
        progress.done();
      }
      if (expected != null && recorded != null && !sim.equals(recorded)) {
        expected = null; // the manifest's result is of its own simulation
      }
    } else {
      out.println("checking " + label);
      out.flush();
      v = run(dir, module, config, workers, err, "");
    }
    if (!printed) {
      printVerdict(out, err, v);
    }
    if (report != null) {
      if (v.counterexample().isEmpty()) {
        out.println("report: none written (" + (v.isError() ? "an error, " : "") + "no counterexample to draw)");
      } else {
        CounterexampleReport.write(report, dir, module, config, label, v);
        out.println("report: " + report);
      }
    }
    if (expected != null && expected.result() != v.kind() && !v.isError()) {
      out.println("note: the manifest expects " + expected.describe() + " for this model");
    }
    return v.exitCode();
  }

  /**
   * Checks the model on TLC's distributed mode (a model with a temporal property refused
   * first), prints its verdict's figures against the manifest's, and the workers' shares.
   */
  private Verdict distributed(PrintWriter out, PrintWriter err, Path dir, String module, String config, String label,
                              Manifest.Expectation expected) throws IOException, InterruptedException {
    DistributedTlc.Options options = dist.resolve(defaultLocalWorkers);
    ModelFacts facts;
    try {
      facts = SpecLoader.modelFacts(dir, module, config);
    } catch (TraceException e) {
      throw new Main.UserError(e.getMessage());
    }
    if (!facts.actionConstraints().isEmpty()) {
      // TLCWorker adds a successor's fingerprint to the seen set before it checks the action
      // constraints: a state first reached by a step they forbid is never explored again.
      throw new Main.UserError("TLC's distributed mode applies ACTION_CONSTRAINTs after it has marked a state seen,"
          + " and so misses states (MCRaft: 7,607 of 8,417), and " + module + " with " + config + " has "
          + String.join(", ", facts.actionConstraints()) + ": check it without --distributed, or bound it with"
          + " state CONSTRAINTs");
    }
    if (!facts.temporalProperties().isEmpty()) {
      throw new Main.UserError("TLC's distributed mode checks no temporal property, and " + module + " with " + config
          + " has " + String.join(", ", facts.temporalProperties()) + ": check it without --distributed");
    }
    out.printf("checking %s%n  on TLC's distributed mode: server at %s:%s, %s%n", label, options.host(),
        options.port() == 0 ? "(a free port)" : options.port(), options.localWorkers() == 0 ? "workers from elsewhere"
            : options.localWorkers() + " local worker" + (options.localWorkers() == 1 ? "" : "s") + " of "
                + options.workerThreads() + " thread" + (options.workerThreads() == 1 ? "" : "s")
                + (options.loopbackOnly() ? "" : ", and any from elsewhere"));
    out.flush();
    ProgressPrinter progress = new ProgressPrinter(err, System.console() != null, 10, "");
    Verdict v;
    try {
      v = DistributedTlc.check(dir, module, config, facts.checkDeadlock(), options, progress);
    } finally {
      progress.done();
    }
    printVerdict(out, err, v);
    if (!progress.shares().isEmpty()) {
      out.println("work: " + ProgressPrinter.shares(progress.shares()) + " of the states explored");
    }
    if (expected != null && !v.isError()) {
      // Workers race to a violation: where the run stops, and which counterexample it finds
      // first, need not be a one-worker run's; only the result and the property must agree.
      // The depth is not compared: the distributed server keeps no levels, and reports the
      // level of the last state written to its trace file, not the search's depth.
      List<String> mismatches = expected.mismatches(v).stream()
          .filter(m -> !m.startsWith("depth "))
          .filter(m -> !v.kind().isViolation() || m.startsWith("result ") || m.startsWith("violated "))
          .toList();
      out.println(mismatches.isEmpty() ? "as the manifest records for this model (" + expected.describe()
          + (expected.distinct() >= 0 ? String.format(", %,d distinct states", expected.distinct()) : "") + ")"
          : "note: differs from the manifest (" + String.join("; ", mismatches) + ")");
    }
    return v;
  }

  private Verdict run(Path dir, String module, String config, String workers, PrintWriter err, String label)
      throws IOException, InterruptedException {
    ProgressPrinter progress = new ProgressPrinter(err, System.console() != null, 10, label);
    try {
      return new TlcRunner(workers).check(dir, module, config, progress);
    } finally {
      progress.done();
    }
  }

  /** A manifest's model, checked as its entry says (by simulation, when it names one). */
  private Verdict run(Path dir, Manifest.Model model, String workers, PrintWriter err, String label)
      throws IOException, InterruptedException {
    ProgressPrinter progress = new ProgressPrinter(err, System.console() != null, 10, label);
    try {
      return TlcRunner.check(dir, model, workers, progress);
    } finally {
      progress.done();
    }
  }

  /**
   * Prints the verdict and, for a violation, the counterexample with only what changed; an
   * error of the spec or the model goes to {@code err}, as one located line, after the
   * behaviour that led to it.
   */
  static void printVerdict(PrintWriter out, PrintWriter err, Verdict v) {
    if (!v.isError()) {
      out.println(v.headline());
    }
    List<TraceStep> trace = v.counterexample();
    if (!trace.isEmpty()) {
      out.printf("%s, %d %s (each shows the variables its action changed):%n",
          v.isError() ? "the behaviour up to the error" : "counterexample", trace.size(),
          trace.size() == 1 ? "state" : "states");
      TraceStep previous = null;
      for (TraceStep step : trace) {
        out.printf("%3d  %s%s%n", step.number(), step.action(),
            step.location() == null ? "" : "  (" + step.location() + ")");
        for (Map.Entry<String, String> e : step.changedSince(previous).entrySet()) {
          out.println("       " + e.getKey() + " = " + e.getValue().replace("\n", "\n         "));
        }
        if (!step.variables().isEmpty()) {
          previous = step;
        }
      }
    }
    if (v.kind() != Verdict.Kind.OK && v.kind() != Verdict.Kind.INVALID && v.distinct() >= 0) {
      out.printf("%,d distinct states, %,d generated, %.1f s%n", v.distinct(), v.generated(), v.seconds());
    }
    if (v.isError()) {
      out.flush();
      err.println(v.headline());
      err.flush();
    }
  }

  private int list(PrintWriter out, Specs specs) throws Exception {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SPEC", "MODEL", "CI", "EXPECTED", "DISTINCT", "DEPTH", "PURPOSE"});
    for (Path dir : specs.folders()) {
      Manifest m = load(dir);
      for (Manifest.Model model : m.models()) {
        Manifest.Expectation e = model.expect();
        TlcRunner.Simulation s = model.simulate();
        rows.add(new String[] {specs.root().relativize(dir).toString(), model.name(), model.ci() ? "yes" : "no",
            e.describe(), s == null ? count(e.distinct()) : "simulated", s == null ? count(e.depth())
                : String.format("%,d x %,d, seed %d", s.traces(), s.depth(), s.seed()), model.purpose()});
      }
    }
    printTable(out, rows);
    return Main.OK;
  }

  private int all(PrintWriter out, Specs specs) throws Exception {
    // Each model's row is printed as soon as it finishes, so the widths of the columns come
    // from the manifests: what is expected, and the figures it records.
    List<Path> dirs = new ArrayList<>();
    List<Manifest.Model> models = new ArrayList<>();
    String[] header = {"SPEC", "MODEL", "EXPECTED", "GOT", "DISTINCT", "TIME", "MATCH"};
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
    }
    width[4] = Math.max(width[4], 9);
    width[5] = Math.max(width[5], 7);
    for (Path dir : specs.folders()) {
      for (Manifest.Model model : load(dir).models()) {
        if (model.ci()) {
          dirs.add(dir);
          models.add(model);
          width[0] = Math.max(width[0], specs.root().relativize(dir).toString().length());
          width[1] = Math.max(width[1], model.name().length());
          width[2] = Math.max(width[2], model.expect().describe().length());
          width[4] = Math.max(width[4], count(model.expect().distinct()).length());
        }
      }
    }
    width[3] = Math.max(width[3], width[2]);
    printRow(out, width, header);
    List<String> problems = new ArrayList<>();
    PrintWriter err = command.commandLine().getErr();
    for (int i = 0; i < models.size(); i++) {
      Path dir = dirs.get(i);
      Manifest.Model model = models.get(i);
      String name = specs.root().relativize(dir).toString();
      Manifest.Expectation e = model.expect();
      Verdict v = run(dir, model, e.result().isViolation() ? "1" : workers, err, name + " / " + model.name() + ": ");
      List<String> mismatches = e.mismatches(v);
      String got = v.property() == null ? v.kind().word() : v.kind().word() + " (" + v.property() + ")";
      printRow(out, width, new String[] {name, model.name(), e.describe(), got, count(v.distinct()),
          String.format("%.1f s", v.seconds()), mismatches.isEmpty() ? "yes" : "NO"});
      if (!mismatches.isEmpty()) {
        problems.add(name + " / " + model.name() + ": " + String.join("; ", mismatches)
            + (v.kind() == Verdict.Kind.OK ? "" : "\n    " + v.headline()));
      }
    }
    if (problems.isEmpty()) {
      out.println("every result matches its manifest (" + models.size() + " models)");
      return Main.OK;
    }
    out.println(problems.size() + " of " + models.size() + " models differ from their manifest:");
    problems.forEach(p -> out.println("  " + p));
    return Main.FOUND;
  }

  /** One row of a table whose columns are {@code width} wide (the last one is not padded). */
  private static void printRow(PrintWriter out, int[] width, String[] row) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      sb.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
    }
    out.println(sb.toString().stripTrailing());
    out.flush();
  }

  private static Manifest manifest(Specs specs, String name) throws IOException {
    Path dir = specs.folder(name);
    if (dir == null && Files.isDirectory(Path.of(name))) {
      throw new Main.UserError(name + ": no " + Manifest.FILE + " in this folder (a spec folder names its models in"
          + " one; or give a .tla file, checked with the .cfg beside it)");
    }
    if (dir == null) {
      throw new Main.UserError("no spec '" + name + "' (specs: " + String.join(", ", specs.names()) + ")");
    }
    return load(dir);
  }

  private static Manifest load(Path dir) {
    try {
      return Manifest.load(dir);
    } catch (Manifest.ManifestException e) {
      throw new Main.UserError(e.getMessage());
    }
  }

  private static String count(long n) {
    return n < 0 ? "-" : String.format("%,d", n);
  }

  private static void printTable(PrintWriter out, List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length - 1; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    rows.forEach(r -> printRow(out, width, r));
  }

}
