package spectrace.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The effects of one step of a node, as data: everything its handler asked for, in the order
 * it asked. A {@link StepRunner} collects them while the handler runs and applies them when it
 * returns; a unit test can collect them and look, with no runtime at all (as etcd's raft hands
 * its application a {@code Ready}).
 *
 * <p>The runner applies a step's effects in this order, on the simulator and over TCP alike:
 * <ol>
 *   <li>timers are armed and cancelled (a timer fires in a later step, so its place among the
 *       effects of this one cannot be seen);
 *   <li>the step's durable writes are flushed, with the runtime's mark of how far its trace
 *       goes, in one atomic flush, whenever the step has an effect another node or the
 *       application can see ({@link #visible()}), and whenever a traced step wrote: no effect
 *       can depend on a write a crash may still lose, and no trace event can claim one (with
 *       tracing off, a step that wrote but shows nothing may leave its writes unflushed);
 *   <li>the sends leave;
 *   <li>deliveries and decisions are reported;
 *   <li>the messages the node rejected are reported (a correct node's, to its trace: a Byzantine
 *       node's are not, as nothing it does is traced).
 * </ol>
 * The trace's events are written as the step's spec actions complete, with the variables as
 * they were then; they count once the runtime's mark covers them (step 2).
 */
public final class Effects {

  /** A message for {@code to}, sent by the spec action numbered {@code action} of the step. */
  public record Send(String to, Message msg, int action) {}

  /**
   * The message the step received, {@code msg} from {@code from}, rejected unread: {@code reason}
   * names the check it failed, in one word ({@code signature}, {@code digest}, ...).
   */
  public record Rejection(String from, Message msg, String reason) {}

  /** A timer set ({@code delay >= 0} ticks) or cancelled ({@code delay < 0}). */
  public record Timer(String name, long delay) {
    /** True for a cancellation. */
    public boolean cancels() {
      return delay < 0;
    }
  }

  /**
   * A spec action the step completed, in order: the action's name, its parameters, and the
   * message it consumed (null for none). Its lists are built when asked for, so that recording
   * an action costs a traced step almost nothing.
   */
  public static final class Action {
    private final String name;
    private final String paramNames;
    private final Object[] params;
    private final String recvFrom;
    private final Message recv;

    Action(String name, String paramNames, Object[] params, String recvFrom, Message recv) {
      this.name = name;
      this.paramNames = paramNames;
      this.params = params;
      this.recvFrom = recvFrom;
      this.recv = recv;
    }

    /** The spec action's name. */
    public String name() {
      return name;
    }

    /** Its parameters' names, in order. */
    public List<String> paramNames() {
      return paramNames.isEmpty() ? List.of() : List.of(paramNames.split(","));
    }

    /** Its parameters' values, in the order of {@link #paramNames()}. */
    public List<Object> params() {
      return java.util.Collections.unmodifiableList(java.util.Arrays.asList(params));
    }

    /** The sender of the message it consumed, or null. */
    public String recvFrom() {
      return recvFrom;
    }

    /** The message it consumed, or null. */
    public Message recv() {
      return recv;
    }

    @Override
    public String toString() {
      return name + "(" + paramNames + " = " + java.util.Arrays.toString(params) + ")"
          + (recv == null ? "" : " consuming " + recv + " from " + recvFrom);
    }
  }

  // Empty until a first entry, so that a step that asks for little allocates little.
  List<Send> sends = List.of();
  List<Timer> timers = List.of();
  List<Object> deliveries = List.of();
  List<Object> decisions = List.of();
  List<Action> actions = List.of();
  List<Rejection> rejections = List.of();
  boolean wrote;

  private static <T> List<T> grown(List<T> l) {
    return l instanceof ArrayList<T> ? l : new ArrayList<>(4);
  }

  void add(Send s) {
    (sends = grown(sends)).add(s);
  }

  void add(Timer t) {
    (timers = grown(timers)).add(t);
  }

  void add(Action a) {
    (actions = grown(actions)).add(a);
  }

  void deliver(Object value) {
    (deliveries = grown(deliveries)).add(value);
  }

  void decide(Object value) {
    (decisions = grown(decisions)).add(value);
  }

  void add(Rejection r) {
    (rejections = grown(rejections)).add(r);
  }

  Effects() {}

  /** The messages to send, in the order the handler sent them. */
  public List<Send> sends() {
    return Collections.unmodifiableList(sends);
  }

  /** The timers set and cancelled, in order. */
  public List<Timer> timers() {
    return Collections.unmodifiableList(timers);
  }

  /** The values delivered to the application, in order. */
  public List<Object> deliveries() {
    return Collections.unmodifiableList(deliveries);
  }

  /** The decisions recorded, in order. */
  public List<Object> decisions() {
    return Collections.unmodifiableList(decisions);
  }

  /** The spec actions completed, in order (recorded only when the node traces). */
  public List<Action> actions() {
    return Collections.unmodifiableList(actions);
  }

  /** The messages rejected, in order: at most the one the step received. */
  public List<Rejection> rejections() {
    return Collections.unmodifiableList(rejections);
  }

  /** True when the step left durable writes waiting for a flush. */
  public boolean wrote() {
    return wrote;
  }

  /**
   * True when the step has an effect that another node or the application can see (a send,
   * a delivery, a decision): its durable writes must be flushed before that effect happens.
   */
  public boolean visible() {
    return !sends.isEmpty() || !deliveries.isEmpty() || !decisions.isEmpty();
  }

  @Override
  public String toString() {
    return "Effects[sends=" + sends + ", timers=" + timers + ", deliveries=" + deliveries + ", decisions="
        + decisions + ", actions=" + actions + (rejections.isEmpty() ? "" : ", rejections=" + rejections)
        + ", wrote=" + wrote + "]";
  }
}
