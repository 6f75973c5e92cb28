package spectrace.conformance.tlc;

import java.util.HashSet;
import java.util.Set;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.SymbolNode;

/**
 * Whether an action reads its network, a set that keeps every message sent, only in ways
 * that a smaller network cannot make more permissive: whether a state whose network lacks
 * some messages has, under the action, no successor that the full state lacks (the
 * network itself aside).
 *
 * <p>That holds when the network occurs only as the set of a membership test {@code p \in
 * msgs}, or the set an existential quantifier ranges over, at a position where the action
 * asserts it (a conjunct or disjunct, the branch of an IF, the body of an operator so
 * applied, not under a negation or inside a condition); as the network added to, {@code
 * msgs' = msgs \cup S}; in an UNCHANGED; and, within such a set, through the sets built from
 * it ({@code {q \in msgs : P}}, {@code {f(q) : q \in msgs}}, unions, an operator's body).
 * Then a message that no later event can receive (every copy sent was received or lost, by
 * the trace's own account) can be forgotten: every step the trace goes on to take has the
 * same successors as it would with the message kept. Anything else (a test that a message
 * is absent, the network's cardinality, a guard over all messages) makes the answer no.
 */
final class NetworkUse {

  private final String network;
  private final Set<Object> walking = new HashSet<>();
  private boolean safe = true;

  private NetworkUse(String network) {
    this.network = network;
  }

  /** Whether {@code def}'s body reads the variable {@code network} only as above. */
  static boolean monotone(OpDefNode def, String network) {
    NetworkUse u = new NetworkUse(network);
    u.asserted(def.getBody());
    return u.safe;
  }

  /** A position the action asserts: membership and existential domains may read the network. */
  private void asserted(SemanticNode n) {
    if (!safe || n == null) {
      return;
    }
    if (n instanceof LetInNode l) {
      asserted(l.getBody());
      return;
    }
    if (!(n instanceof OpApplNode a)) {
      other(n);
      return;
    }
    String op = a.getOperator().getName().toString();
    ExprOrOpArgNode[] args = a.getArgs();
    switch (op) {
      case "$ConjList", "$DisjList", "\\land", "\\lor" -> {
        for (ExprOrOpArgNode c : args) {
          asserted(c);
        }
      }
      case "$IfThenElse" -> {
        other(args[0]);
        asserted(args[1]);
        asserted(args[2]);
      }
      case "\\in" -> {
        other(args[0]);
        set(args[1]);
      }
      case "$BoundedExists" -> {
        for (SemanticNode s : a.getBdedQuantBounds()) {
          set(s);
        }
        asserted(args[0]);
      }
      case "UNCHANGED" -> { } // both states' networks lack the same messages
      case "=" -> {
        if (isPrimedNetwork(args[0])) {
          set(args[1]);
        } else {
          other(a);
        }
      }
      default -> {
        if (a.getOperator() instanceof OpDefNode d && d.getKind() == ASTConstants.UserDefinedOpKind) {
          for (ExprOrOpArgNode arg : args) {
            other(arg);
          }
          body(d, true);
        } else {
          other(a);
        }
      }
    }
  }

  /** A set that grows with the network: the network itself, and sets built from it. */
  private void set(SemanticNode n) {
    if (!safe || n == null) {
      return;
    }
    if (!(n instanceof OpApplNode a)) {
      other(n);
      return;
    }
    SymbolNode sym = a.getOperator();
    if (sym instanceof OpDeclNode d && d.getName().toString().equals(network)) {
      return;
    }
    String op = sym.getName().toString();
    ExprOrOpArgNode[] args = a.getArgs();
    switch (op) {
      case "\\cup", "\\union" -> {
        for (ExprOrOpArgNode c : args) {
          set(c);
        }
      }
      case "$SubsetOf", "$SetOfAll" -> {
        for (SemanticNode s : a.getBdedQuantBounds()) {
          set(s);
        }
        for (ExprOrOpArgNode c : args) {
          other(c);
        }
      }
      default -> {
        if (sym instanceof OpDefNode d && d.getKind() == ASTConstants.UserDefinedOpKind) {
          for (ExprOrOpArgNode arg : args) {
            other(arg);
          }
          body(d, false);
        } else {
          other(a);
        }
      }
    }
  }

  /** The body of an operator applied at a position of either kind. */
  private void body(OpDefNode d, boolean assertedPosition) {
    Object key = java.util.List.of(d, assertedPosition);
    if (!walking.add(key)) {
      return; // a recursive operator: its body is being walked at this kind of position
    }
    if (assertedPosition) {
      asserted(d.getBody());
    } else {
      set(d.getBody());
    }
    walking.remove(key);
  }

  /** Any other position: the network must not be read here, directly or through an operator. */
  private void other(SemanticNode n) {
    if (!safe || n == null) {
      return;
    }
    Set<String> reads = n instanceof OpDefNode d ? StateDependencies.of(d) : StateDependencies.of(n);
    if (reads == null || reads.contains(network)) {
      safe = false;
    }
  }

  private boolean isPrimedNetwork(ExprOrOpArgNode n) {
    return n instanceof OpApplNode p && p.getOperator().getName().toString().equals("'")
        && p.getArgs().length == 1 && p.getArgs()[0] instanceof OpApplNode v
        && v.getOperator() instanceof OpDeclNode d && d.getName().toString().equals(network);
  }
}
