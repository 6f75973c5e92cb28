package spectrace.conformance.tlc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import spectrace.conformance.ConformanceSpec;
import spectrace.conformance.CounterexampleSteps;
import spectrace.conformance.TraceException;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tlc2.tool.Action;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.tool.coverage.CostModel;
import tlc2.tool.impl.FastTool;
import tlc2.util.Context;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import tlc2.value.impl.ValueVec;
import util.SimpleFilenameToStream;
import util.UniqueString;

/**
 * Replays a counterexample through TLC on its model: from the initial state that TLC printed,
 * each next state is found among the successors under the actions of Next (TLC's split of
 * Next, with the parameters it binds over constant sets); a state-dependent existential
 * left in an action ({@code \E m \in MsgsFrom(j, i) : ...}) is bound here, element by
 * element, so that the message a step received is known even where receipts consume nothing.
 * States are compared as TLC prints them, in a canonical form ({@link TlaCanonical}).
 */
public final class TlcCounterexample implements CounterexampleSteps {

  private final ConformanceSpec spec;
  private final FastTool tool;
  private final List<UniqueString> variables = new ArrayList<>();
  private UniqueString network;

  public TlcCounterexample(ConformanceSpec spec, Path dir, String module, String config, Path stdlib)
      throws TraceException {
    this.spec = spec;
    ByteArrayOutputStream captured = TlcStepChecker.captureToolOutput();
    try {
      tool = new FastTool(dir.toString(), module, config, new SimpleFilenameToStream(
          new String[] {dir.toString(), stdlib.toString()}));
    } catch (RuntimeException e) {
      throw new TraceException(dir.resolve(module + ".tla") + ": TLC cannot load the model: "
          + firstLine(captured.toString(StandardCharsets.UTF_8), e));
    }
    for (tla2sany.semantic.OpDeclNode v : tool.getSpecProcessor().getVariablesNodes()) {
      variables.add(v.getName());
      if (spec.network() != null && v.getName().toString().equals(spec.network().variable())) {
        network = v.getName();
      }
    }
  }

  private static String firstLine(String out, RuntimeException e) {
    String text = out.isBlank() ? String.valueOf(e.getMessage()) : out.strip();
    return text.lines().filter(l -> !l.isBlank()).findFirst().orElse(e.toString());
  }

  @Override
  public List<Step> explain(List<Map<String, String>> states, List<String> actions) throws TraceException {
    TLCState current = null;
    for (TLCState s : list(tool.getInitStates())) {
      if (differs(s, states.get(0)) == null) {
        current = s;
        break;
      }
    }
    if (current == null) {
      throw new TraceException("state 1 of the counterexample is none of the model's initial states");
    }
    List<Step> steps = new ArrayList<>();
    for (int k = 1; k < states.size(); k++) {
      Found f = next(current, states.get(k), actions.get(k));
      if (f == null) {
        throw new TraceException("state " + (k + 1) + " of the counterexample is no successor of state " + k
            + " under " + actions.get(k) + (nearest == null ? "" : "; the nearest differs in " + nearest));
      }
      steps.add(step(current, f));
      current = f.state;
    }
    return steps;
  }

  /** A successor found: the state, its action, and the parameters bound on the way. */
  private record Found(TLCState state, Action action, Map<String, Value> bound) {}

  /** For an error: the first variable in which a successor of the named action differs from the state wanted. */
  private String nearest;

  private Found next(TLCState s, Map<String, String> want, String name) {
    nearest = null;
    Found any = null;
    for (Action a : tool.getActions()) {
      Found f = search(a.pred, a.con, a, s, want, new LinkedHashMap<>());
      if (f != null) {
        if (name(a).equals(name)) {
          return f;
        }
        any = any == null ? f : any;
      }
    }
    return any; // TLC may name the action by an inner definition
  }

