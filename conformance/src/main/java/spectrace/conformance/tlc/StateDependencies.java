package spectrace.conformance.tlc;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.TreeSet;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpArgNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.SymbolNode;

/**
 * The state variables an expression reads: those it names, directly or through the operators
 * it applies (their definitions expanded, LET definitions, INSTANCE substitutions and operator
 * arguments included). The names of an instantiated module's own variables are among them;
 * what they stand for is read through the substitution, which is walked as well. A state predicate's value is a function of these variables' values (and
 * of the constants, fixed for a trace), so a step that leaves them unchanged leaves it
 * unchanged. Null where that cannot be relied on: the expression applies an operator of TLC's
 * own modules whose value is not a function of its arguments ({@code TLCGet}, {@code
 * RandomElement}, {@code JavaTime}, ...), which reads what no variable holds.
 */
final class StateDependencies {

  /** Operators of TLC's modules whose value is a function of their arguments alone. */
  private static final Set<String> PURE_TLC = Set.of(":>", "@@", "Print", "PrintT", "Assert", "ToString",
      "Permutations", "SortSeq", "TLCEval", "Any");
  /** The modules whose operators TLC implements in Java with access to more than their arguments. */
  private static final Set<String> TLC_MODULES = Set.of("TLC", "TLCExt", "Randomization", "IOUtils", "CSV",
      "Json", "VectorClocks");

  private final Set<String> variables = new TreeSet<>();
  private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean impure;

  private StateDependencies() {}

  /** Whether {@code def} is an operator of TLC's modules ({@code TLC}, {@code Randomization}, ...). */
  static boolean tlcModule(OpDefNode def) {
    ModuleNode m = def.getOriginallyDefinedInModuleNode();
    return m != null && TLC_MODULES.contains(m.getName().toString());
  }

  /** Whether {@code def} is one of TLC's operators whose value is not a function of its arguments alone. */
  static boolean readsBeyondArguments(OpDefNode def) {
    return tlcModule(def) && !PURE_TLC.contains(def.getName().toString());
  }

  /** The names of the variables {@code def}'s body reads, or null when its value may depend on more. */
  static Set<String> of(OpDefNode def) {
    return of(def.getBody());
  }

  /** The names of the variables expression {@code n} reads, or null when its value may depend on more. */
  static Set<String> of(SemanticNode n) {
    StateDependencies d = new StateDependencies();
    d.walk(n);
    return d.impure ? null : Collections.unmodifiableSet(d.variables);
  }

  private void walk(SemanticNode n) {
    if (n == null || impure || !seen.add(n)) {
      return;
    }
    if (n instanceof OpApplNode a) {
      symbol(a.getOperator());
    } else if (n instanceof OpArgNode o) {
      symbol(o.getOp());
    }
    SemanticNode[] children = n.getChildren();
    if (children != null) {
      for (SemanticNode c : children) {
        walk(c);
      }
    }
  }

  private void symbol(SymbolNode op) {
    if (op instanceof OpDeclNode d) {
      if (d.getKind() == ASTConstants.VariableDeclKind) {
        variables.add(d.getName().toString());
      }
    } else if (op instanceof OpDefNode def) {
      if (readsBeyondArguments(def)) {
        impure = true;
        return;
      }
      walk(def.getBody());
    }
  }
}
