package spectrace.protocols.broadcast.causal;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import spectrace.core.Message;
import spectrace.protocols.broadcast.reliable.Msg;

/** The messages of CausalBroadcast.tla. */
public sealed interface CausalMessage extends Message {

  /**
   * {@code Data(m, vt)}, {@code [type |-> "Data", m |-> m, vt |-> vt]}: broadcast message
   * {@code m}, stamped {@code vt}, as its sender's broadcast or as a relay.
   */
  record Data(Msg m, SortedMap<String, Integer> vt) implements CausalMessage {
    public Data {
      if (m == null || vt == null || !Integer.valueOf(m.sn()).equals(vt.get(m.src()))) {
        throw new IllegalArgumentException("Data needs a message and a stamp that counts it: " + m + " " + vt);
      }
      vt = Collections.unmodifiableSortedMap(new TreeMap<>(vt));
    }

    /** Data carrying {@code s}. */
    public Data(Stamped s) {
      this(s.msg(), s.vt());
    }

    /** The stamped message this Data message carries. */
    public Stamped stamped() {
      return new Stamped(m.src(), m.sn(), vt);
    }
  }
}
