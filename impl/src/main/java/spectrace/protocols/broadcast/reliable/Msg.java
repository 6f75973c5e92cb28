package spectrace.protocols.broadcast.reliable;

import java.util.Comparator;

/**
 * A broadcast message, Broadcast.tla's {@code [src |-> src, sn |-> sn]}: the {@code sn}-th
 * message that process {@code src} broadcasts. Two broadcasts are never the same message.
 * Payloads are left out, as in the spec: they do not change what is delivered.
 *
 * @param src the process that broadcast it
 * @param sn  its sequence number among src's broadcasts, from 1
 */
public record Msg(String src, int sn) implements Comparable<Msg> {

  private static final Comparator<Msg> ORDER = Comparator.comparing(Msg::src).thenComparingInt(Msg::sn);

  public Msg {
    if (src == null || src.isEmpty()) {
      throw new IllegalArgumentException("a message needs its sender");
    }
    if (sn < 1) {
      throw new IllegalArgumentException("sequence numbers start at 1, not " + sn);
    }
  }

  @Override
  public int compareTo(Msg o) {
    return ORDER.compare(this, o);
  }
}
