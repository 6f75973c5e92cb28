package spectrace.core;

/**
 * A protocol node: a deterministic state machine.
 *
 * <p>A runtime calls the input methods, one at a time: {@link #start()}, {@link #onMessage},
 * {@link #onTimer}, {@link #onRequest}, {@link #onCrashNotification} and {@link #onRecover}.
 * A handler reacts only through the effects below (send, timers, durable storage, deliver,
 * decide), which the {@link StepRunner} collects as the step's {@link Effects} and applies when
 * the handler returns: durable writes first, then the rest. A test can collect a handler's
 * effects with {@link StepRunner#detached} and look at them, with no runtime. Protocol code has no threads, sockets, files, clocks or randomness of its own:
 * the same node runs unchanged on the simulator and over TCP, and one seed replays one run.
 *
 * <p>A crash discards the node object: volatile state is whatever is not in {@link #storage()}.
 * After a crash the runtime makes a new node and calls {@link #onRecover()} instead of
 * {@link #start()}.
 *
 * @param <M> the protocol's sealed message type
 */
public abstract class ProtocolNode<M extends Message> {

  /** This node's id, as the spec's constants name it (e.g. {@code rm1}). */
  protected final String id;
  private Host host;

  protected ProtocolNode(String id) {
    this.id = id;
  }

  /** This node's id. */
  public final String id() {
    return id;
  }

  /** Called once by the runtime before any input. */
  public final void attach(Host host) {
    if (this.host != null) {
      throw new IllegalStateException(id + " is already attached to a runtime");
    }
    this.host = host;
  }

  // ---- Inputs -------------------------------------------------------------------------------

  /** First boot, with empty storage. */
  public void start() {}

  /** A message from {@code from}. */
  public abstract void onMessage(String from, M msg);

  /** The timer {@code name} fired. */
  public void onTimer(String name) {}

  /** A client request (the workload). */
  public void onRequest(Object request) {}

  /** The perfect failure detector reports that {@code crashed} has crashed (fail-stop models). */
  public void onCrashNotification(String crashed) {}

  /** Boot after a crash: rebuild volatile state from {@link #storage()}. */
  public void onRecover() {}

  // ---- Effects ------------------------------------------------------------------------------

  /** Sends {@code msg} to {@code to} once this step's durable writes are flushed. */
  protected final void send(String to, M msg) {
    host.send(to, msg);
  }

  /** Fires {@link #onTimer} with {@code name} after {@code delay} ticks. */
  protected final void setTimer(String name, long delay) {
    host.setTimer(name, delay);
  }

  /** Cancels the timer {@code name}. */
  protected final void cancelTimer(String name) {
    host.cancelTimer(name);
  }

  /** Durable storage: survives crashes once flushed (see {@link Storage}). */
  protected final Storage storage() {
    return host.storage();
  }

  /** Delivers {@code value} to the application. */
  protected final void deliver(Object value) {
    host.deliver(value);
  }

  /** Records this node's decision. */
  protected final void decide(Object value) {
    host.decide(value);
  }

  /**
   * Rejects the message this step received, unread, for {@code reason}: one word naming the
   * check it failed ({@code signature}, {@code digest}, {@code proof}). The runtime logs it: the
   * trace of a correct node gets a {@code rejected} fault event.
   */
  protected final void reject(String reason) {
    host.reject(reason);
  }

  /**
   * The source of this node's random choices, seeded by the runtime: a randomized protocol
   * draws only from it, never from a random source of its own, so that one seed replays a run.
   */
  protected final java.util.SplittableRandom random() {
    return host.random();
  }

  // ---- Tracing: called by code the build weaves in; not for protocol code ----------------

  /** True when this node's runtime traces. Woven code tests it before it builds anything. */
  public final boolean $tracing() {
    return host != null && host.tracer() != null;
  }

  /** Records that the action {@code action} completed. Woven code calls it. */
  public final void $action(String action, String paramNames, Object[] params) {
    host.tracer().action(this, action, paramNames, params);
  }

  /**
   * Hands this node's {@link SpecVar} fields to {@code sink}. The build overrides this method
   * in every class that declares such fields; this one has none.
   */
  public void $specVars(VarSink sink) {}
}
