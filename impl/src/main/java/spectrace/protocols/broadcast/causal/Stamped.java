package spectrace.protocols.broadcast.causal;

import java.util.Collections;
import java.util.Comparator;
import java.util.SortedMap;
import java.util.TreeMap;
import spectrace.protocols.broadcast.reliable.Msg;

/**
 * A message with its vector-time stamp, CausalBroadcast.tla's
 * {@code Stamped(m, vt) = [src |-> src, sn |-> sn, vt |-> vt]}: {@code vt[s]} counts the
 * messages of {@code s} that the sender had delivered when it broadcast this one, itself
 * included ({@code vt[src] = sn}). Ordered by sender and sequence number.
 */
public record Stamped(String src, int sn, SortedMap<String, Integer> vt) implements Comparable<Stamped> {

  private static final Comparator<Stamped> ORDER = Comparator.comparing(Stamped::src).thenComparingInt(Stamped::sn);

  public Stamped {
    if (src == null || sn < 1 || vt == null || !Integer.valueOf(sn).equals(vt.get(src))) {
      throw new IllegalArgumentException("a stamped message needs its src, a sequence number from 1, and a stamp"
          + " that counts it: " + src + " " + sn + " " + vt);
    }
    vt = Collections.unmodifiableSortedMap(new TreeMap<>(vt));
  }

  /** The message, without its stamp. */
  public Msg msg() {
    return new Msg(src, sn);
  }

  @Override
  public int compareTo(Stamped o) {
    return ORDER.compare(this, o);
  }
}
