package spectrace.core;

/**
 * What a node may ask for: the effects a {@link ProtocolNode} handler has. The host of every
 * node is a {@link StepRunner}, which collects a step's requests into {@link Effects} and
 * applies them when the handler returns, in the order {@link Effects} documents, on the
 * simulator and over TCP alike.
 */
public interface Host {

  /** Queues {@code msg} for {@code to}; it leaves after the step's writes are durable. */
  void send(String to, Message msg);

  /** Fires {@code onTimer(name)} after {@code delay} ticks, replacing a timer of that name. */
  void setTimer(String name, long delay);

  /** Cancels the timer {@code name}, if it is set. */
  void cancelTimer(String name);

  /** The node's durable storage. */
  Storage storage();

  /** Records that the node delivered {@code value} to its application (a broadcast, say). */
  void deliver(Object value);

  /** Records the node's decision (commit or abort, a chosen value). */
  void decide(Object value);

  /**
   * Records that the node rejects the message this step received, unread, for {@code reason}
   * (one word: the check it failed). A node rejects only a message it receives, and before any
   * spec action of the step consumes it.
   */
  void reject(String reason);

  /** The tracer of this node, or null when tracing is off. */
  Tracer tracer();

  /**
   * This node's source of random choices (a gossip node picks its targets from it): seeded by
   * the runtime, so that one seed replays a run, and the node's own, so that another node's
   * draws do not shift it. It lives as long as the host, across the node's crashes.
   */
  java.util.SplittableRandom random();
}