  /** The successor {@code want} under {@code pred}, binding a leading state-dependent existential. */
  private Found search(SemanticNode pred, Context con, Action owner, TLCState s, Map<String, String> want,
                       Map<String, Value> bound) {
    if (pred instanceof OpApplNode app && app.getOperator().getName().toString().equals("$BoundedExists")
        && app.getBdedQuantSymbolLists().length == 1 && app.getBdedQuantSymbolLists()[0].length == 1
        && !app.isBdedQuantATuple()[0]) {
      FormalParamNode x = app.getBdedQuantSymbolLists()[0][0];
      ExprNode bound0 = app.getBdedQuantBounds()[0];
      Value domain;
      try {
        domain = (Value) tool.eval(bound0, con, s);
      } catch (RuntimeException e) {
        return null;
      }
      for (Value v : elements(domain)) {
        Map<String, Value> b = new LinkedHashMap<>(bound);
        b.put(x.getName().toString(), v);
        Found f = search(app.getArgs()[0], con.cons(x, v), owner, s, want, b);
        if (f != null) {
          return f;
        }
      }
      return null;
    }
    Action a = new Action(pred, con, owner.getOpDef());
    a.cm = CostModel.DO_NOT_RECORD;
    StateVec succ;
    try {
      succ = tool.getNextStates(a, s);
    } catch (RuntimeException e) {
      return null;
    }
    for (int i = 0; i < succ.size(); i++) {
      TLCState t = succ.elementAt(i);
      String differs = differs(t, want);
      if (differs == null) {
        return new Found(t, owner, bound);
      }
      if (nearest == null) {
        nearest = differs + " (TLC printed " + want.get(differs) + "; the successor has " + t.lookup(
            UniqueString.uniqueStringOf(differs)) + ")";
      }
    }
    return null;
  }

  private Step step(TLCState pre, Found f) {
    OpDefNode def = f.action.getOpDef();
    Map<String, Value> params = new LinkedHashMap<>();
    if (def != null) {
      for (FormalParamNode p : def.getParams()) {
        Object v = f.action.con.lookup(p);
        if (v instanceof Value value) {
          params.put(p.getName().toString(), value);
        }
      }
    }
    params.putAll(f.bound);
    String action = name(f.action);
    String actor = null;
    ConformanceSpec.Actor who = spec.actors().get(action);
    if (who != null && who.kind().equals("param") && params.containsKey(who.name())) {
      actor = node(params.get(who.name()));
    } else if (who != null && who.kind().equals("node")) {
      actor = who.name();
    }
    List<Message> sent = new ArrayList<>();
    Message received = null;
    if (network != null) {
      Value before = (Value) pre.lookup(network);
      Value after = (Value) f.state.lookup(network);
      for (Value p : added(before, after)) {
        sent.add(message(p, actor, true));
      }
      List<Value> taken = added(after, before);
      if (!taken.isEmpty()) {
        received = message(taken.get(0), actor, false);
      } else {
        received = receivedByParameter(before, params, actor);
      }
    }
    Map<String, String> text = new LinkedHashMap<>();
    params.forEach((k, v) -> text.put(k, v.toString()));
    return new Step(action, actor, text, sent, received);
  }

  /** A parameter that is a message in transit, or the message of a packet to the actor. */
  private Message receivedByParameter(Value network, Map<String, Value> params, String actor) {
    List<Value> inTransit = new ArrayList<>();
    switch (spec.network().shape()) {
      case "bag" -> {
        FcnRcdValue f = (FcnRcdValue) network.toFcnRcd();
        for (int i = 0; i < f.domain.length; i++) {
          if (((IntValue) f.values[i]).val > 0) {
            inTransit.add(f.domain[i]);
          }
        }
      }
      case "channels" -> {
        return null; // a receipt takes the head of its channel, which the difference already shows
      }
      default -> inTransit.addAll(elements(network));
    }
    for (Value v : params.values()) {
      for (Value p : inTransit) {
        if (eq(p, v)) {
          return message(p, actor, false);
        }
        if (spec.network().packets() && p instanceof RecordValue r && eq(v, field(r, "msg"))
            && (actor == null || actor.equals(node(field(r, "to"))))) {
          return message(p, actor, false);
        }
      }
    }
    return null;
  }

