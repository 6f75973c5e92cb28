package spectrace.protocols.broadcast.total;

import java.util.Comparator;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * A message with the sequence number the sequencer gave it, TotalOrderBroadcast.tla's
 * {@code Numbered(m, k) = [src |-> src, sn |-> sn, seq |-> seq]}. Ordered by number.
 */
public record Numbered(String src, int sn, int seq) implements Comparable<Numbered> {

  private static final Comparator<Numbered> ORDER =
      Comparator.comparingInt(Numbered::seq).thenComparing(Numbered::src).thenComparingInt(Numbered::sn);

  public Numbered {
    if (src == null || sn < 1 || seq < 1) {
      throw new IllegalArgumentException("a numbered message needs its src, and a sequence number and a number"
          + " from 1");
    }
  }

  /** Message {@code m} with number {@code seq}. */
  public Numbered(Msg m, int seq) {
    this(m.src(), m.sn(), seq);
  }

  /** The message, without its number. */
  public Msg msg() {
    return new Msg(src, sn);
  }

  @Override
  public int compareTo(Numbered o) {
    return ORDER.compare(this, o);
  }
}
