package spectrace.conformance.tlc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpArgNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.SubstInNode;
import tla2sany.semantic.SymbolNode;

/**
 * An invariant cut into the parts that a step can leave true without their being evaluated
 * again, and what each part reads.
 *
 * <p>The conjuncts of an invariant are parts of their own (a conjunct that applies an operator
 * without parameters is cut further inside it). A part {@code \A x1 \in S1, ..., xk \in Sk : P}
 * whose sets are constants is a family of instances, one per tuple of the sets' elements; the
 * reads of P are sorted into those of one element of a function-valued variable, {@code v[xm]}
 * for a bound variable xm of the part (directly, or through an operator whose parameter it is
 * passed as), and the rest, read whole. A state that agrees with its predecessor, in which
 * every instance held, on what an instance reads, satisfies that instance too; so after a step
 * that changes {@code log[n2]} alone, {@code \A i, j \in Server : P(i, j)} needs only the
 * instances with i or j equal to n2 evaluated again, by TLC, on the real spec.
 *
 * <p>The analysis is syntactic and conservative: anything it does not follow (an operator
 * passed as an argument, a recursive call that passes other bound variables, an INSTANCE
 * substitution, a prime) makes the part one read whole, by {@link StateDependencies}; an
 * operator of TLC's modules that reads more than its arguments makes the part one that is
 * evaluated on every state.
 */
final class InvariantParts {

  /**
   * One part of an invariant: {@code expr}, or, when {@code bound} is not empty, the instances
   * of its body {@code body} with the bound variables taking the elements of {@code bounds}.
   * {@code whole} are the variables read otherwise than at an element; {@code indexed} maps a
   * variable read at elements to the positions (in {@code bound}) of the bound variables it is
   * read at. {@code whole} is null when the part's value may depend on more than variables.
   */
  record Part(ExprNode expr, ExprNode body, List<FormalParamNode> bound, List<ExprNode> bounds, Set<String> whole,
              Map<String, BitSet> indexed) {}

  /** The most nodes the reads of one part are followed through before it is read whole. */
  private static final int BUDGET = 200_000;

  private InvariantParts() {}

  /** The parts of invariant {@code def}. */
  static List<Part> of(OpDefNode def) {
    List<Part> out = new ArrayList<>();
    cut((ExprNode) def.getBody(), out, new ArrayDeque<>());
    return out;
  }

  private static void cut(ExprNode e, List<Part> out, Deque<OpDefNode> unfolding) {
    if (e instanceof OpApplNode a) {
      String op = a.getOperator().getName().toString();
      if (op.equals("$ConjList") || op.equals("\\land")) {
        for (ExprOrOpArgNode c : a.getArgs()) {
          if (!(c instanceof ExprNode)) {
            out.add(plain(e));
            return;
          }
        }
        for (ExprOrOpArgNode c : a.getArgs()) {
          cut((ExprNode) c, out, unfolding);
        }
        return;
      }
      if (a.getOperator() instanceof OpDefNode d && d.getKind() == ASTConstants.UserDefinedOpKind
          && d.getArity() == 0 && !StateDependencies.tlcModule(d) && !d.getInRecursive() && !unfolding.contains(d)) {
        unfolding.push(d);
        cut((ExprNode) d.getBody(), out, unfolding);
        unfolding.pop();
        return;
      }
      if (op.equals("$BoundedForall")) {
        Part p = quantified(a);
        out.add(p != null ? p : plain(e));
        return;
      }
    }
    out.add(plain(e));
  }

  /** A part read whole. */
  private static Part plain(ExprNode e) {
    Set<String> reads = StateDependencies.of(e);
    return new Part(e, e, List.of(), List.of(), reads, Map.of());
  }

  /**
   * The part {@code \A ... : P} as instances over its outer quantifiers with constant sets (a
   * quantifier over a set that depends on the state, or over tuples, stays in the body), or
   * null when there are none or its reads are not followed.
   */
  private static Part quantified(OpApplNode a) {
    List<FormalParamNode> bound = new ArrayList<>();
    List<ExprNode> bounds = new ArrayList<>();
    ExprNode body = a;
    while (body instanceof OpApplNode q && q.getOperator().getName().toString().equals("$BoundedForall")) {
      FormalParamNode[][] lists = q.getBdedQuantSymbolLists();
      boolean[] tuples = q.isBdedQuantATuple();
      ExprNode[] sets = q.getBdedQuantBounds();
      for (int i = 0; i < lists.length; i++) {
        Set<String> setReads = StateDependencies.of(sets[i]);
        if (tuples[i] || setReads == null || !setReads.isEmpty()) {
          return bound.isEmpty() ? null : new Reads(bound).part(a, body, bounds);
        }
      }
      for (int i = 0; i < lists.length; i++) {
        for (FormalParamNode f : lists[i]) {
          bound.add(f);
          bounds.add(sets[i]);
        }
      }
      body = (ExprNode) q.getArgs()[0];
    }
    return new Reads(bound).part(a, body, bounds);
  }

