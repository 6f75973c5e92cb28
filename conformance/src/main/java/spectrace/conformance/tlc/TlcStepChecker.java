package spectrace.conformance.tlc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import spectrace.conformance.ConformanceSpec;
import spectrace.conformance.Divergence;
import spectrace.conformance.Header;
import spectrace.conformance.StepChecker;
import spectrace.conformance.TraceEvent;
import spectrace.conformance.TraceException;
import spectrace.tlc.TlcOutput;
import spectrace.tlc.Verdict;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tlc2.tool.Action;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.tool.coverage.CostModel;
import tlc2.tool.impl.FastTool;
import tlc2.util.Context;
import tlc2.util.FP64;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetCupValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import util.SimpleFilenameToStream;
import util.ToolIO;
import util.UniqueString;

/**
 * The frontier search, on TLC's evaluator and the real spec. Loaded by {@code SpecLoader} in a
 * class loader of its own: every TLC type stays in this package.
 *
 * <p>The spec is loaded through a generated model module that EXTENDS it and gives its
 * constants the trace header's values. The frontier starts as the spec's initial states. For
 * each action event, each candidate's successors under the logged action, with the logged
 * parameters bound, are kept when every logged variable agrees (a whole variable with its
 * value, an indexed one at the acting node's entry), when the spec's network changes exactly
 * as the event says (the messages the action adds are the event's {@code sent}, the one it
 * consumes its {@code recv}; see {@link #networkMismatches}), and every invariant that
 * conformance.json lists holds in it. Variables the trace does not log are whatever the spec
 * makes them: the search fills them in. Silent actions (declared in conformance.json) may
 * happen before each event. A fault event that conformance.json maps to a spec action is a
 * step of that action, with its parameters bound from the event's fields. Successors are
 * deduplicated by fingerprint.
 */
public final class TlcStepChecker implements StepChecker {

  private static final String MODEL = "SpectraceModel";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConformanceSpec spec;
  private final Header header;
  private final Path dir;
  private final FastTool tool;
  private final Map<String, OpDefNode> actions = new LinkedHashMap<>();
  /**
   * Per action of Next whose parameters TLC binds when it splits Next (for instance
   * {@code \E rm \in RM : RMPrepare(rm)}), the parameter tuples Next allows: a logged event
   * must use one of them. Actions whose parameters range over a state-dependent set are not
   * here; their own definitions must constrain them.
   */
  private final Map<String, Set<List<Long>>> domains = new LinkedHashMap<>();
  private final Map<String, UniqueString> variables = new LinkedHashMap<>();
  private final List<Action> silent = new ArrayList<>();
  /** The fingerprints of states that satisfy every invariant (at most {@link #MAX_REMEMBERED}). */
  private final Set<Long> invariantsHold = new java.util.HashSet<>();
  private static final int MAX_REMEMBERED = 1 << 16;
  /** The last network value read, and its contents: a value UNCHANGED keeps is read once. */
  private Value lastNet;
  private Contents lastContents;
  /** The parts of the invariants to evaluate on every candidate state, in the order listed. */
  private final List<InvariantCheck> checks = new ArrayList<>();
  /** The variables some invariant reads, or null when one of them may depend on more. */
  private List<UniqueString> invariantState;
  /** Whether states found to satisfy every invariant are remembered, and how often that paid. */
  private boolean remember = true;
  private long lookups;
  private long found;
  /** The network values of this step's candidates that add a few messages to their predecessor's. */
  private final Map<Value, Increment> increments = new java.util.IdentityHashMap<>();
  /** The network variable, or null. */
  private UniqueString network;
  /** Whether messages no later event can receive are forgotten ({@link #noneInTransit}). */
  private boolean forgets;
  /** The event of the last step, for the messages of errors found after it. */
  private TraceEvent lastEvent;
  private List<TLCState> frontier = new ArrayList<>();
  private List<TLCState> initial = List.of();
  /** Whether the invariants were evaluated on the initial states (at the first event). */
  private boolean initialChecked;

  /** A checker whose model is written to {@code dir}, a new folder that {@link #close()} deletes. */
  public TlcStepChecker(ConformanceSpec spec, Header header, Path stdlib, Path dir) throws TraceException {
    this.spec = spec;
    this.header = header;
    this.dir = dir;
    try {
      writeModel();
    } catch (IOException e) {
      throw new TraceException("cannot write the model of " + spec.module() + ": " + e.getMessage());
    }
    ByteArrayOutputStream captured = captureToolOutput();
    try {
      tool = new FastTool(dir.toString(), MODEL, MODEL, new SimpleFilenameToStream(
          new String[] {dir.toString(), spec.dir().toString(), stdlib.toString()}));
      for (OpDeclNode v : tool.getSpecProcessor().getVariablesNodes()) {
        variables.put(v.getName().toString(), v.getName());
      }
      Set<String> inNext = new TreeSet<>();
      Set<String> unbound = new TreeSet<>();
      for (Action a : tool.getActions()) {
        OpDefNode op = a.getOpDef();
        if (op == null) {
          continue;
        }
        String name = op.getName().toString();
        inNext.add(name);
        List<Long> tuple = new ArrayList<>();
        for (FormalParamNode f : op.getParams()) {
          Object v = a.con.lookup(f);
          if (!(v instanceof Value)) {
            unbound.add(name);
            break;
          }
          tuple.add(fingerprint((Value) v));
        }
        if (tuple.size() == op.getArity() && op.getArity() > 0) {
          domains.computeIfAbsent(name, k -> new java.util.HashSet<>()).add(tuple);
        }
      }
      unbound.forEach(domains::remove);
      for (OpDefNode def : tool.getSpecProcessor().getRootModule().getOpDefs()) {
        String name = def.getName().toString();
        if (inNext.contains(name) || spec.silent().contains(name)) {
          actions.put(name, def);
        }
      }
      for (String s : spec.silent()) {
        OpDefNode def = actions.get(s);
        if (def == null || def.getArity() != 0) {
          throw new TraceException(spec.dir().resolve(ConformanceSpec.FILE) + ": silent action '" + s
              + "' must be an operator of " + spec.module() + " without parameters");
        }
        silent.add(action(def, Context.Empty));
      }
      String conf = spec.dir().resolve(ConformanceSpec.FILE).toString();
      Map<String, OpDefNode> defs = new LinkedHashMap<>();
      for (OpDefNode def : tool.getSpecProcessor().getRootModule().getOpDefs()) {
        defs.put(def.getName().toString(), def);
      }
      for (String name : inNext) {
        if (!spec.actors().containsKey(name) && !spec.silent().contains(name)) {
          throw new TraceException(conf + ": actors declares no process for " + name + ", an action of "
              + spec.module() + "'s " + spec.next() + ": add \"" + name + "\": {\"param\": p} or {\"node\": id}");
        }
      }
      for (String name : spec.actors().keySet()) {
        if (!defs.containsKey(name)) {
          throw new TraceException(conf + ": actors names " + name + ", which " + spec.module() + " does not define");
        }
        actions.putIfAbsent(name, defs.get(name));
        ConformanceSpec.Actor a = spec.actors().get(name);
        if (a.kind().equals("param") && java.util.Arrays.stream(defs.get(name).getParams())
            .noneMatch(f -> f.getName().toString().equals(a.name()))) {
          throw new TraceException(conf + ": actors." + name + " names parameter " + a.name() + ", which " + name
              + " does not have");
        }
        if (a.kind().equals("constant") && !header.constants().containsKey(a.name())) {
          throw new TraceException(conf + ": actors." + name + " names constant " + a.name()
              + ", which the trace's header does not give");
        }
      }
      for (String name : spec.recover()) {
        if (!actions.containsKey(name)) {
          throw new TraceException(conf + ": recover names " + name + ", which is no action of " + spec.next());
        }
      }
      for (Map.Entry<String, ConformanceSpec.FaultAction> f : spec.faults().entrySet()) {
        String name = f.getValue().action();
        if (name == null) {
          continue;
        }
        OpDefNode def = defs.get(name);
        if (def == null) {
          throw new TraceException(conf + ": faults." + f.getKey() + " names action " + name + ", which "
              + spec.module() + " does not define");
        }
        Set<String> formals = new TreeSet<>();
        for (FormalParamNode fp : def.getParams()) {
          formals.add(fp.getName().toString());
        }
        if (!formals.equals(new TreeSet<>(f.getValue().params().keySet()))) {
          throw new TraceException(conf + ": faults." + f.getKey() + " binds parameters "
              + new TreeSet<>(f.getValue().params().keySet()) + ", but " + name + " takes " + formals);
        }
        actions.putIfAbsent(name, def);
      }
      for (String name : spec.invariants()) {
        OpDefNode def = defs.get(name);
        if (def == null || def.getArity() != 0) {
          throw new TraceException(conf + ": invariant " + name + " is no operator of " + spec.module()
              + " without parameters");
        }
        for (InvariantParts.Part part : InvariantParts.of(def)) {
          checks.add(new InvariantCheck(name, part, variables));
        }
      }
      Set<UniqueString> union = new java.util.LinkedHashSet<>();
      for (InvariantCheck c : checks) {
        List<UniqueString> reads = c.reads();
        if (reads == null) {
          union = null;
          break;
        }
        union.addAll(reads);
      }
      invariantState = union == null ? null : List.copyOf(union);
      StateVec init = tool.getInitStates();
      Map<Long, TLCState> unique = new LinkedHashMap<>();
      for (int i = 0; i < init.size(); i++) {
        unique.putIfAbsent(init.elementAt(i).fingerPrint(), init.elementAt(i));
      }
      initial = List.copyOf(unique.values());
      frontier = new ArrayList<>(initial);
      network = spec.network() == null ? null : variables.get(spec.network().variable());
      if (spec.network() != null && network == null) {
        throw new TraceException(conf + ": the network variable " + spec.network().variable() + " is no variable of "
            + spec.module() + " (its variables: " + String.join(", ", variables.keySet()) + ")");
      }
      forgets = network != null && spec.network().shape().equals("set") && !spec.network().consumes()
          && spec.network().packets()
          && checks.stream().allMatch(c -> c.whole != null && !c.whole.contains(network) && !c.indexed.contains(network))
          && actions.values().stream().allMatch(d -> NetworkUse.monotone(d, spec.network().variable()));
    } catch (TraceException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      throw loadError(captured.toString(StandardCharsets.UTF_8), e);
    }
    for (String v : header.variables().keySet()) {
      if (!variables.containsKey(v)) {
        throw new TraceException(header.file() + ":1: the trace logs variable '" + v + "', which " + spec.module()
            + " does not declare (its variables: " + String.join(", ", variables.keySet()) + ")");
      }
    }
  }

