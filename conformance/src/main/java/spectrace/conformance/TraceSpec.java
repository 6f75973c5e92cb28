package spectrace.conformance;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import spectrace.tlc.Progress;
import spectrace.tlc.TempFolders;
import spectrace.tlc.TlcRunner;
import spectrace.tlc.TraceStep;
import spectrace.tlc.Verdict;

/**
 * The independent second verdict on a trace: the trace written out as a TLA+ trace
 * specification, checked by the TLC command line in a child JVM ({@link TlcRunner}, one
 * worker). It shares no code with the in-process engine ({@code spectrace.conformance.tlc})
 * beyond the trace reader; the two must agree on every trace.
 *
 * <h2>The generated module</h2>
 *
 * {@link #write} creates, in a folder of its own, a copy of every {@code .tla} file of the
 * spec folder (TLC resolves modules from its working directory, which {@link TlcRunner} sets to
 * the folder it is given; the spec's own files are never touched) and next to them
 * {@code SpectraceTrace.tla} and {@code SpectraceTrace.cfg}:
 *
 * <pre>
 * ---- MODULE SpectraceTrace ----
 * EXTENDS TwoPhase, Integers, Sequences, FiniteSets
 * TraceConst_RM == {"rm1", "rm2", "rm3"}
 * VARIABLE i
 * CONSTANT TraceTarget
 * TraceE1 == [action |-&gt; "RMPrepare", params |-&gt; &lt;&lt;"rm1"&gt;&gt;, node |-&gt; "rm1",
 *             sent |-&gt; &lt;&lt;[from |-&gt; "rm1", to |-&gt; "tm", msg |-&gt; [type |-&gt; "Prepared", rm |-&gt; "rm1"]]&gt;&gt;,
 *             recv |-&gt; &lt;&lt;&gt;&gt;,
 *             vars |-&gt; [rmState |-&gt; {&lt;&lt;"rm1", "prepared"&gt;&gt;}, tmPrepared |-&gt; {}, tmState |-&gt; {}]] \* first at line 2
 * ...
 * TraceLog1 == &lt;&lt;
 *   (* line 2 *) TraceE1,
 *   ...
 * &gt;&gt;
 * TraceChunks == &lt;&lt;TraceLog1&gt;&gt;
 * TraceLen == 10
 * TraceEvent(n) == TraceChunks[((n - 1) \div 1000) + 1][((n - 1) % 1000) + 1]
 * TraceAction(e) ==
 *   \/ e.action = "RMPrepare" /\ RMPrepare(e.params[1])
 *   \/ ...
 * TraceEnv(traceX) == traceX.msg
 * TraceEnvs(traceS) == {TraceEnv(traceS[traceK]) : traceK \in DOMAIN traceS}
 * TraceNetwork(e) == /\ TraceEnvs(e.recv) \subseteq msgs
 *                    /\ msgs' = msgs \cup TraceEnvs(e.sent)
 * TraceLogged(e) ==
 *   /\ TRUE
 *   /\ \A kv \in e.vars.rmState : rmState'[kv[1]] = kv[2]
 *   /\ e.vars.tmPrepared \subseteq {tmPrepared'}
 *   /\ e.vars.tmState \subseteq {tmState'}
 *   /\ TraceNetwork(e)
 * TraceInit == Init /\ i = 0
 * TraceStep == /\ i &lt; TraceLen
 *              /\ TraceAction(TraceEvent(i + 1))
 *              /\ TraceLogged(TraceEvent(i + 1))
 *              /\ i' = i + 1
 * TraceNext == TraceStep
 * TraceUnfinished == i &lt; TraceTarget
 * ====
 * </pre>
 *
 * with {@code CONSTANT RM <- TraceConst_RM}, {@code TraceTarget = 10}, {@code INIT TraceInit},
 * {@code NEXT TraceNext}, {@code CHECK_DEADLOCK FALSE} and an {@code INVARIANT} line for each
 * invariant conformance.json lists in the configuration (and {@code INVARIANT TraceUnfinished}
 * when the spec has silent actions, below).
 *
 * <ul>
 *   <li>The log is data: one record per action event, and one per fault event that
 *   conformance.json maps to a spec action (other fault events change nothing the spec holds).
 *   Each distinct record is written once, as an operator {@code TraceE<k>} (up to {@value #SHARED}
 *   of them; later new ones are written inline), and the log is a sequence of them, in chunks
 *   of {@value #CHUNK} events, one operator each, so that SANY never parses one huge
 *   expression. SANY's parsing is what long traces cost (about 0.6 MB of module text a
 *   second), and long two-phase-commit runs repeat the same few events (a TM that crashes and
 *   recovers), so sharing records keeps the module small. TLC evaluates every one of these
 *   operators once, as a constant, and indexes the chunks in constant time.
 *   <li>Each record gives the action, its parameters as a tuple in the order the spec declares
 *   them, the acting node, the sent messages and the received one as sequences of
 *   {@code [from, to, msg]}, and, for every variable the header declares, a set that is empty
 *   when the event does not log the variable: {@code {value}} for a whole variable (checked as
 *   {@code v' = value}), {@code {<<node, value>>}} for an indexed one (checked as
 *   {@code v'[node] = value}).
 *   <li>{@code TraceNetwork(e)} is the network check, in the shape conformance.json declares:
 *   for a set that keeps every message, the received message is in it and the step adds exactly
 *   the sent ones; for a bag, a set that consumes, or channels, the received message is in
 *   transit and what was in transit plus what is sent equals what is in transit after plus
 *   what is received, each counted as a bag of {@code [from, to, msg]}.
 *   <li>The parameter order comes from the spec's text: the definition line
 *   {@code Name(p1, p2) ==} of the operator, found with a regular expression in the module or
 *   in a module of the spec folder that it EXTENDS (comments stripped). This is good enough for
 *   a second verdict, not a TLA+ parser: a definition must start a line, and operator
 *   parameters ({@code F(_)}) are not supported.
 *   <li>Values: strings, integers and booleans as themselves; a JSON array is a set, or a
 *   sequence when its name (the variable, parameter, constant or record field it is the value
 *   of) is in conformance.json's {@code sequences}; an object is a record (a function over its
 *   keys as strings when a key is no identifier); the tagged forms ({@code $set}, {@code $seq},
 *   {@code $fn}, {@code $bag}) as what they say, a function as
 *   {@code [traceKey \in {k1, ...} |-> CASE traceKey = k1 -> v1 [] ...]}.
 *   <li>Updates in place: a variable logged as its update has the empty set in {@code vars}
 *   and its update in the record's {@code upd} field ({@code [op |-> "seq", n |-> n, app |-> <<...>>]},
 *   n = -1 for no truncation, or {@code [op |-> "fn", put |-> f, del |-> {...}]}), checked by
 *   {@code TraceUpdated(v, d, v')} against the variable's value before the step: {@code v' = v \o app},
 *   {@code SubSeq(v, 1, n) \o app}, or {@code v} with the keys of {@code put} set and {@code del}
 *   removed; no record holds the whole value.
 *   <li>Silent actions, when conformance.json declares some, are extra disjuncts of
 *   {@code TraceNext} with {@code UNCHANGED i}, any number of them before each logged event,
 *   as the in-process engine allows them.
 *   <li>The action is applied to the logged parameters directly; unlike the in-process
 *   engine, the module does not check them against Next's quantifiers. A parameter outside
 *   them fails here because the action's body excludes it or cannot evaluate it (a function
 *   applied outside its domain); an evaluation error that TLC meets at a step of the log is
 *   that event's divergence, as the engine reports such a parameter, or a value logged with
 *   the wrong type.
 *   <li>What the trace says of its own run (the acting node, the copies of each message in
 *   transit, crashes and recoveries, the fault kinds the system model allows) is checked by
 *   {@link TraceClaims}, which the engine uses too; the log ends before the first event whose
 *   claims are false, and that event is the divergence if TLC matches the log before it.
 * </ul>
 *
 * <h2>Acceptance</h2>
 *
 * This TLC build has no POSTCONDITION and no ALIAS (TLC-NOTES.md), so acceptance is read from
 * the search. TLC runs with CHECK_DEADLOCK FALSE: a state from which the next event cannot be
 * matched is just a state without successors, and so is the state at the end of the log.
 *
 * <ul>
 *   <li>Without silent actions (two-phase commit), every step adds one to {@code i}, so the
 *   states at BFS level {@code k} are exactly those with {@code i = k - 1}, and the depth of
 *   the complete search, which TLC prints when it finishes (message 2194; one worker makes it
 *   the largest level), is the largest {@code i} reached plus one. The trace conforms iff the
 *   depth is {@code TraceLen + 1}; otherwise events {@code 1 .. depth - 1} were matched and
 *   event {@code depth} is the first that TLC could not match. One number, printed on every
 *   complete run, decides both.
 *   <li>With silent actions the depth also counts silent steps. The configuration then adds
 *   the invariant {@code TraceUnfinished == i < TraceTarget} with {@code TraceTarget =
 *   TraceLen}: it is violated exactly in a state that matched the whole log, so a violation
 *   means "conforms" (the counterexample's last state must have {@code i = TraceLen}), and a
 *   complete search without one means "does not conform". The largest {@code i} reached is
 *   then found by bisection, rerunning TLC with a lower {@code TraceTarget}: {@code i < k} is
 *   violated iff some reachable state has {@code i >= k}, which is monotone in {@code k}.
 * </ul>
 *
 * Why not the invariant always: a violation makes TLC print the whole behaviour, one state per
 * event. On a 10,000-event two-phase-commit trace that printing (and reading it back) took
 * longer than the rest of the run; the depth costs nothing. The invariant remains in the
 * module, so the written module can be checked either way.
 *
 * <p>The generated names ({@code i}, {@code TraceTarget}, {@code Trace...}, and the bound
 * names {@code trace...}) must not be names of the spec; SANY reports a clash as a multiply-defined symbol.
 *
 * <p>Anything else TLC reports (a parse or semantic error in the generated module, a value of
 * the wrong type in the log, an operator that does not exist) is bad input: a
 * {@link TraceException}.
 */
