package spectrace.protocols.maekawa;

/**
 * A request's Lamport timestamp, Maekawa.tla's {@code [clock |-> c, node |-> i]}: the
 * requester's clock when it asked, and the requester. Timestamps are totally ordered, and the
 * natural order is the spec's {@code Before}: the smaller clock first, ties broken by the
 * smaller node number ({@link Maekawa#number}).
 *
 * @param clock the requester's Lamport clock when it asked (1 or more)
 * @param node  the requester's id
 */
public record Timestamp(int clock, String node) implements Comparable<Timestamp> {

  /** Maekawa.tla's {@code NoRequest}: votedFor while the vote is free. Never ordered. */
  public static final Timestamp NONE = new Timestamp(0, "");

  public Timestamp {
    boolean request = clock >= 1 && node != null && !node.isEmpty();
    boolean none = clock == 0 && "".equals(node);
    if (!request && !none) {
      throw new IllegalArgumentException("no timestamp <<" + clock + ", " + node + ">>");
    }
  }

  /** Before(this, other): this request comes first. */
  public boolean before(Timestamp other) {
    return compareTo(other) < 0;
  }

  @Override
  public int compareTo(Timestamp other) {
    if (clock != other.clock) {
      return Integer.compare(clock, other.clock);
    }
    return Integer.compare(Maekawa.number(node), Maekawa.number(other.node));
  }
}
