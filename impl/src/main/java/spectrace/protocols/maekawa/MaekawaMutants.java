package spectrace.protocols.maekawa;

import java.util.List;
import java.util.function.BiFunction;
import spectrace.core.Mutant;
import spectrace.core.ProtocolNode;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.maekawa.MaekawaMessage.Grant;

/**
 * Deliberately broken variants of the Java Maekawa, for testing trace validation.
 *
 * <p>A mutant keeps Maekawa.tla's action and variable names and lies about its behaviour only
 * through what it does: an action whose effects differ from the spec's, so that only checking
 * the trace against the spec catches it. Each one subclasses {@link MaekawaNode} and is
 * declared once in {@link #ALL}, with the grid quorums of {@link Maekawa#gridQuorums};
 * {@link spectrace.core.Mutant#applyTo} runs it as {@code maekawa} with the mutant's name as
 * variant.
 *
 * <p>An overriding action method does not inherit {@code @SpecAction}: each override here
 * carries the same annotation as the method it replaces.
 */
public final class MaekawaMutants {

  /** The mutants, in the order the command line lists them. */
  public static final List<Mutant<MaekawaMessage>> ALL = List.of(
      new Mutant<>("grants-twice",
          "an arbiter whose vote is given votes again for a request that comes before the holder's,"
              + " instead of asking for the vote back (RcvRequest that grants with voted TRUE)",
          withQuorum(GrantsTwiceNode::new)),
      new Mutant<>("ignores-inquire",
          "a node that drops every INQUIRE, so it never yields a vote (RcvInquire that keeps no"
              + " inquirer)",
          withQuorum(IgnoresInquireNode::new)),
      new Mutant<>("wrong-timestamp-order",
          "arbiters break ties between equal clocks by the larger node number, not the smaller"
              + " (Before with the tie-break reversed)",
          withQuorum(ReversedTieNode::new)));

  private MaekawaMutants() {}

  /** The nodes of a run: node {@code id} with its grid quorum, built by {@code node}. */
  private static BiFunction<String, List<String>, ProtocolNode<MaekawaMessage>> withQuorum(
      BiFunction<String, List<String>, MaekawaNode> node) {
    return (id, nodes) -> node.apply(id, Maekawa.gridQuorums(nodes).get(id));
  }

  /** grants-twice: a request that comes before the holder's gets the vote at once. */
  static final class GrantsTwiceNode extends MaekawaNode {
    GrantsTwiceNode(String id, List<String> quorum) {
      super(id, quorum);
    }

    @Override
    @SpecAction(value = "RcvRequest", self = "i")
    protected void rcvRequest(@SpecParam("j") String j, Timestamp ts) {
      clock = Math.max(clock, ts.clock());
      if (voted && !before(ts, votedFor)) {
        await(ts);
      } else {
        voted = true;
        votedFor = ts;
        send(j, new Grant());
      }
    }
  }

  /** ignores-inquire: an INQUIRE is received, and forgotten. */
  static final class IgnoresInquireNode extends MaekawaNode {
    IgnoresInquireNode(String id, List<String> quorum) {
      super(id, quorum);
    }

    @Override
    @SpecAction(value = "RcvInquire", self = "i")
    protected void rcvInquire(@SpecParam("j") String j) {
      // Dropped: the vote is kept until the critical section is over.
    }
  }

  /** wrong-timestamp-order: equal clocks put the larger node number first. */
  static final class ReversedTieNode extends MaekawaNode {
    ReversedTieNode(String id, List<String> quorum) {
      super(id, quorum);
    }

    @Override
    protected boolean before(Timestamp a, Timestamp b) {
      if (a.clock() != b.clock()) {
        return a.clock() < b.clock();
      }
      return Maekawa.number(a.node()) > Maekawa.number(b.node());
    }
  }
}
