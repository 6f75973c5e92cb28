package spectrace.protocols.maekawa;

import java.util.ArrayList;
import java.util.List;
import spectrace.core.SpecAction;
import spectrace.core.SpecParam;
import spectrace.protocols.maekawa.MaekawaMessage.Grant;

/**
 * Deliberately broken variants of the Java Maekawa, for testing trace validation.
 *
 * <p>A mutant keeps Maekawa.tla's action and variable names and lies about its behaviour only
 * through what it does: an action whose effects differ from the spec's, so that only checking
 * the trace against the spec catches it. Each one subclasses {@link MaekawaNode}; the run's
 * protocol is {@link #protocol()}, a {@link Maekawa} whose name stays {@code maekawa} and whose
 * {@link Maekawa#variant() variant} is the mutant's name.
 *
 * <p>An overriding action method does not inherit {@code @SpecAction}: each override here
 * carries the same annotation as the method it replaces.
 */
public enum MaekawaMutant {

  GRANTS_TWICE("grants-twice",
      "an arbiter whose vote is given votes again for a request that comes before the holder's,"
          + " instead of asking for the vote back (RcvRequest that grants with voted TRUE)"),

  IGNORES_INQUIRE("ignores-inquire",
      "a node that drops every INQUIRE, so it never yields a vote (RcvInquire that keeps no"
          + " inquirer)"),

  WRONG_TIMESTAMP_ORDER("wrong-timestamp-order",
      "arbiters break ties between equal clocks by the larger node number, not the smaller"
          + " (Before with the tie-break reversed)");

  private final String word;
  private final String description;

  MaekawaMutant(String word, String description) {
    this.word = word;
    this.description = description;
  }

  /** The name the command line uses, e.g. {@code grants-twice}. */
  public String word() {
    return word;
  }

  /** What the mutant gets wrong, in one line. */
  public String description() {
    return description;
  }

  /** Every mutant's name, in declaration order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (MaekawaMutant m : values()) {
      names.add(m.word);
    }
    return List.copyOf(names);
  }

  /** Maekawa with this mutant's nodes. */
  public Maekawa protocol() {
    return new Mutated(this);
  }

  MaekawaNode node(String id, List<String> quorum) {
    return switch (this) {
      case GRANTS_TWICE -> new GrantsTwiceNode(id, quorum);
      case IGNORES_INQUIRE -> new IgnoresInquireNode(id, quorum);
      case WRONG_TIMESTAMP_ORDER -> new ReversedTieNode(id, quorum);
    };
  }

  /** Maekawa with a mutant's nodes: still {@code maekawa}, with a variant. */
  static final class Mutated extends Maekawa {
    private final MaekawaMutant mutant;

    Mutated(MaekawaMutant mutant) {
      this.mutant = mutant;
    }

    @Override
    public String variant() {
      return mutant.word;
    }

    @Override
    protected MaekawaNode newMaekawaNode(String id, List<String> quorum) {
      return mutant.node(id, quorum);
    }
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