public final class TraceSpec {

  /**
   * The longest log whose TLC run compiles with C1 only ({@link TlcRunner#fewStates}): the
   * sample traces (up to a few thousand events) check in a second or two, where C2's compiling
   * is not paid back; the benchmark's 10,000-event traces keep C2.
   */
  static final long QUICK_EVENTS = 5_000;

  /** The generated module's name. */
  public static final String MODULE = "SpectraceTrace";
  /** The invariant that a complete match violates. */
  public static final String INVARIANT = "TraceUnfinished";
  /** Events per log operator. */
  static final int CHUNK = 1000;
  /** At most this many distinct event records get an operator each; later ones are written inline. */
  static final int SHARED = 100_000;

  private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*");
  private static final Set<String> RESERVED = Set.of("ASSUME", "ASSUMPTION", "AXIOM", "CASE", "CHOOSE",
      "CONSTANT", "CONSTANTS", "DOMAIN", "ELSE", "ENABLED", "EXCEPT", "EXTENDS", "IF", "IN", "INSTANCE", "LET",
      "LOCAL", "MODULE", "OTHER", "SF_", "SUBSET", "THEN", "THEOREM", "UNCHANGED", "UNION", "VARIABLE",
      "VARIABLES", "WF_", "WITH", "TRUE", "FALSE", "BOOLEAN", "STRING", "LAMBDA", "RECURSIVE", "ACTION",
      "BY", "COROLLARY", "DEF", "DEFINE", "DEFS", "HAVE", "HIDE", "LEMMA", "NEW", "OBVIOUS", "OMITTED",
      "ONLY", "PICK", "PROOF", "PROPOSITION", "PROVE", "QED", "STATE", "SUFFICES", "TAKE", "TEMPORAL", "USE",
      "WITNESS");
  private static final Pattern EXTENDS = Pattern.compile("\\bEXTENDS\\s+(\\w+(?:\\s*,\\s*\\w+)*)");

