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
 * value, an indexed one at the acting node's entry) and, when the spec declares
 * {@code sentIn}, every sent message is in that variable. Variables the trace does not log
 * are whatever the spec makes them: the search fills them in. Silent actions (declared in
 * conformance.json) may happen before each event. Successors are deduplicated by fingerprint.
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
  private List<TLCState> frontier = new ArrayList<>();
  private List<TLCState> initial = List.of();

  public TlcStepChecker(ConformanceSpec spec, Header header, Path stdlib) throws TraceException {
    this.spec = spec;
    this.header = header;
    try {
      this.dir = Files.createTempDirectory("spectrace-model-");
      writeModel();
    } catch (IOException e) {
      throw new TraceException("cannot write the model of " + spec.module() + ": " + e.getMessage());
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    ToolIO.out = capture;
    ToolIO.err = capture;
    FP64.Init(0);
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
      StateVec init = tool.getInitStates();
      Map<Long, TLCState> unique = new LinkedHashMap<>();
      for (int i = 0; i < init.size(); i++) {
        unique.putIfAbsent(init.elementAt(i).fingerPrint(), init.elementAt(i));
      }
      initial = List.copyOf(unique.values());
      frontier = new ArrayList<>(initial);
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

  /** A JSON value as a TLA+ expression. */
  private String literal(Object json, String name) throws TraceException {
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

  /** A value's fingerprint, for comparing values regardless of their representation. */
  private static long fingerprint(Value v) {
    return v.normalize().fingerPrint(FP64.New());
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
  }

  @Override
  public Divergence step(TraceEvent e) throws TraceException {
    if (!e.isAction()) {
      return null;
    }
    OpDefNode def = actions.get(e.action());
    if (def == null) {
      throw new TraceException(e.where() + ": unknown action '" + e.action() + "' (the actions of " + spec.module()
          + "'s " + spec.next() + ": " + String.join(", ", actions.keySet()) + ")");
    }
    Context ctx = bind(def, e);
    Action action = action(def, ctx);
    expandSilent(e);
    Set<List<Long>> allowed = domains.get(e.action());
    if (allowed != null) {
      List<Long> tuple = new ArrayList<>();
      for (FormalParamNode f : def.getParams()) {
        tuple.add(fingerprint((Value) ctx.lookup(f)));
      }
      if (!allowed.contains(tuple)) {
        // Next has no disjunct for these parameters: the action cannot happen with them.
        TLCState pre = frontier.isEmpty() ? null : frontier.get(0);
        return new Divergence(e.where(), e.seq(), e.node(), e.action(), e.params(), false, frontier.size(),
            List.of(), pre == null ? "" : pre.toString().strip());
      }
    }
    List<TLCState> next = new ArrayList<>(2);
    boolean enabled = false;
    List<Divergence.Mismatch> closest = null;
    TLCState closestPre = null;
    for (TLCState s : frontier) {
      StateVec succ;
      try {
        succ = tool.getNextStates(action, s);
      } catch (RuntimeException ex) {
        throw new TraceException(e.where() + ": TLC cannot evaluate " + e.action() + " with the logged parameters "
            + json(e.params()) + ": " + oneLine(ex));
      }
      for (int i = 0; i < succ.size(); i++) {
        TLCState t = succ.elementAt(i);
        if (!t.allAssigned()) {
          throw new TraceException(e.where() + ": " + e.action() + " leaves variables unassigned in "
              + spec.module() + ": " + t.getUnassigned());
        }
        enabled = true;
        List<Divergence.Mismatch> m = mismatches(t, e);
        if (m.isEmpty()) {
          next.add(t);
        } else if (closest == null || m.size() < closest.size()) {
          closest = m;
          closestPre = s;
        }
      }
    }
    if (next.isEmpty()) {
      TLCState pre = closestPre != null ? closestPre : frontier.get(0);
      return new Divergence(e.where(), e.seq(), e.node(), e.action(), e.params(), enabled, frontier.size(),
          closest == null ? List.of() : closest, pre.toString().strip());
    }
    // Fingerprints cost more than the step itself on large states: deduplicate only when
    // several states agree (a single candidate with a single agreeing successor is the rule).
    if (next.size() > 1) {
      Map<Long, TLCState> unique = new LinkedHashMap<>();
      for (TLCState t : next) {
        unique.putIfAbsent(t.fingerPrint(), t);
      }
      next = new ArrayList<>(unique.values());
    }
    if (next.size() > spec.maxFrontier()) {
      throw new TraceException(e.where() + ": more than " + spec.maxFrontier() + " spec states agree with the trace"
          + " so far; log more variables, or raise maxFrontier in " + ConformanceSpec.FILE);
    }
    frontier = next;
    return null;
  }

  /**
   * Adds every state that any number of silent steps reach from the frontier: their closure,
   * as the TLC trace specification allows (bounded by maxFrontier).
   */
  private void expandSilent(TraceEvent e) throws TraceException {
    if (silent.isEmpty()) {
      return;
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
  }

  /** Binds the logged parameters to the action's formal parameters, by name. */
  private Context bind(OpDefNode def, TraceEvent e) throws TraceException {
    FormalParamNode[] formals = def.getParams();
    List<String> names = new ArrayList<>();
    for (FormalParamNode f : formals) {
      names.add(f.getName().toString());
    }
    if (!new TreeSet<>(names).equals(new TreeSet<>(e.params().keySet()))) {
      throw new TraceException(e.where() + ": action " + e.action() + " takes parameters (" + String.join(", ", names)
          + "), the event gives (" + String.join(", ", e.params().keySet()) + ")");
    }
    Context ctx = Context.Empty;
    for (FormalParamNode f : formals) {
      String name = f.getName().toString();
      ctx = ctx.cons(f, value(e.params().get(name), name, e));
    }
    return ctx;
  }

  /** A logged JSON value as a TLC value (arrays are sets unless conformance.json says sequences). */
  private Value value(Object json, String name, TraceEvent e) throws TraceException {
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

  /** Each logged value that differs from {@code t}'s (and sent messages missing from sentIn). */
  private List<Divergence.Mismatch> mismatches(TLCState t, TraceEvent e) throws TraceException {
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
          typeCheck(at, en.getValue(), name + "[\"" + index + "\"]", e);
          if (!agrees(at, en.getValue())) {
            out.add(new Divergence.Mismatch(name, index, at.toString(), json(en.getValue())));
          }
        }
      } else {
        typeCheck(spec, v.getValue(), name, e);
        if (!agrees(spec, v.getValue())) {
          out.add(new Divergence.Mismatch(name, null, spec.toString(), json(v.getValue())));
        }
      }
    }
    if (this.spec.sentIn() != null && !e.sent().isEmpty()) {
      Value pool = (Value) t.lookup(variables.get(this.spec.sentIn()));
      Value set = pool == null ? null : pool.toSetEnum();
      for (Map<String, Object> s : e.sent()) {
        if (set == null || !containsAgreeing((SetEnumValue) set, s.get("msg"))) {
          out.add(new Divergence.Mismatch(this.spec.sentIn(), null, "a set holding " + json(s.get("msg")),
              "sent " + json(s.get("msg")) + " to " + s.get("to")));
        }
      }
    }
    return out;
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

  /** A logged value whose JSON type cannot be the spec value's type is bad input, not a divergence. */
  private static void typeCheck(Value spec, Object json, String name, TraceEvent e) throws TraceException {
    String want = kind(spec);
    String got = json instanceof String ? "string" : json instanceof Long ? "integer"
        : json instanceof Boolean ? "boolean" : json instanceof List ? "array" : "object";
    boolean ok = switch (want) {
      case "string" -> got.equals("string");
      case "integer" -> got.equals("integer");
      case "boolean" -> got.equals("boolean");
      case "set", "sequence" -> got.equals("array");
      case "record", "function" -> got.equals("object") || got.equals("array");
      default -> true;
    };
    if (!ok) {
      throw new TraceException(e.where() + ": " + name + " is logged as " + article(got) + ", but in the spec it is "
          + article(want) + " (" + spec + ")");
    }
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
      if (!(json instanceof Map<?, ?> m) || m.size() != f.domain.length) {
        return false;
      }
      for (int i = 0; i < f.domain.length; i++) {
        Object entry = m.get(key(f.domain[i]));
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
