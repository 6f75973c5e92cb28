package spectrace.protocols.raft;

import java.util.List;
import spectrace.core.Message;

/**
 * The messages of Raft.tla (Ongaro's dissertation, §3.4 to §3.6 and §9.6), each the record
 * {@code [type |-> "<simple name>", ...]} with these fields in this order.
 */
public sealed interface RaftMessage extends Message {

  /**
   * {@code [type |-> "RequestVoteRequest", term, lastLogTerm, lastLogIndex]}: the sender stands
   * for election in {@code term} (§3.4), with this last log entry (§3.6.1).
   */
  record RequestVoteRequest(int term, int lastLogTerm, int lastLogIndex) implements RaftMessage {
    public RequestVoteRequest {
      nonNegative(term, lastLogTerm, lastLogIndex);
    }
  }

  /** {@code [type |-> "RequestVoteResponse", term, voteGranted]}: the receiver's vote, in its term. */
  record RequestVoteResponse(int term, boolean voteGranted) implements RaftMessage {
    public RequestVoteResponse {
      nonNegative(term);
    }
  }

  /**
   * {@code [type |-> "PreVoteRequest", term, lastLogTerm, lastLogIndex]} (§9.6): would the
   * receiver vote for the sender in {@code term}, the sender's currentTerm + 1? The sender's own
   * term does not change.
   */
  record PreVoteRequest(int term, int lastLogTerm, int lastLogIndex) implements RaftMessage {
    public PreVoteRequest {
      nonNegative(term, lastLogTerm, lastLogIndex);
    }
  }

  /** {@code [type |-> "PreVoteResponse", term, voteGranted]}: the answer, in the request's term. */
  record PreVoteResponse(int term, boolean voteGranted) implements RaftMessage {
    public PreVoteResponse {
      nonNegative(term);
    }
  }

  /**
   * {@code [type |-> "AppendEntriesRequest", term, prevLogIndex, prevLogTerm, entries,
   * leaderCommit]} (§3.5): the leader of {@code term} sends the entries that follow
   * {@code prevLogIndex} (none for a heartbeat), and how far it has committed.
   */
  record AppendEntriesRequest(int term, int prevLogIndex, int prevLogTerm, List<Entry> entries, int leaderCommit)
      implements RaftMessage {
    public AppendEntriesRequest {
      nonNegative(term, prevLogIndex, prevLogTerm, leaderCommit);
      entries = List.copyOf(entries);
    }
  }

  /**
   * {@code [type |-> "AppendEntriesResponse", term, success, matchIndex]}: whether the
   * receiver's log matched at the request's prevLogIndex, and if so the index up to which it
   * now holds the leader's entries (0 on failure).
   */
  record AppendEntriesResponse(int term, boolean success, int matchIndex) implements RaftMessage {
    public AppendEntriesResponse {
      nonNegative(term, matchIndex);
    }
  }

  private static void nonNegative(int... values) {
    for (int v : values) {
      if (v < 0) {
        throw new IllegalArgumentException("a Raft message field is negative: " + v);
      }
    }
  }
}
