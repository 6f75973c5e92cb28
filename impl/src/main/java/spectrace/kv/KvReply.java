package spectrace.kv;

/**
 * What a node answers a client's {@link KvRequest}: the result of the command once it was
 * applied, or that the node is not the leader. Both name the request by (client, seq), so a
 * client can tell a reply to its current operation from a late one.
 */
public sealed interface KvReply permits KvReply.Applied, KvReply.NotLeader {

  /** A {@link NotLeader} with no hint. */
  String NO_HINT = "";

  /** The client session the request came from. */
  String client();

  /** The request's seq in that session. */
  long seq();

  /**
   * The command (client, seq) was applied (now or before: a retried command gets the result
   * its session remembers) with this result.
   */
  record Applied(String client, long seq, Result result) implements KvReply {
    /** Checks the fields. */
    public Applied {
      if (client == null || result == null) {
        throw new IllegalArgumentException("an Applied reply needs a client and a result");
      }
    }
  }

  /**
   * The node is not the leader and did not take the request; {@code leaderHint} is the node
   * it believes leads, or {@link #NO_HINT}.
   */
  record NotLeader(String client, long seq, String leaderHint) implements KvReply {
    /** Checks the fields. */
    public NotLeader {
      if (client == null || leaderHint == null) {
        throw new IllegalArgumentException("a NotLeader reply needs a client and a hint (\"\" for none)");
      }
    }
  }

  /** The reply to {@code command}, applied with {@code result}. */
  static KvReply applied(Command command, Result result) {
    return new Applied(command.client(), command.seq(), result);
  }

  /**
   * The reply to {@code command} from a node that is not the leader and believes {@code hint}
   * is; null or {@link #NO_HINT} when it knows of none.
   */
  static KvReply notLeader(Command command, String hint) {
    return new NotLeader(command.client(), command.seq(), hint == null ? NO_HINT : hint);
  }
}
