package spectrace.core;

/**
 * The clients of a replicated service, as one deterministic state machine that a runtime
 * drives: unlike a {@link Workloads.Workload}, whose requests are all scheduled before the run,
 * clients react to what the service does. Each client has one operation outstanding; it sends
 * its request to the node it believes leads, and when a reply says another node does, or when
 * no reply comes in time, it sends the same request again elsewhere. What they saw is their
 * history ({@link #writeHistory}), which a linearizability checker judges.
 *
 * <p>The clients talk to nodes only through the runtime: a request arrives at a node as
 * {@link ProtocolNode#onRequest}, and a node answers by {@linkplain ProtocolNode#deliver
 * delivering} a value for which {@link #isReply} holds; the runtime hands it back to
 * {@link #onReply}. Like protocol code, a Clients uses no threads, clocks or sockets: the
 * runtime says what time it is, and its randomness is the seeded one it was made with.
 */
public interface Clients {

  /** As many operations as the runtime lets them invoke: it ends them ({@link #end}). */
  long UNBOUNDED = Long.MAX_VALUE;

  /** The operations a simulated run's clients invoke unless told otherwise. */
  long DEFAULT_OPERATIONS = 200;

  /** What the clients want done: requests to send, timers to arm. */
  interface Out {
    /** Sends {@code request} to {@code node}. */
    void request(String node, Object request);

    /** Calls {@link #onTimer} with {@code token} after {@code delay} ticks. */
    void timer(long delay, long token);
  }

  /** The run begins at {@code now}: the first requests. */
  void start(long now, Out out);

  /** {@code node} delivered {@code reply}, a value for which {@link #isReply} holds. */
  void onReply(long now, String node, Object reply, Out out);

  /** The timer armed with {@code token} went off. */
  void onTimer(long now, long token, Out out);

  /** Whether {@code value}, which a node delivered, is an answer to these clients. */
  boolean isReply(Object value);

  /**
   * The workload is over at {@code now}: the clients invoke nothing more of it and read back
   * what the service holds (a store: every key), so that the history shows whether a write
   * they were told succeeded was lost; {@link #done} once they have. False, doing nothing, for
   * clients that have no such reads.
   */
  default boolean readBack(long now, Out out) {
    return false;
  }

  /** After {@link #readBack}: what was read back ("5 of 5 keys read back"), else null. */
  default String readBackSummary() {
    return null;
  }

  /** After {@link #readBack}: whether everything was read back. */
  default boolean allReadBack() {
    return false;
  }

  /**
   * The run ended at {@code now}: every operation still outstanding is of unknown outcome.
   * Called once, and nothing but {@link #writeHistory} after it.
   */
  void end(long now);

  /** True once the clients have nothing more to do: no operation outstanding, none to come. */
  boolean done();

  /**
   * Writes what the clients invoked and what came of it, in time order, to {@code out} in the
   * client history format ({@code spectrace-history/1}, traces/README.md), with {@code source}
   * saying which run it is: the input of the linearizability checker.
   */
  void writeHistory(java.io.OutputStream out, String source) throws java.io.IOException;
}
