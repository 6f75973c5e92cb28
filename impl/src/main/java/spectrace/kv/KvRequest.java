package spectrace.kv;

/**
 * What a client sends a node: a command to replicate and apply. A client sends the same
 * request again, (client, seq) and all, when it retries.
 */
public record KvRequest(Command command) {

  /** Checks that there is a command. */
  public KvRequest {
    if (command == null) {
      throw new IllegalArgumentException("a request needs a command");
    }
  }
}
