package spectrace.protocols.broadcast.causal;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import spectrace.core.Message;

/** The messages of CausalBroadcast.tla. */
public sealed interface CausalMessage extends Message {

  /**
   * {@code Data(from, m, vt)}, {@code [type |-> "Data", from |-> from, src |-> src, sn |-> sn,
   * vt |-> vt]}: {@code from} sends message {@code sn} of {@code src}, stamped {@code vt}, to
   * every process, as its broadcast or as a relay.
   */
  record Data(String from, String src, int sn, SortedMap<String, Integer> vt) implements CausalMessage {
    public Data {
      if (from == null || src == null || sn < 1 || vt == null || !Integer.valueOf(sn).equals(vt.get(src))) {
        throw new IllegalArgumentException("Data needs a sender, the message's src, a sequence number from 1,"
            + " and a stamp that counts the message: " + from + " " + src + " " + sn + " " + vt);
      }
      vt = Collections.unmodifiableSortedMap(new TreeMap<>(vt));
    }

    /** Data from {@code from} carrying {@code s}. */
    public Data(String from, Stamped s) {
      this(from, s.src(), s.sn(), s.vt());
    }

    /** The stamped message this Data message carries. */
    public Stamped stamped() {
      return new Stamped(src, sn, vt);
    }
  }
}