  private TraceException loadError(String output, Throwable e) {
    TlcOutput out = new TlcOutput(spec.dir());
    for (String line : output.split("\n")) {
      out.accept(line);
    }
    Verdict v = out.verdict(0, 1);
    if (v.kind() == Verdict.Kind.INVALID && v.location() != null) {
      return new TraceException(v.location() + ": " + v.message());
    }
    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
    return new TraceException(spec.module() + ": TLC cannot load the spec with the trace's constants: "
        + msg.strip().replace('\n', ' '));
  }

  /** The model module: the spec, with the header's constants. */
  private void writeModel() throws IOException, TraceException {
    StringBuilder tla = new StringBuilder("---- MODULE " + MODEL + " ----\nEXTENDS " + spec.module() + "\n");
    StringBuilder cfg = new StringBuilder();
    for (Map.Entry<String, Object> c : header.constants().entrySet()) {
      String def = "SpectraceConst_" + c.getKey();
      tla.append(def).append(" == ").append(literal(c.getValue(), c.getKey())).append('\n');
      cfg.append("CONSTANT ").append(c.getKey()).append(" <- ").append(def).append('\n');
    }
    tla.append("====\n");
    cfg.append("INIT ").append(spec.init()).append("\nNEXT ").append(spec.next()).append('\n');
    Files.writeString(dir.resolve(MODEL + ".tla"), tla);
    Files.writeString(dir.resolve(MODEL + ".cfg"), cfg);
  }