  /** What {@code after} holds that {@code before} does not: elements of a set, copies of a bag, appended to a channel. */
  private List<Value> added(Value before, Value after) {
    List<Value> out = new ArrayList<>();
    switch (spec.network().shape()) {
      case "bag" -> {
        FcnRcdValue b = (FcnRcdValue) before.toFcnRcd();
        FcnRcdValue a = (FcnRcdValue) after.toFcnRcd();
        for (int i = 0; i < a.domain.length; i++) {
          Value had = b.select(a.domain[i]);
          int more = ((IntValue) a.values[i]).val - (had == null ? 0 : ((IntValue) had).val);
          for (int c = 0; c < more; c++) {
            out.add(a.domain[i]);
          }
        }
      }
      case "channels" -> {
        // v[from][to]: a sequence a link; what is appended is sent, what leaves the head is received.
        FcnRcdValue b = (FcnRcdValue) before.toFcnRcd();
        FcnRcdValue a = (FcnRcdValue) after.toFcnRcd();
        for (int i = 0; i < a.domain.length; i++) {
          FcnRcdValue bi = (FcnRcdValue) b.select(a.domain[i]).toFcnRcd();
          FcnRcdValue ai = (FcnRcdValue) a.values[i].toFcnRcd();
          for (int j = 0; j < ai.domain.length; j++) {
            List<Value> sb = elements(bi.select(ai.domain[j]));
            List<Value> sa = elements(ai.values[j]);
            // The longest suffix of before that is a prefix of after: what stayed in transit.
            int keep = 0;
            for (int drop = 0; drop <= sb.size(); drop++) {
              List<Value> rest = sb.subList(drop, sb.size());
              if (rest.size() <= sa.size() && same(rest, sa.subList(0, rest.size()))) {
                keep = rest.size();
                break;
              }
            }
            for (Value m : sa.subList(keep, sa.size())) {
              out.add(new RecordValue(new UniqueString[] {UniqueString.uniqueStringOf("from"),
                  UniqueString.uniqueStringOf("to"), UniqueString.uniqueStringOf("msg")},
                  new Value[] {a.domain[i], ai.domain[j], m}, false));
            }
          }
        }
      }
      default -> {
        List<Value> had = elements(before);
        for (Value v : elements(after)) {
          if (had.stream().noneMatch(h -> eq(h, v))) {
            out.add(v);
          }
        }
      }
    }
    return out;
  }

  private Message message(Value p, String actor, boolean sending) {
    if ((spec.network().packets() || spec.network().shape().equals("channels")) && p instanceof RecordValue r
        && field(r, "msg") != null) {
      return new Message(node(field(r, "from")), node(field(r, "to")), field(r, "msg").toString());
    }
    return new Message(sending ? actor : null, sending ? null : actor, p.toString());
  }

  /** TLA+ equality, false where TLC refuses to compare (a record with a string). */
  private static boolean eq(Value a, Value b) {
    try {
      return a.equals(b);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Value field(RecordValue r, String name) {
    for (int i = 0; i < r.names.length; i++) {
      if (r.names[i].toString().equals(name)) {
        return r.values[i];
      }
    }
    return null;
  }

  /** A node's name as a trace writes it: a string without its quotes, a model value as itself. */
  private static String node(Value v) {
    return v instanceof StringValue s ? s.val.toString() : v == null ? null : v.toString();
  }

  private static List<Value> elements(Value v) {
    List<Value> out = new ArrayList<>();
    if (v instanceof TupleValue t) {
      out.addAll(List.of(t.elems));
      return out;
    }
    ValueVec vec = ((tlc2.value.impl.SetEnumValue) v.toSetEnum()).elems;
    for (int i = 0; i < vec.size(); i++) {
      out.add(vec.elementAt(i));
    }
    return out;
  }

  private static boolean same(List<Value> a, List<Value> b) {
    for (int i = 0; i < a.size(); i++) {
      if (!eq(a.get(i), b.get(i))) {
        return false;
      }
    }
    return a.size() == b.size();
  }

  private static List<TLCState> list(StateVec v) {
    List<TLCState> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(v.elementAt(i));
    }
    return out;
  }

  private static String name(Action a) {
    return a.getOpDef() != null ? a.getOpDef().getName().toString() : a.getName().toString();
  }

  /** The first variable whose value in {@code s} is not the one TLC printed, or null when none is. */
  private String differs(TLCState s, Map<String, String> want) {
    for (UniqueString v : variables) {
      String w = want.get(v.toString());
      Value value = (Value) s.lookup(v);
      value.deepNormalize(); // as TLC prints a counterexample's states
      if (w == null || !TlaCanonical.of(value.toString()).equals(TlaCanonical.of(w))) {
        return v.toString();
      }
    }
    return null;
  }

  @Override
  public void close() {}
}