  private TraceSpec() {}

  /**
   * The second verdict on a trace.
   *
   * @param conforms       whether the whole trace conforms: TLC matched the whole log and every
   *                       claim of the trace of itself holds ({@link TraceClaims})
   * @param events         the log's length: the trace's action events, and its fault events that
   *                       stand for a spec action
   * @param matched        how many of them, from the first, TLC could match
   * @param firstUnmatched {@code file:line} of the first event that does not conform, or null
   * @param reason         why, when TLC says more than "no step matches" (an invariant it
   *                       violates, an evaluation error) or the event's claim is false; or null
   * @param seconds        wall-clock time of the check: writing the module and running TLC
   */
  public record Result(boolean conforms, long events, long matched, String firstUnmatched, String reason,
                       double seconds) {}

  /**
   * What {@link #write} produced.
   *
   * @param dir     the folder with the module, its configuration and the spec's modules
   * @param spec    the spec the trace is checked against
   * @param header  the trace's header
   * @param events  the log's length: the trace's action events and the fault events that stand
   *                for a spec action
   * @param wheres  {@code file:line} of each event of the log, in order
   * @param claim   the first event whose claims of the trace itself are false (the log ends
   *                before it), or null
   */
  public record Written(Path dir, ConformanceSpec spec, Header header, long events, List<String> wheres,
                        Divergence claim) {

    /** Whether TraceNext has silent disjuncts, which make the search depth differ from i + 1. */
    public boolean silent() {
      return !spec.silent().isEmpty();
    }
  }

  /**
   * Checks {@code trace} against the spec its header names under {@code specsRoot}, with TLC
   * (one worker), in a temporary folder that is deleted afterwards.
   *
   * @throws TraceException for bad input: a trace that cannot be read, an action or parameter
   *     the spec does not have, a value TLC cannot compare, a module TLC cannot load
   */
  public static Result check(Path trace, Path specsRoot) throws TraceException, IOException, InterruptedException {
    return check(List.of(trace), specsRoot);
  }

  /**
   * Checks the trace in {@code files} (one file, or one per node of a run, merged by their vector
   * clocks as the engine merges them) against the spec its header names under {@code specsRoot},
   * with TLC (one worker), in a temporary folder that is deleted afterwards.
   *
   * @throws TraceException for bad input: a trace that cannot be read, an action or parameter
   *     the spec does not have, a value TLC cannot compare, a module TLC cannot load
   */
  public static Result check(List<Path> files, Path specsRoot)
      throws TraceException, IOException, InterruptedException {
    long start = System.nanoTime();
    Path dir = TempFolders.create("tracespec");
    try {
      Written w = write(files, specsRoot, dir);
      TlcRunner tlc = TlcRunner.fewStates(w.events() <= QUICK_EVENTS);
      long matched;
      String reason = null;
      String at = null;
      Verdict v = run(tlc, w, w.events(), w.silent());
      if (isSpecInvariant(w, v) && w.events() > 0) {
        // A state of the log violates one of the spec's invariants: the event that led there,
        // the i-th, diverges (the first, for an initial state, where i = 0).
        long i = Math.max(lastI(w, v), 1);
        return new Result(false, w.events(), i - 1, w.wheres().get((int) i - 1),
            "the spec's invariant " + v.property() + " is violated after this event", seconds(start));
      }
      if (isEvaluationError(w, v) && lastI(w, v) < w.events()) {
        // TLC cannot evaluate the step from the last state it reached: that event diverges.
        long i = lastI(w, v);
        return new Result(false, w.events(), i, w.wheres().get((int) i), "TLC cannot evaluate this step: "
            + v.message(), seconds(start));
      }
      if (!w.silent()) {
        // Every step adds one to i: the depth of the complete search is the largest i plus one.
        if (v.kind() != Verdict.Kind.OK) {
          throw failure(w, v);
        }
        if (v.depth() < 1 || v.depth() - 1L > w.events()) {
          throw new TraceException(w.header().file() + ": TLC's search depth " + v.depth() + " cannot be that of a "
              + w.events() + "-event log (" + v.headline() + ")");
        }
        matched = v.depth() - 1L;
      } else {
        // Silent steps add to the depth too: a violation of the invariant says the log was matched.
        if (v.kind() == Verdict.Kind.SAFETY && INVARIANT.equals(v.property())) {
          checkComplete(w, v);
          matched = w.events();
        } else if (v.kind() == Verdict.Kind.OK && v.depth() >= 1) {
          matched = bisect(tlc, w, Math.min(w.events() - 1, v.depth() - 1L));
        } else {
          throw failure(w, v);
        }
      }
      if (matched < w.events()) {
        at = w.wheres().get((int) matched);
      } else if (w.claim() != null) {
        at = w.claim().where();
        reason = w.claim().reason();
      }
      return new Result(at == null, w.events(), matched, at, reason, seconds(start));
    } finally {
      TempFolders.delete(dir);
    }
  }

  private static boolean isSpecInvariant(Written w, Verdict v) {
    return v.kind() == Verdict.Kind.SAFETY && v.property() != null && w.spec().invariants().contains(v.property());
  }

  /** An error TLC met evaluating a step of the log (not a parse error): the counterexample says where. */
  private static boolean isEvaluationError(Written w, Verdict v) {
    return v.kind() == Verdict.Kind.ERROR && !v.counterexample().isEmpty() && lastI(w, v) >= 0;
  }

