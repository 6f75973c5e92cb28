package spectrace.protocols.raft;

import spectrace.kv.Command;

/**
 * What a server delivers to its application for each entry it applies, in log order: the
 * entry's index and its command. A server that restarts applies its log again from index 1.
 */
public record AppliedEntry(int index, Command command) {
  public AppliedEntry {
    if (index < 1) {
      throw new IllegalArgumentException("an applied index is at least 1, not " + index);
    }
  }
}
