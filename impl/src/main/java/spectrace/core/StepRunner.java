package spectrace.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Runs the steps of one node: collects what its handler asks for into {@link Effects}, and
 * applies them in the order {@link Effects} documents. The simulator and the TCP runtime share
 * it; each gives it a {@link Runtime}, which says how a timer is armed, a message sent and a
 * trace marked durable there, and nothing about when.
 *
 * <p>It is the {@link Host} of its node's every incarnation: a crash discards the node object,
 * and the runtime {@linkplain #boot boots} a new one on the same runner, with the same storage
 * and random source.
 *
 * <p>A step's spec actions reach the {@link TraceSink} as they complete, each with the message
 * it consumed and the messages sent since the action before it: the woven code calls
 * {@link ProtocolNode#$action}, which lands in {@link #action}. A traced step whose handler sends
 * a message after its last spec action is refused, since no event of the trace could account
 * for that message.
 *
 * <p>Not thread-safe: a runtime drives a node from one thread at a time.
 */
public final class StepRunner implements Host, Tracer {

  /** What a runtime does with the effects of a step, once the runner says when. */
  public interface Runtime {
    /** Arms the timer {@code name} to fire after {@code delay} ticks, replacing one of that name. */
    void setTimer(String name, long delay);

    /** Disarms the timer {@code name}, if it is armed. */
    void cancelTimer(String name);

    /**
     * The step traced actions: put the mark of how far the trace goes into {@code storage}, to
     * be made durable with the step's own writes. A runtime whose trace a crash cannot cut
     * (the simulator's) does nothing.
     */
    default void mark(Storage storage) {}

    /** Puts {@code msg} on the link to {@code to}. */
    void send(String to, Message msg);

    /**
     * Puts a Byzantine node's message on the link to {@code out.to()}, under the sender it
     * claims. Only a runtime that runs Byzantine nodes implements it.
     */
    default void sendByzantine(Adversary.Out out) {
      throw new UnsupportedOperationException("this runtime runs no Byzantine nodes");
    }

    /** The node delivered {@code value} to its application. */
    void delivered(Object value);

    /** The node decided {@code value}. */
    void decided(Object value);

    /**
     * The node rejected {@code msg} from {@code from}, unread, for {@code reason}. A runtime
     * that traces writes it as a {@code rejected} fault event; the default ignores it.
     */
    default void rejected(String from, Message msg, String reason) {}
  }

  /** Where the spec actions of a traced node go as they complete. */
  @FunctionalInterface
  public interface TraceSink {
    /**
     * {@code node} completed {@code action}.
     *
     * @param recvFrom the sender of the message the action consumed, or null
     * @param recv     the message the action consumed, or null
     * @param sentTo   the destinations of the messages the action sent
     * @param sent     those messages, in order
     */
    void action(ProtocolNode<?> node, String action, String paramNames, Object[] params, String recvFrom,
                Message recv, List<String> sentTo, List<Message> sent);
  }

  private static final Pattern REASON = Pattern.compile("[a-z]+(-[a-z]+)*");

  private final String id;
  private final List<String> nodes;
  /** The nodes as a set: a send's destination is checked against it, in constant time. */
  private final java.util.Set<String> members;
  private final Storage storage;
  private final SplittableRandom random;
  private final Runtime runtime;
  private final TraceSink trace;

  private Adversary adversary;
  private Adversary.View view;
  private Effects step;
  private String recvFrom;
  private Message recv;
  private int actionMark;
  private final List<String> actionTo = new ArrayList<>();
  private final List<Message> actionSent = new ArrayList<>();

  /**
   * The runner of node {@code id} in a run of {@code nodes}.
   *
   * @param trace where spec actions go, or null when the node does not trace (woven code then
   *              builds nothing)
   */
  public StepRunner(String id, List<String> nodes, Storage storage, SplittableRandom random, Runtime runtime,
                    TraceSink trace) {
    this.id = id;
    this.nodes = List.copyOf(nodes);
    this.members = java.util.Set.copyOf(nodes);
    this.storage = storage;
    this.random = random;
    this.runtime = runtime;
    this.trace = trace;
  }

  /**
   * A runner with no runtime behind it, for unit tests of a node's handlers: {@link #collect}
   * returns what a step asked for, and nothing is ever applied. With {@code traced}, the node's
   * spec actions are recorded in {@link Effects#actions()} (and written nowhere).
   */
  public static StepRunner detached(String id, List<String> nodes, Storage storage, boolean traced) {
    Runtime none = new Runtime() {
      @Override
      public void setTimer(String name, long delay) {}

      @Override
      public void cancelTimer(String name) {}

      @Override
      public void send(String to, Message msg) {}

      @Override
      public void delivered(Object value) {}

      @Override
      public void decided(Object value) {}
    };
    TraceSink sink = traced ? (n, a, names, params, from, msg, to, sent) -> {} : null;
    return new StepRunner(id, nodes, storage, new SplittableRandom(0), none, sink);
  }

  /** Makes {@code n} this runner's node (its first boot, or a recovery's new incarnation). */
  public <N extends ProtocolNode<?>> N boot(N n) {
    if (!n.id().equals(id)) {
      throw new IllegalArgumentException("node " + n.id() + " booted on the runner of " + id);
    }
    n.attach(this);
    booted = n;
    return n;
  }

  /** The node last booted on this runner, or null. */
  private ProtocolNode<?> booted;

  /**
   * Makes this node Byzantine: from now on what it sends in a step is what {@code a} returns
   * for the step's effects (see {@link Adversary}), drawing on {@code random}. A Byzantine node
   * does not trace: a runner made with a trace sink refuses.
   */
  public void byzantine(Adversary a, SplittableRandom random) {
    if (trace != null) {
      throw new IllegalStateException(id + ": a Byzantine node's steps are no spec actions; run it untraced");
    }
    adversary = a;
    view = new Adversary.View(id, nodes, random, new ArrayList<>(), new ArrayList<>(), () -> booted);
  }

  /** The adversary of this node, or null when it is correct. */
  public Adversary adversary() {
    return adversary;
  }

  /**
   * Runs one input of the node: {@code handler} (which calls one input method of the node),
   * having consumed {@code msg} from {@code from} (both null for an input that is no message),
   * and applies its effects.
   *
   * @return the step's effects, as applied
   */
  public Effects run(String from, Message msg, Runnable handler) {
    Effects e = collect(from, msg, handler);
    if (adversary == null) {
      apply(e);
    } else {
      if (msg != null) {
        view.received().add(new Adversary.Out(from, id, msg));
      }
      apply(e, adversary.corrupt(view, e));
    }
    return e;
  }

  /** Runs {@code handler} as one step and returns what it asked for, applying none of it. */
  public Effects collect(String from, Message msg, Runnable handler) {
    if (step != null) {
      throw new IllegalStateException(id + ": a step began inside another");
    }
    Effects e = new Effects();
    step = e;
    recvFrom = from;
    recv = msg;
    actionMark = 0;
    try {
      handler.run();
      if (trace != null && actionMark < e.sends.size()) {
        throw new IllegalStateException(id + " sent " + e.sends.get(actionMark).msg().getClass().getSimpleName()
            + " outside any @SpecAction method: every send must belong to a spec action, or the trace"
            + " cannot account for it");
      }
      e.wrote = storage.dirty();
      return e;
    } finally {
      step = null;
      recv = null;
      recvFrom = null;
    }
  }

  /** Collects a step with no message consumed: {@code collect(null, null, handler)}. */
  public Effects collect(Runnable handler) {
    return collect(null, null, handler);
  }

  /** Applies the effects of a step, in the order {@link Effects} documents. */
  public void apply(Effects e) {
    apply(e, null);
  }

  /** Applies {@code e}, with {@code byzantine} (when not null) sent in place of its sends. */
  private void apply(Effects e, List<Adversary.Out> byzantine) {
    for (Effects.Timer t : e.timers) {
      if (t.cancels()) {
        runtime.cancelTimer(t.name());
      } else {
        runtime.setTimer(t.name(), t.delay());
      }
    }
    if (!e.actions.isEmpty()) {
      runtime.mark(storage);
    }
    // A traced step's events claim the state it wrote: what the trace says a node holds durably
    // is what a crash keeps (a Raft server adopting a higher term from a response sends nothing,
    // yet its event says currentTerm is the new term, and the spec's Restart keeps it).
    if (e.visible() || !e.actions.isEmpty() && e.wrote || byzantine != null && !byzantine.isEmpty()) {
      storage.flush();
    }
    if (byzantine == null) {
      for (Effects.Send s : e.sends) {
        runtime.send(s.to(), s.msg());
      }
    } else {
      for (Adversary.Out o : byzantine) {
        if (!members.contains(o.from()) || !members.contains(o.to())) {
          throw new IllegalStateException("adversary " + adversary.name() + " of " + id + " sent " + o
              + ": every sender and destination must be a node of the run (" + nodes + ")");
        }
        view.sent().add(o);
        runtime.sendByzantine(o);
      }
    }
    for (Object d : e.decisions) {
      runtime.decided(d);
    }
    for (Object d : e.deliveries) {
      runtime.delivered(d);
    }
    if (byzantine == null) {
      for (Effects.Rejection r : e.rejections) {
        runtime.rejected(r.from(), r.msg(), r.reason());
      }
    }
  }

  private Effects current(String what) {
    if (step == null) {
      throw new IllegalStateException(id + ": " + what + " outside a step: a node acts only from its handlers");
    }
    return step;
  }

  // ---- Host -----------------------------------------------------------------------------------

  @Override
  public void send(String to, Message msg) {
    if (!members.contains(to)) {
      throw new IllegalArgumentException("no node " + to + " in this run (" + nodes + ")");
    }
    Effects e = current("a send");
    e.add(new Effects.Send(to, msg, e.actions.size()));
  }

  @Override
  public void setTimer(String name, long delay) {
    if (delay < 0) {
      throw new IllegalArgumentException("negative timer delay " + delay);
    }
    current("a timer").add(new Effects.Timer(name, delay));
  }

  @Override
  public void cancelTimer(String name) {
    current("a timer").add(new Effects.Timer(name, -1));
  }

  @Override
  public Storage storage() {
    return storage;
  }

  @Override
  public void deliver(Object value) {
    current("a delivery").deliver(value);
  }

  @Override
  public void decide(Object value) {
    current("a decision").decide(value);
  }

  @Override
  public void reject(String reason) {
    if (reason == null || !REASON.matcher(reason).matches()) {
      throw new IllegalArgumentException("a rejection's reason is a word, hyphenated, not " + reason);
    }
    Effects e = current("a rejection");
    if (recv == null) {
      throw new IllegalStateException(id + " rejects, but holds no message it received: a node rejects a"
          + " message it received, before a spec action consumes it");
    }
    e.add(new Effects.Rejection(recvFrom, recv, reason));
  }

  @Override
  public Tracer tracer() {
    return trace == null ? null : this;
  }

  @Override
  public SplittableRandom random() {
    return random;
  }

  // ---- Tracer ---------------------------------------------------------------------------------

  @Override
  public void action(ProtocolNode<?> n, String action, String paramNames, Object[] params) {
    Effects e = current("a spec action");
    actionTo.clear();
    actionSent.clear();
    for (int i = actionMark; i < e.sends.size(); i++) {
      actionTo.add(e.sends.get(i).to());
      actionSent.add(e.sends.get(i).msg());
    }
    trace.action(n, action, paramNames, params, recvFrom, recv, actionTo, actionSent);
    e.add(new Effects.Action(action, paramNames, params, recvFrom, recv));
    actionMark = e.sends.size();
    recv = null;
    recvFrom = null;
  }
}