  /** The {@code i} of the counterexample's last state, or -1. */
  private static long lastI(Written w, Verdict v) {
    List<TraceStep> cex = v.counterexample();
    if (cex.isEmpty()) {
      return -1;
    }
    String i = cex.get(cex.size() - 1).variables().get("i");
    return i != null && i.matches("\\d+") ? Long.parseLong(i) : -1;
  }

  /** The largest {@code i} reached, in [0, hi], with TraceTarget lowered run by run. */
  private static long bisect(TlcRunner tlc, Written w, long hi)
      throws IOException, InterruptedException, TraceException {
    long lo = 0;
    while (lo < hi) {
      long mid = (lo + hi + 1) / 2;
      Verdict v = run(tlc, w, mid, true);
      if (v.kind() == Verdict.Kind.SAFETY && INVARIANT.equals(v.property())) {
        lo = mid;
      } else if (v.kind() == Verdict.Kind.OK) {
        hi = mid - 1;
      } else {
        throw failure(w, v);
      }
    }
    return lo;
  }

  private static Verdict run(TlcRunner tlc, Written w, long target, boolean invariant)
      throws IOException, InterruptedException {
    Files.writeString(w.dir().resolve(MODULE + ".cfg"), config(w.spec(), w.header(), target, invariant));
    return tlc.check(w.dir(), MODULE, MODULE + ".cfg", Progress.Listener.NONE);
  }

  /** A violation must be in a state at the end of the log. */
  private static void checkComplete(Written w, Verdict v) throws TraceException {
    List<TraceStep> cex = v.counterexample();
    if (cex.isEmpty()) {
      return;
    }
    String last = cex.get(cex.size() - 1).variables().get("i");
    if (!String.valueOf(w.events()).equals(last)) {
      throw new TraceException(w.header().file() + ": TLC violated " + INVARIANT + " in a state with i = " + last
          + ", not at the end of the " + w.events() + "-event log");
    }
  }

  private static TraceException failure(Written w, Verdict v) {
    String at = w.header().file();
    long i = lastI(w, v);
    if (i >= 0 && i < w.events()) {
      at = w.wheres().get((int) i);
    }
    String loc = v.location() == null ? "" : " [" + v.location() + "]";
    return new TraceException(at + ": TLC cannot check the trace specification" + (i >= 0 && i < w.events()
        ? " at this event" : "") + ": " + v.kind().word() + ": " + v.message() + loc);
  }

  /**
   * Writes the trace specification of {@code trace} into {@code dir} (an empty folder): the
   * module, its configuration (with {@code TraceTarget} the log's length) and a copy of the
   * spec folder's modules. Reads the trace once, streaming.
   */
  public static Written write(Path trace, Path specsRoot, Path dir) throws TraceException, IOException {
    return write(List.of(trace), specsRoot, dir);
  }

