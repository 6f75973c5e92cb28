package spectrace.protocols.raft;

import java.util.Objects;
import spectrace.kv.Command;

/**
 * A log entry, {@code [term |-> term, value |-> value]}: a client's command, with the term of the
 * leader that appended it (§3.5). The value is a command of the replicated key-value store
 * ({@link Command}), which traces write as a TLA+ record.
 */
public record Entry(int term, Command value) {
  public Entry {
    if (term < 1) {
      throw new IllegalArgumentException("an entry's term is at least 1, not " + term);
    }
    Objects.requireNonNull(value, "an entry needs a value");
  }
}