  /** The reads of a part's body, sorted into whole and at a bound variable. */
  private static final class Reads {
    private final List<FormalParamNode> bound;
    private final Map<FormalParamNode, Integer> positions = new HashMap<>();
    private final Set<String> whole = new TreeSet<>();
    private final Map<String, BitSet> indexed = new LinkedHashMap<>();
    /** The operators being walked, each with the bound variables its parameters stand for. */
    private final Map<OpDefNode, Map<FormalParamNode, Integer>> calls = new HashMap<>();
    private boolean opaque;
    private boolean impure;
    private int visited;

    Reads(List<FormalParamNode> bound) {
      this.bound = List.copyOf(bound);
      for (int i = 0; i < bound.size(); i++) {
        positions.put(bound.get(i), i);
      }
    }

    /** The part: {@code expr}, as the instances of {@code body} over the bound variables' sets. */
    Part part(ExprNode expr, ExprNode body, List<ExprNode> bounds) {
      walk(body, positions);
      if (impure) {
        return new Part(expr, expr, List.of(), List.of(), null, Map.of());
      }
      if (opaque) {
        return null;
      }
      return new Part(expr, body, bound, List.copyOf(bounds), Collections.unmodifiableSet(whole),
          Collections.unmodifiableMap(indexed));
    }

    /**
     * Walks {@code n}; {@code env} maps each formal parameter that stands for a bound variable
     * of the part (the variable itself, or an operator's parameter it was passed as) to its
     * position.
     */
    private void walk(SemanticNode n, Map<FormalParamNode, Integer> env) {
      if (n == null || opaque || impure) {
        return;
      }
      if (++visited > BUDGET) {
        opaque = true;
        return;
      }
      if (n instanceof SubstInNode || n.getKind() == ASTConstants.APSubstInKind || n instanceof OpArgNode) {
        opaque = true;
        return;
      }
      if (n instanceof LetInNode l) {
        walk(l.getBody(), env); // its definitions are walked where they are applied
        return;
      }
      if (n instanceof OpDefNode) {
        return;
      }
      if (n instanceof OpApplNode a) {
        apply(a, env);
        return;
      }
      SemanticNode[] children = n.getChildren();
      if (children != null) {
        for (SemanticNode c : children) {
          walk(c, env);
        }
      }
    }

    private void apply(OpApplNode a, Map<FormalParamNode, Integer> env) {
      SymbolNode op = a.getOperator();
      ExprOrOpArgNode[] args = a.getArgs();
      String name = op.getName().toString();
      if (name.equals("$FcnApply") && args.length == 2 && args[0] instanceof OpApplNode f
          && f.getOperator() instanceof OpDeclNode v && v.getKind() == ASTConstants.VariableDeclKind
          && args[1] instanceof OpApplNode x && x.getOperator() instanceof FormalParamNode p && env.containsKey(p)) {
        indexed.computeIfAbsent(v.getName().toString(), k -> new BitSet()).set(env.get(p));
        return;
      }
      if (name.equals("'") || name.equals("$Prime")) {
        opaque = true;
        return;
      }
      if (op instanceof OpDeclNode d) {
        if (d.getKind() == ASTConstants.VariableDeclKind) {
          whole.add(d.getName().toString());
        }
      } else if (op instanceof FormalParamNode f) {
        if (f.getArity() > 0) {
          opaque = true;
          return;
        }
      } else if (op instanceof OpDefNode def && def.getKind() == ASTConstants.UserDefinedOpKind) {
        if (StateDependencies.readsBeyondArguments(def)) {
          impure = true;
          return;
        }
        Map<FormalParamNode, Integer> inner = new HashMap<>(env);
        FormalParamNode[] formals = def.getParams();
        Map<FormalParamNode, Integer> passed = new HashMap<>();
        for (int i = 0; i < formals.length && i < args.length; i++) {
          if (args[i] instanceof OpApplNode x && x.getOperator() instanceof FormalParamNode p && env.containsKey(p)) {
            inner.put(formals[i], env.get(p));
            passed.put(formals[i], env.get(p));
          } else {
            inner.remove(formals[i]);
          }
        }
        for (ExprOrOpArgNode arg : args) {
          walk(arg, env);
        }
        // A recursive call: its body reads what it reads in the call being walked, if its
        // parameters stand for the same bound variables; otherwise it is not followed.
        Map<FormalParamNode, Integer> active = calls.get(def);
        if (active != null) {
          opaque |= !active.equals(passed);
          return;
        }
        calls.put(def, passed);
        walk(def.getBody(), inner);
        calls.remove(def);
        return;
      }
      // A built-in operator: what its operands read, and the sets its quantifiers range over.
      for (ExprOrOpArgNode arg : args) {
        walk(arg, env);
      }
      ExprNode[] sets = a.getBdedQuantBounds();
      if (sets != null) {
        for (ExprNode s : sets) {
          walk(s, env);
        }
      }
    }
  }
}