  /** As {@link #write(Path, Path, Path)}, for one file or the per-node files of a run, merged. */
  public static Written write(List<Path> files, Path specsRoot, Path dir) throws TraceException, IOException {
    try (Validator.Events events = Validator.open(files)) {
      Header header = events.header();
      ConformanceSpec spec = ConformanceSpec.forHeader(specsRoot, header);
      copyModules(spec.dir(), dir);
      Definitions defs = new Definitions(spec.dir(), spec.module());
      Writer out = new Writer(spec, header, defs);
      try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(MODULE + ".tla"), StandardCharsets.UTF_8)) {
        out.write(events, w);
      }
      Files.writeString(dir.resolve(MODULE + ".cfg"), config(spec, header, out.events, !spec.silent().isEmpty()));
      return new Written(dir, spec, header, out.events, out.wheres, out.claim);
    }
  }

  private static void copyModules(Path from, Path to) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(from, "*.tla")) {
      for (Path f : files) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  private static String config(ConformanceSpec spec, Header header, long target, boolean invariant) {
    StringBuilder cfg = new StringBuilder();
    for (String c : header.constants().keySet()) {
      cfg.append("CONSTANT ").append(c).append(" <- TraceConst_").append(c).append('\n');
    }
    cfg.append("CONSTANT TraceTarget = ").append(target).append('\n');
    cfg.append("INIT TraceInit\nNEXT TraceNext\n");
    for (String inv : spec.invariants()) {
      cfg.append("INVARIANT ").append(inv).append('\n');
    }
    if (invariant) {
      cfg.append("INVARIANT ").append(INVARIANT).append('\n');
    }
    cfg.append("CHECK_DEADLOCK FALSE\n");
    return cfg.toString();
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Streams the module out: the log chunk by chunk, then the operators that use it. */
  private static final class Writer {
    private final ConformanceSpec spec;
    private final Header header;
    private final Definitions defs;
    private final String file;
    /** Each action the log names, with its parameters in declaration order. */
    private final Map<String, List<String>> actions = new LinkedHashMap<>();
    /** Each distinct event record written so far, with the operator that holds it. */
    private final Map<String, String> shared = new HashMap<>();
    private long events;
    /** {@code file:line} of each event of the log. */
    private final List<String> wheres = new ArrayList<>();
    /** The first event whose claims of the trace itself are false, or null. */
    private Divergence claim;
    /** The variables some event logs as an update in place. */
    private final Set<String> updated = new TreeSet<>();

    Writer(ConformanceSpec spec, Header header, Definitions defs) {
      this.spec = spec;
      this.header = header;
      this.defs = defs;
      this.file = header.file();
    }

    void write(Validator.Events reader, BufferedWriter w) throws TraceException, IOException {
      TraceClaims claims = new TraceClaims(spec, header);
      String loc = file + ":1";
      w.write("---- MODULE " + MODULE + " ----\n");
      w.write("\\* The trace " + Path.of(file).getFileName() + " as a trace specification of " + spec.module()
          + " (generated by spectrace.conformance.TraceSpec).\n");
      w.write("EXTENDS " + spec.module() + ", Integers, Sequences, FiniteSets\n\n");
      for (Map.Entry<String, Object> c : header.constants().entrySet()) {
        ident(c.getKey(), "constant", loc);
        w.write("TraceConst_" + c.getKey() + " == " + literal(c.getValue(), c.getKey(), loc) + "\n");
      }
      for (String v : header.variables().keySet()) {
        ident(v, "variable", loc);
      }
      w.write("\n\\* The position in the log: the number of events matched so far.\nVARIABLE i\n");
      w.write("\\* The invariant below fails once i reaches it: the log's length (or less, to bisect).\n"
          + "CONSTANT TraceTarget\n\n");
      long chunks = 0;
      StringBuilder chunk = new StringBuilder();
      for (TraceEvent e; (e = reader.next()) != null; ) {
        claim = claims.check(e);
        if (claim != null) {
          break; // the log ends before the first event whose claims are false
        }
        String rec = e.isAction() ? record(e) : faultRecord(e);
        if (rec == null) {
          continue; // a fault that stands for no spec action
        }
        wheres.add(e.where());
        if (!e.isAction()) {
          w.write("\\* line " + e.line() + ": the " + e.fault() + " fault, as " + spec.faults().get(e.fault()).action()
              + "\n");
        }
        String ref = shared.get(rec);
        if (ref == null && shared.size() < SHARED) {
          ref = "TraceE" + (shared.size() + 1);
          shared.put(rec, ref);
          w.write(ref + " == " + rec + " \\* first at line " + e.line() + "\n");
        }
        chunk.append(events % CHUNK == 0 ? "" : ",\n").append("  (* line ").append(e.line()).append(" *) ")
            .append(ref != null ? ref : rec);
        events++;
        if (events % CHUNK == 0) {
          w.write("\nTraceLog" + (++chunks) + " == <<\n" + chunk + "\n>>\n\n");
          chunk.setLength(0);
        }
      }
      if (events % CHUNK != 0) {
        w.write("\nTraceLog" + (++chunks) + " == <<\n" + chunk + "\n>>\n\n");
      }
      StringBuilder list = new StringBuilder();
      for (long k = 1; k <= chunks; k++) {
        list.append(k == 1 ? "" : ", ").append("TraceLog").append(k);
      }
      w.write("TraceChunks == <<" + list + ">>\n");
      w.write("TraceLen == " + events + "\n");
      w.write("TraceEvent(n) == TraceChunks[((n - 1) \\div " + CHUNK + ") + 1][((n - 1) % " + CHUNK + ") + 1]\n\n");
      w.write("\\* The event's action, with its parameters in the order the spec declares them.\n");
      w.write("TraceAction(e) ==\n");
      if (actions.isEmpty()) {
        w.write("  FALSE\n");
      }
      for (Map.Entry<String, List<String>> a : actions.entrySet()) {
        StringBuilder call = new StringBuilder(a.getKey());
        if (!a.getValue().isEmpty()) {
          call.append('(');
          for (int k = 1; k <= a.getValue().size(); k++) {
            call.append(k == 1 ? "" : ", ").append("e.params[").append(k).append(']');
          }
          call.append(')');
        }
        w.write("  \\/ e.action = " + string(a.getKey()) + " /\\ " + call + "\n");
      }
      w.write("\n");
      writeNetwork(w);
      if (!updated.isEmpty()) {
        w.write("\\* The updates in place of variable traceV that event e logs (the empty set for none).\n");
        w.write("TraceUpd(e, traceV) == IF \"upd\" \\in DOMAIN e /\\ traceV \\in DOMAIN e.upd THEN e.upd[traceV] ELSE {}\n");
        w.write("\\* traceY is traceX updated by traceD: a sequence cut to its first n entries (all for n = -1), then\n"
            + "\\* appended to; a function with keys set (put) and removed (del).\n");
        w.write("TraceUpdated(traceX, traceD, traceY) ==\n"
            + "  IF traceD.op = \"seq\"\n"
            + "  THEN IF traceD.n < 0 THEN traceY = traceX \\o traceD.app\n"
            + "       ELSE /\\ traceD.n <= Len(traceX)\n"
            + "            /\\ traceY = SubSeq(traceX, 1, traceD.n) \\o traceD.app\n"
            + "  ELSE traceY = [traceK \\in (DOMAIN traceX \\cup DOMAIN traceD.put) \\ traceD.del |->\n"
            + "                   IF traceK \\in DOMAIN traceD.put THEN traceD.put[traceK] ELSE traceX[traceK]]\n\n");
      }
      w.write("\\* The logged variables agree after the action, and the network changes as the event says.\n");
      w.write("TraceLogged(e) ==\n  /\\ TRUE\n");
      for (Map.Entry<String, String> v : header.variables().entrySet()) {
        String name = v.getKey();
        if ("indexed".equals(v.getValue())) {
          w.write("  /\\ \\A kv \\in e.vars." + name + " : " + name + "'[kv[1]] = kv[2]\n");
        } else {
          w.write("  /\\ e.vars." + name + " \\subseteq {" + name + "'}\n");
        }
      }
      for (String name : updated) {
        if ("indexed".equals(header.variables().get(name))) {
          w.write("  /\\ \\A traceD \\in TraceUpd(e, \"" + name + "\") : TraceUpdated(" + name + "[traceD[1]], traceD[2], "
              + name + "'[traceD[1]])\n");
        } else {
          w.write("  /\\ \\A traceD \\in TraceUpd(e, \"" + name + "\") : TraceUpdated(" + name + ", traceD, " + name + "')\n");
        }
      }
      w.write("  /\\ TraceNetwork(e)\n");
      w.write("\nTraceInit == " + spec.init() + " /\\ i = 0\n\n");
      w.write("TraceStep == /\\ i < TraceLen\n");
      w.write("             /\\ TraceAction(TraceEvent(i + 1))\n");
      w.write("             /\\ TraceLogged(TraceEvent(i + 1))\n");
      w.write("             /\\ i' = i + 1\n\n");
      if (spec.silent().isEmpty()) {
        w.write("TraceNext == TraceStep\n\n");
      } else {
        w.write("\\* Actions that no node logs, any number of them between logged events.\n");
        w.write("TraceSilent == /\\ i < TraceLen\n");
        w.write("               /\\ " + String.join(" \\/ ", spec.silent()) + "\n");
        w.write("               /\\ UNCHANGED i\n\n");
        w.write("TraceNext == TraceStep \\/ TraceSilent\n\n");
      }
      w.write("\\* Violated exactly where the whole log (TraceTarget = TraceLen) has been matched.\n");
      w.write(INVARIANT + " == i < TraceTarget\n");
      w.write("====\n");
    }

    /**
     * TraceNetwork(e): the messages the step adds to the network are exactly the event's
     * {@code sent}, and the one it receives was in transit (and, where receipts consume, is
     * taken away), in the shape conformance.json declares.
     */
    private void writeNetwork(BufferedWriter w) throws IOException, TraceException {
      ConformanceSpec.Network n = spec.network();
      if (n == null) {
        w.write("\\* The spec has no network: an event sends and receives nothing.\n");
        w.write("TraceNetwork(e) == e.sent = <<>> /\\ e.recv = <<>>\n\n");
        return;
      }
      String v = n.variable();
      ident(v, "network variable", spec.dir().resolve(ConformanceSpec.FILE).toString());
      w.write("\\* A message of the event ([from, to, msg]) as the network holds it.\n");
      w.write("TraceEnv(traceX) == " + (n.packets() || n.shape().equals("channels") ? "traceX" : "traceX.msg") + "\n");
      w.write("TraceEnvs(traceS) == {TraceEnv(traceS[traceK]) : traceK \\in DOMAIN traceS}\n");
      if (!n.consumes()) {
        w.write("\\* " + v + " holds every message sent: a receipt takes nothing away.\n");
        w.write("TraceNetwork(e) == /\\ TraceEnvs(e.recv) \\subseteq " + v + "\n");
        w.write("                   /\\ " + v + "' = " + v + " \\cup TraceEnvs(e.sent)\n\n");
        return;
      }
      w.write("\\* Bags as functions from messages to copies: the sum of two, and a sequence's elements counted.\n");
      w.write("TraceBagAdd(traceA, traceB) == [traceX \\in DOMAIN traceA \\cup DOMAIN traceB |->\n"
          + "  (IF traceX \\in DOMAIN traceA THEN traceA[traceX] ELSE 0)\n"
          + "  + (IF traceX \\in DOMAIN traceB THEN traceB[traceX] ELSE 0)]\n");
      w.write("TraceSeqBag(traceS) == [traceX \\in {TraceEnv(traceS[traceK]) : traceK \\in DOMAIN traceS} |->\n"
          + "  Cardinality({traceK \\in DOMAIN traceS : TraceEnv(traceS[traceK]) = traceX})]\n");
      switch (n.shape()) {
        case "set" -> w.write("TraceHeld(traceN) == [traceX \\in traceN |-> 1]\n");
        case "bag" -> w.write("TraceHeld(traceN) == [traceX \\in {traceY \\in DOMAIN traceN : traceN[traceY] > 0} |-> traceN[traceX]]\n");
        default -> w.write("TraceHeld(traceN) == [traceX \\in UNION {UNION {{[from |-> traceA, to |-> traceB, msg |-> traceN[traceA][traceB][traceK]] :\n"
            + "      traceK \\in DOMAIN traceN[traceA][traceB]} : traceB \\in DOMAIN traceN[traceA]} : traceA \\in DOMAIN traceN} |->\n"
            + "  Cardinality({traceK \\in DOMAIN traceN[traceX.from][traceX.to] : traceN[traceX.from][traceX.to][traceK] = traceX.msg})]\n");
      }
      w.write("\\* What was in transit, plus what is sent, is what is in transit after, plus what is received.\n");
      w.write("TraceNetwork(e) == /\\ TraceEnvs(e.recv) \\subseteq DOMAIN TraceHeld(" + v + ")\n");
      w.write("                   /\\ TraceBagAdd(TraceHeld(" + v + "'), TraceSeqBag(e.recv))\n"
          + "                        = TraceBagAdd(TraceHeld(" + v + "), TraceSeqBag(e.sent))\n\n");
    }

    /** A fault event as the record of the spec action that stands for it, or null when none does. */
    private String faultRecord(TraceEvent e) throws TraceException {
      ConformanceSpec.FaultAction fa = spec.faults().get(e.fault());
      if (fa == null || fa.action() == null) {
        return null;
      }
      String where = e.where();
      List<String> formals = formals(fa.action(), where);
      StringBuilder r = new StringBuilder("[action |-> ").append(string(fa.action())).append(", params |-> <<");
      for (int k = 0; k < formals.size(); k++) {
        Object v = e.field(fa.params().get(formals.get(k)), "parameter " + formals.get(k) + " of " + fa.action());
        r.append(k == 0 ? "" : ", ").append(literal(v, formals.get(k), where));
      }
      String env = e.msg() == null ? null : envelope(e.from(), e.to(), e.msg(), where);
      boolean copied = e.addsCopy();
      r.append(">>, node |-> \"\", sent |-> <<").append(copied && env != null ? env : "").append(">>, recv |-> <<")
          .append(e.losesCopy() && env != null ? env : "").append(">>");
      appendVars(r, Map.of(), where);
      return r.append(']').toString();
    }

    private String envelope(String from, String to, Object msg, String where) throws TraceException {
      return "[from |-> " + string(from, where) + ", to |-> " + string(to, where) + ", msg |-> "
          + literal(msg, "msg", where) + "]";
    }

    /** The action's parameters in declaration order, remembered for TraceAction. */
    private List<String> formals(String action, String where) throws TraceException {
      List<String> formals = actions.get(action);
      if (formals == null) {
        ident(action, "action", where);
        formals = defs.params(action);
        if (formals == null) {
          throw new TraceException(where + ": unknown action '" + action + "': " + spec.module()
              + " has no definition of it");
        }
        actions.put(action, formals);
      }
      return formals;
    }

    /** One event as a record. */
    private String record(TraceEvent e) throws TraceException {
      String where = e.where();
      List<String> formals = formals(e.action(), where);
      if (!new TreeSet<>(formals).equals(new TreeSet<>(e.params().keySet()))) {
        throw new TraceException(where + ": action " + e.action() + " takes parameters (" + String.join(", ", formals)
            + "), the event gives (" + String.join(", ", e.params().keySet()) + ")");
      }
      StringBuilder r = new StringBuilder("[action |-> ").append(string(e.action())).append(", params |-> <<");
      for (int k = 0; k < formals.size(); k++) {
        String p = formals.get(k);
        r.append(k == 0 ? "" : ", ").append(literal(e.params().get(p), p, where));
      }
      r.append(">>, node |-> ").append(string(e.node(), where)).append(", sent |-> <<");
      boolean first = true;
      for (Map<String, Object> m : e.sent()) {
        r.append(first ? "" : ", ").append(envelope(e.node(), (String) m.get("to"), m.get("msg"), where));
        first = false;
      }
      r.append(">>, recv |-> <<").append(e.recv() == null ? "" : envelope(e.recvFrom(), e.node(), e.recv(), where))
          .append(">>");
      appendVars(r, e.vars(), where);
      return r.append(']').toString();
    }

    /**
     * The record's {@code vars}: for every variable the header declares, the set of its logged
     * values; and, when the event logs an update in place, {@code upd}: for each variable so
     * logged, the set of its updates ({@code <<node, update>>} for an indexed one).
     */
    private void appendVars(StringBuilder r, Map<String, Object> vars, String where) throws TraceException {
      if (header.variables().isEmpty()) {
        return;
      }
      r.append(", vars |-> [");
      StringBuilder upd = new StringBuilder();
      boolean first = true;
      for (Map.Entry<String, String> v : header.variables().entrySet()) {
        String name = v.getKey();
        r.append(first ? "" : ", ").append(name).append(" |-> {");
        first = false;
        Object logged = vars.get(name);
        List<String> updates = new ArrayList<>();
        if (logged != null) {
          if ("indexed".equals(v.getValue())) {
            boolean firstEntry = true;
            for (Map.Entry<?, ?> en : ((Map<?, ?>) logged).entrySet()) {
              String pair = "<<" + string(en.getKey().toString(), where) + ", ";
              if ("$update".equals(TraceEvent.tag(en.getValue()))) {
                updates.add(pair + update((Map<?, ?>) en.getValue(), name, where) + ">>");
                continue;
              }
              r.append(firstEntry ? "" : ", ").append(pair).append(literal(en.getValue(), name, where)).append(">>");
              firstEntry = false;
            }
          } else if ("$update".equals(TraceEvent.tag(logged))) {
            updates.add(update((Map<?, ?>) logged, name, where));
          } else {
            r.append(literal(logged, name, where));
          }
        }
        r.append('}');
        if (!updates.isEmpty()) {
          updated.add(name);
          upd.append(upd.length() == 0 ? "" : ", ").append(name).append(" |-> {").append(String.join(", ", updates))
              .append('}');
        }
      }
      r.append(']');
      if (upd.length() > 0) {
        r.append(", upd |-> [").append(upd).append(']');
      }
    }

    /**
     * An update in place as a record for TraceUpdated: {@code [op |-> "seq", n |-> n, app |-> <<...>>]}
     * (n = -1 for no truncation) or {@code [op |-> "fn", put |-> function, del |-> {keys}]}.
     */
    private String update(Map<?, ?> u, String name, String where) throws TraceException {
      if (u.containsKey("$append") || u.containsKey("$truncate")) {
        StringBuilder b = new StringBuilder("[op |-> \"seq\", n |-> ");
        b.append(u.containsKey("$truncate") ? literal(u.get("$truncate"), name, where) : "-1").append(", app |-> <<");
        List<?> app = u.containsKey("$append") ? (List<?>) u.get("$append") : List.of();
        for (int k = 0; k < app.size(); k++) {
          b.append(k == 0 ? "" : ", ").append(literal(app.get(k), name, where));
        }
        return b.append(">>]").toString();
      }
      List<?> puts = u.containsKey("$put") ? (List<?>) u.get("$put") : List.of();
      List<?> dels = u.containsKey("$remove") ? (List<?>) u.get("$remove") : List.of();
      StringBuilder b = new StringBuilder("[op |-> \"fn\", put |-> ").append(function(puts, name, where))
          .append(", del |-> {");
      for (int k = 0; k < dels.size(); k++) {
        b.append(k == 0 ? "" : ", ").append(literal(dels.get(k), name, where));
      }
      return b.append("}]").toString();
    }

    /** The function of pairs {@code [key, value]} as a TLA+ expression. */
    private String function(List<?> pairs, String name, String where) throws TraceException {
      if (pairs.isEmpty()) {
        return "[traceKey \\in {} |-> TRUE]";
      }
      List<String> keys = new ArrayList<>();
      StringBuilder cases = new StringBuilder();
      for (Object o : pairs) {
        List<?> pair = (List<?>) o;
        String k = literal(pair.get(0), name, where);
        cases.append(keys.isEmpty() ? "" : " [] ").append("traceKey = ").append(k).append(" -> ")
            .append(literal(pair.get(1), name, where));
        keys.add(k);
      }
      return "[traceKey \\in {" + String.join(", ", keys) + "} |-> CASE " + cases + "]";
    }

    /** A JSON value as a TLA+ expression; {@code name} decides whether an array is a sequence. */
    private String literal(Object json, String name, String where) throws TraceException {
      String tag = TraceEvent.tag(json);
      if (tag != null) {
        Object items = ((Map<?, ?>) json).get(tag);
        switch (tag) {
          case "$set", "$seq" -> {
            StringBuilder b = new StringBuilder(tag.equals("$seq") ? "<<" : "{");
            List<?> l = (List<?>) items;
            for (int k = 0; k < l.size(); k++) {
              b.append(k == 0 ? "" : ", ").append(literal(l.get(k), name, where));
            }
            return b.append(tag.equals("$seq") ? ">>" : "}").toString();
          }
          case "$fn", "$bag" -> {
            return function((List<?>) items, name, where);
          }
          default -> throw new TraceException(where + ": " + name + ": an update in place is the value of a variable only");
        }
      }
      if (json instanceof String s) {
        return string(s, where);
      } else if (json instanceof Boolean b) {
        return b ? "TRUE" : "FALSE";
      } else if (json instanceof Long n) {
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
          throw new TraceException(where + ": " + name + " = " + n + " is beyond TLC's integers");
        }
        return n.toString();
      } else if (json instanceof List<?> l) {
        StringBuilder b = new StringBuilder();
        boolean seq = spec.sequences().contains(name);
        b.append(seq ? "<<" : "{");
        for (int k = 0; k < l.size(); k++) {
          b.append(k == 0 ? "" : ", ").append(literal(l.get(k), name, where));
        }
        return b.append(seq ? ">>" : "}").toString();
      } else if (json instanceof Map<?, ?> m) {
        boolean record = !m.isEmpty();
        for (Object k : m.keySet()) {
          record &= isIdent(k.toString());
        }
        StringBuilder b = new StringBuilder();
        if (record) {
          b.append('[');
          boolean first = true;
          for (Map.Entry<?, ?> en : m.entrySet()) {
            b.append(first ? "" : ", ").append(en.getKey()).append(" |-> ")
                .append(literal(en.getValue(), en.getKey().toString(), where));
            first = false;
          }
          return b.append(']').toString();
        }
        // A function over the keys as strings: no record syntax for keys that are not identifiers.
        List<String> keys = new ArrayList<>();
        StringBuilder cases = new StringBuilder();
        for (Map.Entry<?, ?> en : m.entrySet()) {
          String k = string(en.getKey().toString(), where);
          cases.append(keys.isEmpty() ? "" : " [] ").append("traceKey = ").append(k).append(" -> ")
              .append(literal(en.getValue(), en.getKey().toString(), where));
          keys.add(k);
        }
        if (keys.isEmpty()) {
          return "[traceKey \\in {} |-> TRUE]";
        }
        return "[traceKey \\in {" + String.join(", ", keys) + "} |-> CASE " + cases + "]";
      }
      throw new TraceException(where + ": " + name + " has no TLA+ counterpart");
    }
  }

  private static String string(String s) {
    try {
      return string(s, "?");
    } catch (TraceException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A TLA+ string literal. */
  private static String string(String s, String where) throws TraceException {
    StringBuilder b = new StringBuilder("\"");
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            throw new TraceException(where + ": the string " + quoted(s) + " has a character TLA+ strings cannot hold"
                + " (U+" + String.format("%04X", (int) c) + ")");
          }
          b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }

  private static String quoted(String s) {
    return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
  }

  private static boolean isIdent(String s) {
    return IDENT.matcher(s).matches() && !RESERVED.contains(s) && !s.startsWith("WF_") && !s.startsWith("SF_");
  }

  private static void ident(String s, String what, String where) throws TraceException {
    if (!isIdent(s)) {
      throw new TraceException(where + ": " + what + " name " + quoted(s) + " is no TLA+ identifier");
    }
  }

  /**
   * Operator definitions read from a module's text, and from the modules of its folder that it
   * EXTENDS: for the parameter order of each action. A regular expression, not a parser; this
   * serves the second verdict only.
   */
  static final class Definitions {
    private final Path dir;
    private final List<String> texts = new ArrayList<>();

    Definitions(Path dir, String module) throws TraceException {
      this.dir = dir;
      load(module, new TreeSet<>());
    }

    private void load(String module, Set<String> seen) throws TraceException {
      Path f = dir.resolve(module + ".tla");
      if (!seen.add(module) || !Files.isRegularFile(f)) {
        return; // a standard module, or one already read
      }
      String text;
      try {
        text = spectrace.tlc.TlaText.withoutComments(Files.readString(f));
      } catch (IOException e) {
        throw new TraceException(f + ": cannot read (" + e.getMessage() + ")");
      }
      texts.add(text);
      Matcher m = EXTENDS.matcher(text);
      if (m.find()) {
        for (String name : m.group(1).split(",")) {
          String n = name.strip();
          if (!n.isEmpty()) {
            load(n, seen);
          }
        }
      }
    }

    /** The parameters of operator {@code name} in declaration order, or null if no module defines it. */
    List<String> params(String name) throws TraceException {
      Pattern def = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(name) + "[ \\t]*(?:\\(([^)]*)\\))?\\s*==");
      for (String text : texts) {
        Matcher m = def.matcher(text);
        if (m.find()) {
          if (m.group(1) == null) {
            return List.of();
          }
          List<String> ps = new ArrayList<>();
          for (String p : m.group(1).split(",")) {
            String s = p.strip();
            if (!isIdent(s)) {
              throw new TraceException(dir.resolve(ConformanceSpec.FILE) + ": the definition of " + name
                  + " has a parameter '" + s + "' that the second verdict cannot bind");
            }
            ps.add(s);
          }
          return ps;
        }
      }
      return null;
    }
  }

}