  /**
   * A JSON value of the header's constants as a TLA+ expression: tagged values as what their
   * tag says (traces/README.md, "Values"), a plain array as a sequence where conformance.json
   * says the constant is one and as a set otherwise, an object as a record.
   */
  private String literal(Object json, String name) throws TraceException {
    String tag = TraceEvent.tag(json);
    if (tag != null) {
      Object items = ((Map<?, ?>) json).get(tag);
      if (!(items instanceof List<?> l)) {
        throw new TraceException(header.file() + ":1: constant " + name + ": " + tag + " holds no array");
      }
      List<String> parts = new ArrayList<>();
      switch (tag) {
        case "$set", "$seq" -> {
          for (Object o : l) {
            parts.add(literal(o, name));
          }
          return tag.equals("$seq") ? "<<" + String.join(", ", parts) + ">>" : "{" + String.join(", ", parts) + "}";
        }
        case "$fn", "$bag" -> {
          if (l.isEmpty()) {
            return "[spectraceKey \\in {} |-> TRUE]";
          }
          List<String> keys = new ArrayList<>();
          for (Object o : l) {
            List<?> pair = (List<?>) o;
            String k = literal(pair.get(0), name);
            keys.add(k);
            parts.add("spectraceKey = " + k + " -> " + literal(pair.get(1), name));
          }
          return "[spectraceKey \\in {" + String.join(", ", keys) + "} |-> CASE " + String.join(" [] ", parts) + "]";
        }
        default -> throw new TraceException(header.file() + ":1: constant " + name + ": " + tag + " is no value");
      }
    }
    if (json instanceof String s) {
      return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    } else if (json instanceof Long || json instanceof Boolean) {
      return json instanceof Boolean b ? (b ? "TRUE" : "FALSE") : json.toString();
    } else if (json instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      for (Object o : l) {
        parts.add(literal(o, name));
      }
      boolean seq = spec.sequences().contains(name);
      return (seq ? "<<" : "{") + String.join(", ", parts) + (seq ? ">>" : "}");
    } else if (json instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        parts.add(e.getKey() + " |-> " + literal(e.getValue(), e.getKey().toString()));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    throw new TraceException(header.file() + ":1: constant " + name + " has a value with no TLA+ counterpart");
  }

  /** The fingerprint of every variable of {@code s} but the network. */
  private long fingerprintBesideNetwork(TLCState s) {
    if (network == null) {
      return s.fingerPrint();
    }
    long fp = FP64.New();
    for (UniqueString v : variables.values()) {
      if (v != network) {
        fp = ((Value) s.lookup(v)).fingerPrint(fp);
      }
    }
    return fp;
  }

  /** Whether two candidates agree, by {@link #same}, on every variable but the network. */
  private boolean sameBesideNetwork(TLCState a, TLCState b) {
    for (UniqueString v : variables.values()) {
      if (v != network && !same((Value) a.lookup(v), (Value) b.lookup(v))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether two candidates hold the same network: the same value, or the same increment of the
   * same predecessor's network (the messages each adds that it lacked), or, failing those, the
   * same fingerprint. The first two cost no reading of the whole network.
   */
  private boolean sameNetwork(TLCState a, TLCState b) {
    if (network == null) {
      return true;
    }
    Value x = (Value) a.lookup(network);
    Value y = (Value) b.lookup(network);
    if (x == y) {
      return true;
    }
    Increment i = increments.get(x);
    Increment j = increments.get(y);
    if (i != null && j != null && i.pre() == j.pre() && i.pre() == lastNet && lastContents != null) {
      return newKeys(i).equals(newKeys(j));
    }
    return fingerprint(x) == fingerprint(y);
  }

  /** The keys of the messages an increment adds that its predecessor's network lacked. */
  private Set<List<Object>> newKeys(Increment inc) {
    Set<List<Object>> out = new java.util.HashSet<>();
    for (Held h : inc.added()) {
      List<Object> k = Contents.key(h);
      if (!lastContents.copies.containsKey(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /** The fingerprint of the values of {@code vars} in {@code s}. */
  private static long fingerprint(TLCState s, List<UniqueString> vars) {
    long fp = FP64.New();
    for (UniqueString v : vars) {
      fp = ((Value) s.lookup(v)).fingerPrint(fp);
    }
    return fp;
  }

  /**
   * Whether {@code a} and {@code b} are surely the same value: the same object, or functions,
   * records and tuples whose parts are, or equal by TLC. False when TLC cannot compare them,
   * which costs only an evaluation that was not needed.
   */
  static boolean same(Value a, Value b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof FcnRcdValue f && b instanceof FcnRcdValue g && f.values.length == g.values.length
        && (f.domain == g.domain || (f.domain != null && g.domain != null && sameParts(f.domain, g.domain)))
        && (f.intv == g.intv || (f.intv != null && g.intv != null && f.intv.low == g.intv.low
            && f.intv.high == g.intv.high))) {
      return sameParts(f.values, g.values);
    }
    if (a instanceof RecordValue r && b instanceof RecordValue q && r.names.length == q.names.length) {
      for (int i = 0; i < r.names.length; i++) {
        if (r.names[i] != q.names[i]) {
          return equal(a, b);
        }
      }
      return sameParts(r.values, q.values);
    }
    if (a instanceof TupleValue x && b instanceof TupleValue y && x.elems.length == y.elems.length) {
      return sameParts(x.elems, y.elems);
    }
    return equal(a, b);
  }

  private static boolean sameParts(Value[] a, Value[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!same(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean equal(Value a, Value b) {
    try {
      return a.equals(b);
    } catch (RuntimeException incomparable) {
      return false;
    }
  }

  /** A value's fingerprint, for comparing values regardless of their representation. */
  private static long fingerprint(Value v) {
    return v.normalize().fingerPrint(FP64.New());
  }

  /**
   * Readies this class loader's TLC for a spec: what it prints (parse errors among it) goes to
   * the buffer returned, and fingerprints are initialised (TLC-NOTES: else every one is 0).
   */
  static ByteArrayOutputStream captureToolOutput() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    ToolIO.out = capture;
    ToolIO.err = capture;
    FP64.Init(0);
    return captured;
  }

  private static Action action(OpDefNode def, Context ctx) {
    Action a = new Action(def.getBody(), ctx, def);
    a.cm = CostModel.DO_NOT_RECORD;
    return a;
  }

  @Override
  public int frontier() {
    return frontier.size();
  }

  @Override
  public void restart() {
    frontier = new ArrayList<>(initial);
    initialChecked = false;
    lastNet = null;
    lastContents = null;
    increments.clear();
  }

  @Override
  public Divergence step(TraceEvent e) throws TraceException {
    lastEvent = e;
    String name = e.action();
    Map<String, Object> params = e.params();
    if (!e.isAction()) {
      ConformanceSpec.FaultAction fa = spec.faults().get(e.fault());
      if (fa == null || fa.action() == null) {
        return null; // a fault that changes nothing the spec holds (TraceClaims checked the rest)
      }
      name = fa.action();
      params = faultParams(fa, e);
    }
    OpDefNode def = actions.get(name);
    if (def == null) {
      throw new TraceException(e.where() + ": unknown action '" + name + "' (the actions of " + spec.module()
          + "'s " + spec.next() + ": " + String.join(", ", actions.keySet()) + ")");
    }
    Context ctx = bind(def, name, params, e);
    Action action = action(def, ctx);
    if (!initialChecked) {
      initialChecked = true;
      for (TLCState s : frontier) {
        String inv = violatedInvariant(null, s, e);
        if (inv != null) {
          return new Divergence(e.where(), e.seq(), e.node(), name, params, false, frontier.size(), List.of(),
              s.toString().strip(), "the spec's invariant " + inv + " is violated in an initial state (shown)");
        }
      }
    }
    TLCState bad = expandSilent(e);
    if (bad != null) {
      return new Divergence(e.where(), e.seq(), e.node(), name, params, false, frontier.size(), List.of(),
          bad.toString().strip(), "the spec's invariant " + violatedInvariant(null, bad, e) + " is violated in a state"
          + " that silent actions reach before this event (shown)");
    }
    Set<List<Long>> allowed = domains.get(name);
    if (allowed != null) {
      List<Long> tuple = new ArrayList<>();
      for (FormalParamNode f : def.getParams()) {
        tuple.add(fingerprint((Value) ctx.lookup(f)));
      }
      if (!allowed.contains(tuple)) {
        // Next has no disjunct for these parameters: the action cannot happen with them.
        TLCState pre = frontier.isEmpty() ? null : frontier.get(0);
        return new Divergence(e.where(), e.seq(), e.node(), name, params, false, frontier.size(), List.of(),
            pre == null ? "" : pre.toString().strip(), name + " with these parameters is no step of " + spec.next()
            + ": they are outside the sets it quantifies over");
      }
    }
    Expected expected = expected(e);
    increments.clear();
    List<TLCState> next = new ArrayList<>(2);
    List<TLCState> pres = new ArrayList<>(2);
    boolean enabled = false;
    List<Divergence.Mismatch> closest = null;
    TLCState closestPre = null;
    for (TLCState s : frontier) {
      StateVec succ;
      try {
        succ = tool.getNextStates(action, s);
      } catch (RuntimeException ex) {
        return new Divergence(e.where(), e.seq(), e.node(), name, params, false, frontier.size(), List.of(),
            s.toString().strip(), "TLC cannot evaluate " + name + " with the logged parameters " + json(params)
            + ": " + oneLine(ex));
      }
      for (int i = 0; i < succ.size(); i++) {
        TLCState t = succ.elementAt(i);
        if (!t.allAssigned()) {
          throw new TraceException(e.where() + ": " + name + " leaves variables unassigned in "
              + spec.module() + ": " + t.getUnassigned());
        }
        enabled = true;
        List<Divergence.Mismatch> m = mismatches(s, t, e, expected);
        if (m.isEmpty()) {
          next.add(t);
          pres.add(s);
        } else if (closest == null || m.size() < closest.size()) {
          closest = m;
          closestPre = s;
        }
      }
    }
    if (next.isEmpty()) {
      TLCState pre = closestPre != null ? closestPre : frontier.get(0);
      return new Divergence(e.where(), e.seq(), e.node(), name, params, enabled, frontier.size(),
          closest == null ? List.of() : closest, pre.toString().strip());
    }
    // Fingerprints cost more than the step itself on large states: deduplicate only when
    // several states agree (a single candidate with a single agreeing successor is the rule),
    // and first by their parts, which successors of one state mostly share (two disjuncts of an
    // action that are both enabled and do the same thing), before any fingerprint is taken.
    if (next.size() > 1) {
      List<TLCState> ts = new ArrayList<>(next.size());
      List<TLCState> ss = new ArrayList<>(next.size());
      List<Long> fps = new ArrayList<>(next.size()); // taken when first needed
      boolean few = next.size() <= 8; // compared pairwise by their parts; more, by fingerprints
      for (int i = 0; i < next.size(); i++) {
        TLCState t = next.get(i);
        boolean seen = false;
        for (int k = 0; few && k < ts.size() && !seen; k++) {
          seen = sameBesideNetwork(ts.get(k), t) && sameNetwork(ts.get(k), t);
        }
        Long fp = null;
        if (!seen && !ts.isEmpty()) {
          fp = fingerprintBesideNetwork(t);
          for (int k = 0; k < ts.size() && !seen; k++) {
            if (fps.get(k) == null) {
              fps.set(k, fingerprintBesideNetwork(ts.get(k)));
            }
            seen = fps.get(k).longValue() == fp && sameNetwork(ts.get(k), t);
          }
        }
        if (!seen) {
          ts.add(t);
          ss.add(pres.get(i));
          fps.add(fp);
        }
      }
      next = ts;
      pres = ss;
    }
    if (next.size() > spec.maxFrontier()) {
      throw new TraceException(e.where() + ": more than " + spec.maxFrontier() + " spec states agree with the trace"
          + " so far; log more variables, or raise maxFrontier in " + ConformanceSpec.FILE);
    }
    // The invariants, on each distinct candidate. TLC, checking the trace as a spec, stops at
    // the first state that violates an invariant; so does the engine, whichever candidate it is.
    for (int i = 0; i < next.size(); i++) {
      String inv = violatedInvariant(pres.get(i), next.get(i), e);
      if (inv != null) {
        return invariantDivergence(e, name, params, inv, next.get(i));
      }
    }
    frontier = next;
    if (next.size() == 1 && network != null) {
      advanceNetwork(next.get(0));
    }
    return null;
  }

  private Divergence invariantDivergence(TraceEvent e, String name, Map<String, Object> params, String inv,
                                        TLCState t) {
    return new Divergence(e.where(), e.seq(), e.node(), name, params, true, frontier.size(), List.of(),
        t.toString().strip(), "the spec's invariant " + inv + " is violated after this event, in the state shown");
  }

  /**
   * The first invariant that {@code t} violates, or null. {@code pre}, when not null, is a state
   * known to satisfy every invariant (t's predecessor in the frontier): a part of an invariant
   * ({@link InvariantParts}) whose variables the step leaves unchanged holds in t as it held in
   * pre, and is not evaluated again; of a part that is a family of instances, only those that
   * read an element of a variable that the step changed are. A long run also revisits the same
   * few states (a TM that crashes and recovers, round after round), so the fingerprints of the
   * variables the invariants read, in states found to satisfy every invariant, are kept, a
   * bounded number of them, and not evaluated again; in a run where that finds almost nothing
   * (logs that grow), the fingerprints are no longer taken.
   */
  private String violatedInvariant(TLCState pre, TLCState t, TraceEvent e) throws TraceException {
    if (checks.isEmpty()) {
      return null;
    }
    List<InvariantCheck> todo = new ArrayList<>(checks.size());
    List<List<Value[]>> instances = new ArrayList<>(checks.size());
    Map<UniqueString, Boolean> unchanged = new java.util.HashMap<>();
    Map<UniqueString, List<Value>> changedKeys = new java.util.HashMap<>();
    for (InvariantCheck c : checks) {
      if (pre == null || c.whole == null) {
        todo.add(c);
        instances.add(null);
        continue;
      }
      boolean holds = true;
      for (int i = 0; holds && i < c.whole.size(); i++) {
        holds = unchanged.computeIfAbsent(c.whole.get(i), k -> same((Value) pre.lookup(k), (Value) t.lookup(k)));
      }
      if (!holds) {
        todo.add(c);
        instances.add(null);
        continue;
      }
      List<List<Value>> changed = new ArrayList<>(c.indexed.size());
      boolean any = false;
      boolean all = false;
      for (UniqueString v : c.indexed) {
        List<Value> keys = unchanged.computeIfAbsent(v, k -> same((Value) pre.lookup(k), (Value) t.lookup(k)))
            ? List.of() : changedKeys.computeIfAbsent(v, k -> changedKeys((Value) pre.lookup(k), (Value) t.lookup(k)));
        all |= keys == null;
        any |= keys == null || !keys.isEmpty();
        changed.add(keys);
      }
      if (all) {
        todo.add(c);
        instances.add(null);
      } else if (any) {
        todo.add(c);
        instances.add(c.instances(changed, t, tool));
      }
    }
    if (todo.isEmpty()) {
      return null;
    }
    Long fp = null;
    if (remember) {
      fp = invariantState == null ? t.fingerPrint() : fingerprint(t, invariantState);
      lookups++;
      if (invariantsHold.contains(fp)) {
        found++;
        return null;
      }
      if (lookups >= 1024 && found * 100 < lookups) {
        remember = false;
        invariantsHold.clear();
      }
    }
    for (int k = 0; k < todo.size(); k++) {
      InvariantCheck c = todo.get(k);
      List<Value[]> some = instances.get(k);
      try {
        if (some == null) {
          if (!holds(c, tool.eval(c.part.expr(), Context.Empty, t))) {
            return c.name;
          }
        } else {
          for (Value[] args : some) {
            Context ctx = Context.Empty;
            for (int i = 0; i < args.length; i++) {
              ctx = ctx.cons(c.part.bound().get(i), args[i]);
            }
            if (!holds(c, tool.eval(c.part.body(), ctx, t))) {
              return c.name;
            }
          }
        }
      } catch (RuntimeException ex) {
        throw new TraceException(e.where() + ": TLC cannot evaluate the invariant " + c.name + " after this event: "
            + oneLine(ex));
      }
    }
    if (fp != null) {
      if (invariantsHold.size() >= MAX_REMEMBERED) {
        invariantsHold.clear();
      }
      invariantsHold.add(fp);
    }
    return null;
  }

  private boolean holds(InvariantCheck c, Object v) throws TraceException {
    if (!(v instanceof BoolValue b)) {
      throw new TraceException(spec.dir().resolve(ConformanceSpec.FILE) + ": invariant " + c.name
          + " is not a boolean: " + v);
    }
    return b.getVal();
  }

  /**
   * The arguments at which function {@code post} differs from function {@code pre}, both over
   * one domain; null when they are not such functions (then everything may have changed).
   */
  private static List<Value> changedKeys(Value pre, Value post) {
    try {
      FcnRcdValue f = (FcnRcdValue) pre.toFcnRcd();
      FcnRcdValue g = (FcnRcdValue) post.toFcnRcd();
      if (f == null || g == null || f.values.length != g.values.length) {
        return null;
      }
      List<Value> out = new ArrayList<>(1);
      if (f.intv != null && (g.intv == null || f.intv.low != g.intv.low || f.intv.high != g.intv.high)) {
        return null;
      }
      for (int i = 0; i < f.values.length; i++) {
        Value key = domain(f, i);
        int j = f.intv != null || f.domain == g.domain ? i : indexOf(g, key);
        if (j < 0) {
          return null;
        }
        if (!same(f.values[i], g.values[j])) {
          out.add(key);
        }
      }
      return out;
    } catch (RuntimeException notFunctions) {
      return null;
    }
  }

  /** One part of one invariant, with the state variables it reads resolved. */
  private static final class InvariantCheck {
    final String name;
    final InvariantParts.Part part;
    /** The variables it reads whole, or null when its value may depend on more. */
    final List<UniqueString> whole;
    /** The variables it reads at elements, and at the elements of which bound variables. */
    final List<UniqueString> indexed;
    final List<java.util.BitSet> at;
    /** The elements of each bound variable's set, when first needed. */
    private Value[][] sets;

    InvariantCheck(String name, InvariantParts.Part part, Map<String, UniqueString> variables) {
      this.name = name;
      this.part = part;
      this.whole = part.whole() == null ? null
          : part.whole().stream().filter(variables::containsKey).map(variables::get).toList();
      List<UniqueString> vs = new ArrayList<>();
      List<java.util.BitSet> bs = new ArrayList<>();
      part.indexed().forEach((v, b) -> {
        if (variables.containsKey(v)) {
          vs.add(variables.get(v));
          bs.add(b);
        }
      });
      this.indexed = List.copyOf(vs);
      this.at = List.copyOf(bs);
    }

    /** Every variable it reads, or null. */
    List<UniqueString> reads() {
      if (whole == null) {
        return null;
      }
      List<UniqueString> out = new ArrayList<>(whole);
      out.addAll(indexed);
      return out;
    }

    /** The instances that read an element in {@code changed} (per variable of {@code indexed}). */
    List<Value[]> instances(List<List<Value>> changed, TLCState t, FastTool tool) {
      int k = part.bound().size();
      if (sets == null) {
        sets = new Value[k][];
        for (int i = 0; i < k; i++) {
          SetEnumValue s = (SetEnumValue) ((Value) tool.eval(part.bounds().get(i), Context.Empty, t)).toSetEnum();
          sets[i] = new Value[s.elems.size()];
          s.elems.copyInto(sets[i]);
        }
      }
      List<Value[]> out = new ArrayList<>();
      int[] odometer = new int[k];
      while (true) {
        Value[] args = new Value[k];
        for (int i = 0; i < k; i++) {
          args[i] = sets[i][odometer[i]];
        }
        if (reads(args, changed)) {
          out.add(args);
        }
        int i = k - 1;
        while (i >= 0 && ++odometer[i] == sets[i].length) {
          odometer[i--] = 0;
        }
        if (i < 0) {
          return out;
        }
      }
    }

    private boolean reads(Value[] args, List<List<Value>> changed) {
      for (int v = 0; v < indexed.size(); v++) {
        List<Value> keys = changed.get(v);
        java.util.BitSet positions = at.get(v);
        for (int p = positions.nextSetBit(0); p >= 0 && !keys.isEmpty(); p = positions.nextSetBit(p + 1)) {
          for (Value key : keys) {
            if (key.equals(args[p])) {
              return true;
            }
          }
        }
      }
      return false;
    }
  }

  /** The parameters of the spec action that fault event {@code e} stands for, from its fields. */
  private static Map<String, Object> faultParams(ConformanceSpec.FaultAction fa, TraceEvent e) throws TraceException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : fa.params().entrySet()) {
      Object v = e.field(p.getValue(), "parameter " + p.getKey() + " of " + fa.action());
      out.put(p.getKey(), v);
    }
    return out;
  }

  /**
   * How an event says the network changes: the messages its action adds (its {@code sent}, from
   * its node) and the one it takes away (its {@code recv}, or the message a loss fault loses).
   */
  private record Expected(List<Envelope> added, Envelope consumed) {}

  /** A message on a link, as the trace names it: JSON. */
  private record Envelope(String from, String to, Object msg) {}

  private Expected expected(TraceEvent e) {
    if (!e.isAction()) {
      Envelope env = e.msg() == null ? null : new Envelope(e.from(), e.to(), e.msg());
      if (e.losesCopy()) {
        return new Expected(List.of(), env);
      }
      return new Expected(e.addsCopy() && env != null ? List.of(env) : List.of(), null);
    }
    List<Envelope> added = new ArrayList<>(e.sent().size());
    for (Map<String, Object> s : e.sent()) {
      added.add(new Envelope(e.node(), (String) s.get("to"), s.get("msg")));
    }
    return new Expected(added, e.recv() == null ? null : new Envelope(e.recvFrom(), e.node(), e.recv()));
  }

  /** Binds the logged parameters to the action's formal parameters, by name. */
  private Context bind(OpDefNode def, String name, Map<String, Object> params, TraceEvent e) throws TraceException {
    FormalParamNode[] formals = def.getParams();
    List<String> names = new ArrayList<>();
    for (FormalParamNode f : formals) {
      names.add(f.getName().toString());
    }
    if (!new TreeSet<>(names).equals(new TreeSet<>(params.keySet()))) {
      throw new TraceException(e.where() + ": action " + name + " takes parameters (" + String.join(", ", names)
          + "), the event gives (" + String.join(", ", params.keySet()) + ")");
    }
    Context ctx = Context.Empty;
    for (FormalParamNode f : formals) {
      String p = f.getName().toString();
      ctx = ctx.cons(f, value(params.get(p), p, e));
    }
    return ctx;
  }

  /**
   * Adds every state that any number of silent steps reach from the frontier: their closure,
   * as the TLC trace specification allows (bounded by maxFrontier).
   */
  private TLCState expandSilent(TraceEvent e) throws TraceException {
    if (silent.isEmpty()) {
      return null;
    }
    Map<Long, TLCState> all = new LinkedHashMap<>();
    for (TLCState s : frontier) {
      all.putIfAbsent(s.fingerPrint(), s);
    }
    List<TLCState> todo = new ArrayList<>(all.values());
    while (!todo.isEmpty()) {
      List<TLCState> found = new ArrayList<>();
      for (TLCState s : todo) {
        for (Action a : silent) {
          StateVec succ = tool.getNextStates(a, s);
          for (int i = 0; i < succ.size(); i++) {
            TLCState t = succ.elementAt(i);
            if (all.putIfAbsent(t.fingerPrint(), t) == null) {
              if (violatedInvariant(s, t, e) != null) {
                return t;
              }
              found.add(t);
            }
          }
        }
      }
      if (all.size() > spec.maxFrontier()) {
        throw new TraceException(e.where() + ": silent actions reach more than " + spec.maxFrontier()
            + " candidate states; raise maxFrontier in " + ConformanceSpec.FILE);
      }
      todo = found;
    }
    frontier = new ArrayList<>(all.values());
    return null;
  }

  /** A logged JSON value as a TLC value (arrays are sets unless conformance.json says sequences). */
  private Value value(Object json, String name, TraceEvent e) throws TraceException {
    String tag = TraceEvent.tag(json);
    if (tag != null) {
      Object items = ((Map<?, ?>) json).get(tag);
      switch (tag) {
        case "$set", "$seq" -> {
          List<?> l = (List<?>) items;
          Value[] vs = new Value[l.size()];
          for (int i = 0; i < vs.length; i++) {
            vs[i] = value(l.get(i), name, e);
          }
          return tag.equals("$seq") ? new TupleValue(vs) : new SetEnumValue(vs, false);
        }
        case "$fn", "$bag" -> {
          List<?> l = (List<?>) items;
          Value[] dom = new Value[l.size()];
          Value[] vs = new Value[l.size()];
          for (int i = 0; i < vs.length; i++) {
            List<?> pair = (List<?>) l.get(i);
            dom[i] = value(pair.get(0), name, e);
            vs[i] = value(pair.get(1), name, e);
          }
          return new FcnRcdValue(dom, vs, false).normalize();
        }
        default -> throw new TraceException(e.where() + ": " + name + ": an update in place (" + json(json)
            + ") is the value of a variable only");
      }
    }
    if (json instanceof String s) {
      return new StringValue(s);
    } else if (json instanceof Long n) {
      if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
        throw new TraceException(e.where() + ": " + name + " = " + n + " is beyond TLC's integers");
      }
      return IntValue.gen(n.intValue());
    } else if (json instanceof Boolean b) {
      return b ? BoolValue.ValTrue : BoolValue.ValFalse;
    } else if (json instanceof List<?> l) {
      Value[] vs = new Value[l.size()];
      for (int i = 0; i < vs.length; i++) {
        vs[i] = value(l.get(i), name, e);
      }
      return spec.sequences().contains(name) ? new TupleValue(vs) : new SetEnumValue(vs, false);
    } else if (json instanceof Map<?, ?> m) {
      UniqueString[] names = new UniqueString[m.size()];
      Value[] vs = new Value[m.size()];
      int i = 0;
      for (Map.Entry<?, ?> en : m.entrySet()) {
        names[i] = UniqueString.uniqueStringOf(en.getKey().toString());
        vs[i++] = value(en.getValue(), en.getKey().toString(), e);
      }
      return new RecordValue(names, vs, false);
    }
    throw new TraceException(e.where() + ": " + name + " has no TLA+ counterpart");
  }

  /**
   * Each logged value that differs from {@code t}'s, and each way in which the step from
   * {@code s} to {@code t} changes the network otherwise than the event says.
   */
  private List<Divergence.Mismatch> mismatches(TLCState s, TLCState t, TraceEvent e, Expected x)
      throws TraceException {
    List<Divergence.Mismatch> out = new ArrayList<>();
    for (Map.Entry<String, Object> v : e.vars().entrySet()) {
      String name = v.getKey();
      Value spec = (Value) t.lookup(variables.get(name));
      if ("indexed".equals(header.variables().get(name))) {
        Map<?, ?> entries = (Map<?, ?>) v.getValue();
        for (Map.Entry<?, ?> en : entries.entrySet()) {
          String index = en.getKey().toString();
          Value at = apply(spec, index);
          if (at == null) {
            throw new TraceException(e.where() + ": " + name + " is logged as indexed, but the spec's " + name
                + " has no entry \"" + index + "\": " + spec);
          }
          if ("$update".equals(TraceEvent.tag(en.getValue()))) {
            Divergence.Mismatch m = updateMismatch(name, index, apply((Value) s.lookup(variables.get(name)), index),
                at, (Map<?, ?>) en.getValue(), e);
            if (m != null) {
              out.add(m);
            }
          } else if (!agrees(at, en.getValue())) {
            out.add(mismatch(name, index, at, en.getValue()));
          }
        }
      } else if ("$update".equals(TraceEvent.tag(v.getValue()))) {
        Divergence.Mismatch m = updateMismatch(name, null, (Value) s.lookup(variables.get(name)), spec,
            (Map<?, ?>) v.getValue(), e);
        if (m != null) {
          out.add(m);
        }
      } else {
        if (!agrees(spec, v.getValue())) {
          out.add(mismatch(name, null, spec, v.getValue()));
        }
      }
    }
    out.addAll(networkMismatches(s, t, x, e));
    return out;
  }

  /**
   * How an update in place disagrees with the step, or null when it agrees: the variable's
   * value after the step must be its value before ({@code pre}, the spec's) changed as the
   * update says. Costs O(1) per entry that the update keeps, compared by reference first (the
   * spec's own Append and EXCEPT share them), and one comparison per entry it sets.
   */
  private Divergence.Mismatch updateMismatch(String name, String index, Value pre, Value post, Map<?, ?> update,
                                             TraceEvent e) throws TraceException {
    if (pre == null || post == null) {
      return new Divergence.Mismatch(name, index, String.valueOf(post), json(update));
    }
    if (update.containsKey("$append") || update.containsKey("$truncate")) {
      return sequenceMismatch(name, index, pre, post, update);
    }
    return functionMismatch(name, index, pre, post, update, e);
  }

  private Divergence.Mismatch sequenceMismatch(String name, String index, Value pre, Value post, Map<?, ?> update) {
    Value pt = pre instanceof TupleValue ? pre : pre.toTuple();
    Value qt = post instanceof TupleValue ? post : post.toTuple();
    if (!(pt instanceof TupleValue p)) {
      return new Divergence.Mismatch(name, index, "before the event " + shortly(pre) + ", no sequence to update",
          json(update));
    }
    if (!(qt instanceof TupleValue q)) {
      return new Divergence.Mismatch(name, index, shortly(post) + " (not a sequence)", json(update));
    }
    Value[] a = p.elems;
    Value[] b = q.elems;
    int n = update.containsKey("$truncate") ? (int) Math.min((Long) update.get("$truncate"), Integer.MAX_VALUE) : a.length;
    List<?> app = update.containsKey("$append") ? (List<?>) update.get("$append") : List.of();
    if (n > a.length) {
      return new Divergence.Mismatch(name, index, "a sequence of " + a.length + " entries before the event",
          json(update) + ", which truncates it to " + n);
    }
    int prefix = Math.min(n, b.length);
    for (int j = 0; j < prefix; j++) {
      if (b[j] != a[j] && !b[j].equals(a[j])) {
        return new Divergence.Mismatch(name, index, "entry " + (j + 1) + " is " + shortly(b[j]) + " after the event",
            json(update) + ", which keeps entry " + (j + 1) + ", " + shortly(a[j]));
      }
    }
    boolean same = b.length == n + app.size();
    for (int j = 0; same && j < app.size(); j++) {
      same = agrees(b[n + j], app.get(j));
    }
    if (same) {
      return null;
    }
    StringBuilder tail = new StringBuilder("<<");
    for (int j = n; j < b.length && j < n + 10; j++) {
      tail.append(j == n ? "" : ", ").append(b[j]);
    }
    tail.append(b.length > n + 10 ? ", ...>>" : ">>");
    String kept = n == 0 ? "" : "the first " + n + " entries, then ";
    return new Divergence.Mismatch(name, index, kept + tail + " (" + b.length + " entries)",
        kept + json(app) + " (" + (n + app.size()) + " entries): " + json(update));
  }

  private Divergence.Mismatch functionMismatch(String name, String index, Value pre, Value post, Map<?, ?> update,
                                               TraceEvent e) throws TraceException {
    Value pv = pre instanceof FcnRcdValue ? pre : pre.toFcnRcd();
    Value qv = post instanceof FcnRcdValue ? post : post.toFcnRcd();
    if (!(pv instanceof FcnRcdValue f)) {
      return new Divergence.Mismatch(name, index, "before the event " + shortly(pre) + ", no function to update",
          json(update));
    }
    if (!(qv instanceof FcnRcdValue g)) {
      return new Divergence.Mismatch(name, index, shortly(post) + " (not a function)", json(update));
    }
    List<?> puts = update.containsKey("$put") ? (List<?>) update.get("$put") : List.of();
    List<?> removes = update.containsKey("$remove") ? (List<?>) update.get("$remove") : List.of();
    Set<Integer> set = new java.util.HashSet<>();
    int size = f.domain == null ? f.values.length : f.domain.length;
    for (Object o : puts) {
      List<?> pair = (List<?>) o;
      Value k = value(pair.get(0), name, e);
      int at = indexOf(g, k);
      if (at < 0) {
        return new Divergence.Mismatch(name, index, "no entry " + shortly(k) + " after the event",
            "entry " + json(pair.get(0)) + " set to " + json(pair.get(1)));
      }
      if (!agrees(g.values[at], pair.get(1))) {
        return new Divergence.Mismatch(name, index, "entry " + shortly(k) + " is " + shortly(g.values[at])
            + " after the event", "entry " + json(pair.get(0)) + " set to " + json(pair.get(1)));
      }
      set.add(at);
      size += indexOf(f, k) < 0 ? 1 : 0;
    }
    for (Object o : removes) {
      Value k = value(o, name, e);
      if (indexOf(g, k) >= 0) {
        return new Divergence.Mismatch(name, index, "entry " + shortly(k) + " is still there after the event",
            "entry " + json(o) + " removed");
      }
      size -= indexOf(f, k) >= 0 ? 1 : 0;
    }
    int gsize = g.domain == null ? g.values.length : g.domain.length;
    if (gsize != size) {
      return new Divergence.Mismatch(name, index, gsize + " entries after the event", size + " entries: " + json(update));
    }
    boolean sameDomain = f.domain == g.domain || (f.intv != null && g.intv != null && f.intv.low == g.intv.low
        && f.intv.high == g.intv.high);
    for (int i = 0; i < g.values.length; i++) {
      if (set.contains(i)) {
        continue;
      }
      int j = sameDomain || (f.domain != null && g.domain != null && i < f.domain.length && f.domain[i] == g.domain[i])
          ? i : indexOf(f, domain(g, i));
      if (j < 0 || j >= f.values.length || (g.values[i] != f.values[j] && !g.values[i].equals(f.values[j]))) {
        Value k = domain(g, i);
        return new Divergence.Mismatch(name, index, "entry " + shortly(k) + " is " + shortly(g.values[i])
            + " after the event", (j < 0 ? "no such entry" : "entry " + shortly(k) + " kept, " + shortly(f.values[j]))
            + ": " + json(update));
      }
    }
    return null;
  }

  /** The index of {@code key} in {@code f}'s domain, or -1: by arithmetic, binary search or scan. */
  private static int indexOf(FcnRcdValue f, Value key) {
    if (f.intv != null) {
      if (!(key instanceof IntValue i) || i.val < f.intv.low || i.val > f.intv.high) {
        return -1;
      }
      return i.val - f.intv.low;
    }
    if (f.isNormalized()) {
      try {
        int lo = 0;
        int hi = f.domain.length - 1;
        while (lo <= hi) {
          int mid = (lo + hi) >>> 1;
          int c = f.domain[mid].compareTo(key);
          if (c == 0) {
            return mid;
          } else if (c < 0) {
            lo = mid + 1;
          } else {
            hi = mid - 1;
          }
        }
        return -1;
      } catch (RuntimeException incomparable) {
        // values of different kinds: TLC cannot order them; fall back to a scan
      }
    }
    for (int i = 0; i < f.domain.length; i++) {
      try {
        if (f.domain[i].equals(key)) {
          return i;
        }
      } catch (RuntimeException incomparable) {
        // not this one
      }
    }
    return -1;
  }

  /** A value as text, cut short when long (a 10^5-entry log). */
  private static String shortly(Value v) {
    String s = String.valueOf(v);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /** A message the spec's network holds: its link (null ends where the spec does not say) and its value. */
  private record Held(String from, String to, Value msg) {
    boolean names(Envelope x) {
      return (from == null || from.equals(x.from())) && (to == null || to.equals(x.to())) && agrees(msg, x.msg());
    }

    @Override
    public String toString() {
      return (from == null ? "" : from + " -> " + to + ": ") + msg;
    }
  }

  /** A network's contents: each message held, with its number of copies. */
  private static final class Contents {
    final Map<List<Object>, Held> held = new LinkedHashMap<>();
    final Map<List<Object>, Integer> copies = new LinkedHashMap<>();

    static List<Object> key(Held h) {
      return java.util.Arrays.asList(h.from(), h.to(), fingerprint(h.msg()));
    }

    /** The keys of the messages of each link (one list, for a network of bare messages), in order. */
    final Map<List<String>, List<List<Object>>> byLink = new java.util.HashMap<>();

    /** The network's element that holds each message, where the network is a set. */
    final Map<List<Object>, Value> elements = new java.util.HashMap<>();

    void add(Held h, int n) {
      add(h, n, null);
    }

    void add(Held h, int n, Value element) {
      List<Object> k = key(h);
      if (held.putIfAbsent(k, h) == null) {
        byLink.computeIfAbsent(java.util.Arrays.asList(h.from(), h.to()), l -> new ArrayList<>()).add(k);
      }
      copies.merge(k, n, Integer::sum);
      if (element != null) {
        elements.putIfAbsent(k, element);
      }
    }

    /** Forgets the message of key {@code k}. */
    void remove(List<Object> k) {
      Held h = held.remove(k);
      copies.remove(k);
      elements.remove(k);
      if (h != null) {
        List<List<Object>> link = byLink.get(java.util.Arrays.asList(h.from(), h.to()));
        if (link != null) {
          link.remove(k);
        }
      }
    }

    /**
     * The key of a message that {@code x} names, held a number of times that {@code count}
     * accepts; found by the fingerprint of the logged message read as a TLC value when that
     * reading is the spec's, else by a scan.
     */
    List<Object> find(Envelope x, java.util.function.IntPredicate count, TlcStepChecker checker, TraceEvent e) {
      List<Object> k = checker.keyOf(x, e);
      if (k != null) {
        Held h = held.get(k);
        if (h != null && count.test(copies.getOrDefault(k, 0)) && h.names(x)) {
          return k;
        }
      }
      return find(x, count);
    }

    /**
     * The first message, in the order added, that {@code x} names. Only the messages of x's
     * link can be named by it (a message of a network of bare messages has no link: all of them
     * are on the one list).
     */
    List<Object> find(Envelope x, java.util.function.IntPredicate count) {
      List<List<Object>> link = byLink.get(java.util.Arrays.asList(x.from(), x.to()));
      List<List<Object>> bare = byLink.get(java.util.Arrays.asList((String) null, null));
      for (List<List<Object>> keys : java.util.Arrays.asList(link, bare)) {
        if (keys == null) {
          continue;
        }
        for (List<Object> k : keys) {
          if (count.test(copies.getOrDefault(k, 0)) && held.get(k).names(x)) {
            return k;
          }
        }
      }
      return null;
    }
  }

  /**
   * How the step from {@code s} to {@code t} changes the network otherwise than the event says:
   * exactly the messages it sends are added (a network that holds each message once may hold a
   * resent one already), and the one it receives was in transit before and, where receipts
   * consume, is taken away; nothing else changes.
   */
  private List<Divergence.Mismatch> networkMismatches(TLCState s, TLCState t, Expected x, TraceEvent e)
      throws TraceException {
    List<Divergence.Mismatch> out = new ArrayList<>();
    if (network == null) {
      if (!x.added().isEmpty() || x.consumed() != null) {
        out.add(new Divergence.Mismatch("(network)", null, "no messages: " + ConformanceSpec.FILE
            + " declares no network", "a message sent or received"));
      }
      return out;
    }
    String var = spec.network().variable();
    Value pre = (Value) s.lookup(network);
    Value post = (Value) t.lookup(network);
    if (x.added().isEmpty() && x.consumed() == null && pre == post) {
      return out;
    }
    if (!spec.network().consumes() && spec.network().shape().equals("set")) {
      Value added = increment(pre, post);
      if (added != null) {
        return keptSetMismatches(pre, post, added, x, e);
      }
    }
    if (x.added().isEmpty() && x.consumed() == null && (pre == post || fingerprint(pre) == fingerprint(post))) {
      return out;
    }
    Contents a = contents(pre, e);
    Contents b = contents(post, e);
    if (!spec.network().consumes() && spec.network().shape().equals("set")) {
      if (x.consumed() != null && a.find(x.consumed(), n -> n > 0) == null) {
        out.add(new Divergence.Mismatch(var, null, "no such message in transit before the event", received(x)));
      }
      for (Map.Entry<List<Object>, Held> h : a.held.entrySet()) {
        if (!b.copies.containsKey(h.getKey())) {
          out.add(new Divergence.Mismatch(var, null, h.getValue() + " taken away", "nothing taken away"));
        }
      }
      for (Envelope env : x.added()) {
        if (b.find(env, n -> n > 0) == null) {
          out.add(new Divergence.Mismatch(var, null, "no such message added", sent(env)));
        }
      }
      for (Map.Entry<List<Object>, Held> h : b.held.entrySet()) {
        if (!a.copies.containsKey(h.getKey()) && x.added().stream().noneMatch(h.getValue()::names)) {
          out.add(new Divergence.Mismatch(var, null, h.getValue() + " added", "no such message in 'sent'"));
        }
      }
      return out;
    }
    Map<List<Object>, Integer> delta = new LinkedHashMap<>(b.copies);
    a.copies.forEach((k, n) -> delta.merge(k, -n, Integer::sum));
    Map<List<Object>, Held> all = new LinkedHashMap<>(a.held);
    all.putAll(b.held);
    for (Envelope env : x.added()) {
      List<Object> k = b.find(env, n -> true);
      if (k != null && delta.getOrDefault(k, 0) > 0) {
        delta.merge(k, -1, Integer::sum);
      } else {
        out.add(new Divergence.Mismatch(var, null, "no such message added", sent(env)));
      }
    }
    if (x.consumed() != null) {
      List<Object> k = a.find(x.consumed(), n -> n > 0);
      if (k == null) {
        out.add(new Divergence.Mismatch(var, null, "no such message in transit before the event", received(x)));
      } else if (delta.getOrDefault(k, 0) < 0) {
        delta.merge(k, 1, Integer::sum);
      } else {
        out.add(new Divergence.Mismatch(var, null, "it left in transit", received(x)));
      }
    }
    delta.forEach((k, n) -> {
      if (n > 0) {
        out.add(new Divergence.Mismatch(var, null, all.get(k) + " added" + (n > 1 ? " (" + n + " copies)" : ""),
            "no such message in 'sent'"));
      } else if (n < 0) {
        out.add(new Divergence.Mismatch(var, null, all.get(k) + " taken away" + (n < -1 ? " (" + -n + " copies)" : ""),
            e.isAction() ? "no such message in 'recv'" : "no such message lost"));
      }
    });
    return out;
  }

  /**
   * The set that {@code post} adds to {@code pre}, when TLC built it so: {@code pre} itself (an
   * empty increment); {@code pre \cup S} as TLC enumerates it, the elements of {@code pre}, the
   * same objects in the same order, followed by those of S that it lacks; or {@code pre \cup S}
   * kept as the pair of its operands. Null otherwise: the network is then compared in full.
   * The first is found in constant time, the second in one pass of reference comparisons (no
   * value is read), the third in the size of S.
   */
  private static Value increment(Value pre, Value post) {
    if (post == pre) {
      return new SetEnumValue(new Value[0], true);
    }
    if (post instanceof SetEnumValue q && pre instanceof SetEnumValue p) {
      int n = p.elems.size();
      int m = q.elems.size();
      if (m < n || m - n > INCREMENT) {
        return null;
      }
      boolean prefix = true;
      for (int i = n - 1; i >= 0 && prefix; i--) {
        prefix = q.elems.elementAt(i) == p.elems.elementAt(i);
      }
      if (prefix) {
        Value[] added = new Value[m - n];
        for (int i = n; i < m; i++) {
          added[i - n] = q.elems.elementAt(i);
        }
        return new SetEnumValue(added, false);
      }
      if (p.isNormalized() && q.isNormalized()) {
        return mergedIncrement(p, q);
      }
      return null;
    }
    if (post instanceof SetCupValue c) {
      Value other = c.set1 == pre ? c.set2 : c.set2 == pre ? c.set1 : null;
      if (other != null && other.toSetEnum() instanceof SetEnumValue added && added.elems.size() <= INCREMENT) {
        return added;
      }
    }
    return null;
  }

  /**
   * What sorted set {@code q} holds besides the elements of sorted set {@code p}, when it holds
   * each of them as the same object (a successor's set, which TLC built by adding to the
   * predecessor's and sorting): a walk of both in order, comparing by identity, so that a step
   * that adds a message to a large set costs a pass over references, not a fingerprint of every
   * message. Null when an element of {@code p} is not there as itself, or more than
   * {@link #INCREMENT} are added: the caller then compares the sets in full.
   */
  private static Value mergedIncrement(SetEnumValue p, SetEnumValue q) {
    int n = p.elems.size();
    int m = q.elems.size();
    Value[] added = new Value[m - n];
    int k = 0;
    int i = 0;
    for (int j = 0; j < m; j++) {
      Value v = q.elems.elementAt(j);
      if (i < n && p.elems.elementAt(i) == v) {
        i++;
      } else if (k < added.length) {
        added[k++] = v;
      } else {
        return null;
      }
    }
    return i == n && k == added.length ? new SetEnumValue(added, false) : null;
  }

  /** The largest set of messages that one step adds that is checked as an increment. */
  private static final int INCREMENT = 1 << 10;

  /** What a candidate's network adds to its predecessor's: the messages of its increment. */
  private record Increment(Value pre, List<Held> added, List<Value> elements) {}

  /**
   * The check of a network that keeps every message, for a step that adds {@code added} to it
   * ({@link #increment}), in time proportional to the increment: nothing is taken away, by
   * construction; the received message was in transit before; each sent message is in the
   * network after; and each message the step adds that was not there before is one it sends.
   * The same verdicts as the full comparison, which reads both networks whole.
   */
  private List<Divergence.Mismatch> keptSetMismatches(Value pre, Value post, Value added, Expected x, TraceEvent e)
      throws TraceException {
    String var = spec.network().variable();
    List<Divergence.Mismatch> out = new ArrayList<>();
    Contents a = contents(pre, e);
    List<Held> delta = new ArrayList<>();
    List<Value> elements = new ArrayList<>();
    try {
      SetEnumValue set = (SetEnumValue) added;
      for (int i = 0; i < set.elems.size(); i++) {
        delta.add(held(set.elems.elementAt(i)));
        elements.add(set.elems.elementAt(i));
      }
    } catch (ClassCastException | NullPointerException ex) {
      throw new TraceException(spec.dir().resolve(ConformanceSpec.FILE) + ": the network " + var
          + " is declared a set" + (spec.network().packets() ? " of packets" : "") + ", but at " + e.where()
          + " it gets " + oneLine(new RuntimeException(String.valueOf(added))));
    }
    if (x.consumed() != null && a.find(x.consumed(), n -> n > 0, this, e) == null) {
      out.add(new Divergence.Mismatch(var, null, "no such message in transit before the event", received(x)));
    }
    for (Envelope env : x.added()) {
      if (delta.stream().noneMatch(h -> h.names(env)) && a.find(env, n -> n > 0, this, e) == null) {
        out.add(new Divergence.Mismatch(var, null, "no such message added", sent(env)));
      }
    }
    for (Held h : delta) {
      if (!a.copies.containsKey(Contents.key(h)) && x.added().stream().noneMatch(h::names)) {
        out.add(new Divergence.Mismatch(var, null, h + " added", "no such message in 'sent'"));
      }
    }
    if (out.isEmpty()) {
      increments.put(post, new Increment(pre, delta, elements));
    }
    return out;
  }

  /**
   * The network of the one state the frontier now holds. A network that keeps every message is
   * put in TLC's normal form (its elements sorted, each once: the same set), so that TLC tests
   * membership in it by binary search, and adds to it by copying it, rather than by comparing
   * every message; an increment of a network in normal form is merged into it. When the network
   * is an increment of the one last read, the contents read are extended in place rather than
   * read again whole.
   */
  private void advanceNetwork(TLCState t) {
    Value net = (Value) t.lookup(network);
    Increment inc = increments.get(net);
    increments.clear();
    if (!spec.network().consumes() && spec.network().shape().equals("set")) {
      Value normal = normalForm(net, inc);
      if (normal != net) {
        t.bind(network, normal);
      }
      net = normal;
    }
    if (inc == null || inc.pre() != lastNet || lastContents == null) {
      return;
    }
    for (int i = 0; i < inc.added().size(); i++) {
      Held h = inc.added().get(i);
      if (!lastContents.copies.containsKey(Contents.key(h))) {
        lastContents.add(h, 1, inc.elements().get(i));
      }
    }
    lastNet = net;
  }

  private static Value[] elements(SetEnumValue s) {
    Value[] out = new Value[s.elems.size()];
    s.elems.copyInto(out);
    return out;
  }

  /**
   * {@code net} in TLC's normal form for sets: a {@link SetEnumValue} whose elements are sorted
   * by TLC's order, each once. An increment of a set in normal form is merged into it (the
   * increment sorted, its elements found by binary search); anything else is sorted whole.
   * {@code net} itself when it is in normal form already, or TLC cannot order its elements.
   */
  private static Value normalForm(Value net, Increment inc) {
    if (net instanceof SetEnumValue s && s.isNormalized()) {
      return net;
    }
    try {
      Value[] base;
      Value[] added;
      if (inc != null && inc.pre() instanceof SetEnumValue p && p.isNormalized()) {
        base = elements(p);
        Value increment = increment(p, net);
        if (!(increment instanceof SetEnumValue a)) {
          return net;
        }
        added = elements(a);
      } else {
        Value e = net.toSetEnum();
        if (!(e instanceof SetEnumValue all)) {
          return net;
        }
        base = new Value[0];
        added = elements(all);
      }
      Value[] sorted = added.clone();
      java.util.Arrays.sort(sorted, Value::compareTo);
      Value[] merged = new Value[base.length + sorted.length];
      int n = 0;
      int i = 0;
      for (int j = 0; j < sorted.length; j++) {
        Value v = sorted[j];
        if (j > 0 && v.compareTo(sorted[j - 1]) == 0) {
          continue;
        }
        int at = java.util.Arrays.binarySearch(base, i, base.length, v, Value::compareTo);
        int upto = at >= 0 ? at : -at - 1;
        System.arraycopy(base, i, merged, n, upto - i);
        n += upto - i;
        i = upto;
        if (at < 0) {
          merged[n++] = v;
        }
      }
      System.arraycopy(base, i, merged, n, base.length - i);
      n += base.length - i;
      return new SetEnumValue(n == merged.length ? merged : java.util.Arrays.copyOf(merged, n), true);
    } catch (RuntimeException incomparable) {
      return net;
    }
  }

  /**
   * Forgets, in every candidate's network, the messages that no later event can receive (the
   * trace's own account: every copy sent was received or lost), where the spec's actions read
   * the network only so that a network without them allows no step more ({@link NetworkUse}):
   * a network that keeps every message sent then stays the size of what is in transit, however
   * long the trace. The messages are [from, to, msg], msg as logged.
   */
  @Override
  public void noneInTransit(List<List<Object>> messages) {
    if (!forgets || messages.isEmpty() || lastEvent == null) {
      return;
    }
    List<List<Object>> keys = new ArrayList<>(messages.size());
    for (List<Object> m : messages) {
      List<Object> k = keyOf(new Envelope((String) m.get(0), (String) m.get(1), m.get(2)), lastEvent);
      if (k != null) {
        keys.add(k);
      }
    }
    try {
      for (TLCState s : frontier) {
        Value net = (Value) s.lookup(network);
        Contents c = contents(net, lastEvent);
        java.util.Set<Value> drop = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (List<Object> k : keys) {
          Value element = c.elements.get(k);
          if (element != null) {
            drop.add(element);
          }
        }
        if (drop.isEmpty() || !(net instanceof SetEnumValue set)) {
          continue;
        }
        Value[] kept = new Value[set.elems.size() - drop.size()];
        int n = 0;
        for (int i = 0; i < set.elems.size(); i++) {
          Value v = set.elems.elementAt(i);
          if (!drop.contains(v)) {
            if (n == kept.length) {
              n = -1; // an element held twice: leave this network as it is
              break;
            }
            kept[n++] = v;
          }
        }
        if (n != kept.length) {
          continue;
        }
        SetEnumValue smaller = new SetEnumValue(kept, set.isNormalized());
        s.bind(network, smaller);
        if (frontier.size() == 1 && net == lastNet) {
          keys.forEach(lastContents::remove);
          lastNet = smaller;
        } else if (net == lastNet) {
          lastNet = null;
          lastContents = null;
        }
      }
    } catch (TraceException | RuntimeException unreadable) {
      lastNet = null; // the next step reads the network afresh, and reports what is wrong with it
      lastContents = null;
    }
  }

  /** The key a message that {@code x} names would have in a network's contents, or null. */
  private List<Object> keyOf(Envelope x, TraceEvent e) {
    try {
      Value m = value(x.msg(), "msg", e);
      boolean packets = spec.network().packets();
      return java.util.Arrays.asList(packets ? x.from() : null, packets ? x.to() : null, fingerprint(m));
    } catch (TraceException | RuntimeException unreadable) {
      return null;
    }
  }

  private static String sent(Envelope env) {
    return "sent " + json(env.msg()) + " to " + env.to();
  }

  private static String received(Expected x) {
    Envelope c = x.consumed();
    return "received " + json(c.msg()) + " from " + c.from();
  }

  /** The messages in a value of the network variable, read by the shape conformance.json declares. */
  private Contents contents(Value net, TraceEvent e) throws TraceException {
    if (net == lastNet) {
      return lastContents;
    }
    Contents c = new Contents();
    String shape = spec.network().shape();
    try {
      switch (shape) {
        case "set" -> {
          SetEnumValue set = (SetEnumValue) net.toSetEnum();
          for (int i = 0; i < set.elems.size(); i++) {
            c.add(held(set.elems.elementAt(i)), 1, set.elems.elementAt(i));
          }
        }
        case "bag" -> {
          FcnRcdValue f = (FcnRcdValue) net.toFcnRcd();
          for (int i = 0; i < f.values.length; i++) {
            c.add(held(domain(f, i)), ((IntValue) f.values[i]).val);
          }
        }
        default -> {
          FcnRcdValue f = (FcnRcdValue) net.toFcnRcd();
          for (int i = 0; i < f.values.length; i++) {
            FcnRcdValue g = (FcnRcdValue) f.values[i].toFcnRcd();
            for (int j = 0; j < g.values.length; j++) {
              TupleValue q = (TupleValue) g.values[j].toTuple();
              for (Value m : q.elems) {
                c.add(new Held(key(domain(f, i)), key(domain(g, j)), m), 1);
              }
            }
          }
        }
      }
    } catch (ClassCastException | NullPointerException ex) {
      throw new TraceException(spec.dir().resolve(ConformanceSpec.FILE) + ": the network " + spec.network().variable()
          + " is declared a " + shape + (spec.network().packets() ? " of packets" : "") + ", but at " + e.where()
          + " its value is " + oneLine(new RuntimeException(String.valueOf(net))));
    }
    lastNet = net;
    lastContents = c;
    return c;
  }

  private Held held(Value element) {
    if (!spec.network().packets()) {
      return new Held(null, null, element);
    }
    Value from = apply(element, "from");
    Value to = apply(element, "to");
    Value msg = apply(element, "msg");
    if (from == null || to == null || msg == null) {
      throw new ClassCastException("not a packet");
    }
    return new Held(key(from), key(to), msg);
  }

  private static Value domain(FcnRcdValue f, int i) {
    return f.intv != null ? IntValue.gen(f.intv.low + i) : f.domain[i];
  }

  private static Value apply(Value fcn, String index) {
    if (fcn instanceof RecordValue r) {
      return r.select(new StringValue(index));
    }
    Value f = fcn instanceof FcnRcdValue ? fcn : fcn.toFcnRcd();
    if (!(f instanceof FcnRcdValue fr)) {
      return null;
    }
    for (int i = 0; i < fr.domain.length; i++) {
      if (key(fr.domain[i]).equals(index)) {
        return fr.values[i];
      }
    }
    return null;
  }

  /**
   * A logged value that differs from the spec's; when its JSON type cannot be the spec value's
   * type (a string logged for a set), the two types are named. TLC, checking the trace as a
   * spec, cannot even compare such values, and reports that step as the one it cannot take.
   */
  private static Divergence.Mismatch mismatch(String name, String index, Value spec, Object json) {
    String want = kind(spec);
    String tag = TraceEvent.tag(json);
    String got = json instanceof String ? "string" : json instanceof Long ? "integer"
        : json instanceof Boolean ? "boolean" : json instanceof List || "$set".equals(tag) || "$seq".equals(tag)
        ? "array" : "object";
    boolean ok = switch (want) {
      case "string" -> got.equals("string");
      case "integer" -> got.equals("integer");
      case "boolean" -> got.equals("boolean");
      case "set", "sequence" -> got.equals("array");
      case "record", "function" -> got.equals("object") || got.equals("array");
      default -> true;
    };
    return ok ? new Divergence.Mismatch(name, index, spec.toString(), json(json))
        : new Divergence.Mismatch(name, index, spec + " (" + article(want) + ")", json(json) + " (" + article(got)
            + ", which cannot be " + article(want) + ")");
  }

  private static String article(String kind) {
    return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
  }

  private static String kind(Value v) {
    if (v instanceof StringValue || v instanceof ModelValue) {
      return "string";
    } else if (v instanceof IntValue) {
      return "integer";
    } else if (v instanceof BoolValue) {
      return "boolean";
    } else if (v instanceof TupleValue) {
      return "sequence";
    } else if (v instanceof RecordValue) {
      return "record";
    } else if (v instanceof FcnRcdValue) {
      return "function";
    } else if (v.toSetEnum() != null) {
      return "set";
    }
    return "value";
  }

  /** Whether the TLC value {@code v} is the JSON value {@code json}, read by {@code v}'s type. */
  static boolean agrees(Value v, Object json) {
    String tag = TraceEvent.tag(json);
    if (tag != null) {
      Object items = ((Map<?, ?>) json).get(tag);
      switch (tag) {
        case "$seq" -> {
          Value t = v instanceof TupleValue ? v : v.toTuple();
          return t instanceof TupleValue && agrees(t, items);
        }
        case "$set" -> {
          if (v instanceof TupleValue || v instanceof RecordValue || v instanceof FcnRcdValue) {
            return false;
          }
          return v.toSetEnum() instanceof SetEnumValue && agrees(v, items);
        }
        case "$fn", "$bag" -> {
          Value f = v instanceof FcnRcdValue ? v : v.toFcnRcd();
          return f instanceof FcnRcdValue fr && agreesPairs(fr, (List<?>) items);
        }
        default -> {
          return false;
        }
      }
    }
    if (v instanceof StringValue s) {
      return json instanceof String j && s.getVal().toString().equals(j);
    } else if (v instanceof ModelValue) {
      return json instanceof String j && v.toString().equals(j);
    } else if (v instanceof IntValue i) {
      return json instanceof Long j && j == i.val;
    } else if (v instanceof BoolValue b) {
      return json instanceof Boolean j && j == b.getVal();
    } else if (v instanceof TupleValue t) {
      if (!(json instanceof List<?> l) || l.size() != t.elems.length) {
        return false;
      }
      for (int i = 0; i < t.elems.length; i++) {
        if (!agrees(t.elems[i], l.get(i))) {
          return false;
        }
      }
      return true;
    } else if (v instanceof RecordValue r) {
      if (!(json instanceof Map<?, ?> m) || m.size() != r.names.length) {
        return false;
      }
      for (int i = 0; i < r.names.length; i++) {
        Object field = m.get(r.names[i].toString());
        if (field == null || !agrees(r.values[i], field)) {
          return false;
        }
      }
      return true;
    } else if (v instanceof FcnRcdValue f) {
      if (json instanceof List<?> l) {
        Value t = f.toTuple();
        return t instanceof TupleValue && agrees(t, l);
      }
      if (!(json instanceof Map<?, ?> m) || m.size() != f.values.length) {
        return false;
      }
      for (int i = 0; i < f.values.length; i++) {
        Object entry = m.get(key(domain(f, i)));
        if (entry == null || !agrees(f.values[i], entry)) {
          return false;
        }
      }
      return true;
    }
    Value set = v.toSetEnum();
    if (set instanceof SetEnumValue s) {
      if (!(json instanceof List<?> l)) {
        return false;
      }
      int distinct = 0;
      for (int i = 0; i < l.size(); i++) {
        if (!containsAgreeing(s, l.get(i))) {
          return false;
        }
        boolean repeat = false;
        for (int j = 0; j < i && !repeat; j++) {
          repeat = l.get(j).equals(l.get(i));
        }
        distinct += repeat ? 0 : 1;
      }
      return distinct == s.elems.size();
    }
    Value fcn = v.toFcnRcd();
    return fcn != null && fcn != v && agrees(fcn, json);
  }

  /** Whether function {@code f} is exactly the pairs {@code [key, value]}, keys found by agreement. */
  private static boolean agreesPairs(FcnRcdValue f, List<?> pairs) {
    int size = f.domain == null ? f.values.length : f.domain.length;
    if (size != pairs.size()) {
      return false;
    }
    for (Object o : pairs) {
      List<?> pair = (List<?>) o;
      int at = -1;
      if (f.intv != null) {
        if (pair.get(0) instanceof Long k && k >= f.intv.low && k <= f.intv.high) {
          at = (int) (k - f.intv.low);
        }
      } else {
        for (int i = 0; i < f.domain.length && at < 0; i++) {
          if (agrees(f.domain[i], pair.get(0))) {
            at = i;
          }
        }
      }
      if (at < 0 || !agrees(f.values[at], pair.get(1))) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsAgreeing(SetEnumValue s, Object json) {
    for (int i = 0; i < s.elems.size(); i++) {
      if (agrees(s.elems.elementAt(i), json)) {
        return true;
      }
    }
    return false;
  }

  /** A function's domain element as a JSON object key. */
  private static String key(Value d) {
    if (d instanceof StringValue s) {
      return s.getVal().toString();
    }
    return d.toString();
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      return String.valueOf(o);
    }
  }

  private static String oneLine(Throwable t) {
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    return m.strip().replaceAll("\\s*\\n\\s*", " ");
  }

  @Override
  public void close() {
    spectrace.conformance.SpecLoaderAccess.delete(dir);
  }
}
