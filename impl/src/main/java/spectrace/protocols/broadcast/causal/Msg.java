package spectrace.protocols.broadcast.causal;

import java.util.Comparator;

/**
 * A broadcast message of CausalBroadcast.tla, {@code [src |-> src, sn |-> sn]}: the
 * {@code sn}-th message that {@code src} broadcast. Messages carry no payload: a message
 * is its sender and sequence number.
 */
public record Msg(String src, int sn) implements Comparable<Msg> {

  private static final Comparator<Msg> ORDER = Comparator.comparing(Msg::src).thenComparingInt(Msg::sn);

  public Msg {
    if (src == null || sn < 1) {
      throw new IllegalArgumentException("a message needs its src and a sequence number from 1");
    }
  }

  @Override
  public int compareTo(Msg o) {
    return ORDER.compare(this, o);
  }
}
