package spectrace.protocols.raft;

/**
 * A placeholder command for the replicated state machine, until the key-value store's own
 * commands take its place: write {@code value} under {@code key}.
 */
public record Put(String key, long value) {
  public Put {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a Put needs a key");
    }
  }
}
