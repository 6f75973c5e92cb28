package spectrace.core;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What a Byzantine node sends. A run of a model with {@link SystemModel.Failure#BYZANTINE}
 * processes and the fault {@link Fault#BYZANTINE} makes some nodes Byzantine; each such node
 * still runs its own code, so that its state stays plausible, but what it sends in a step
 * comes from its adversary, which sees the step's {@link Effects} and may send anything in
 * their place: other messages to different peers (equivocation), messages under another
 * node's name (forgery: on authenticated links the receiver rejects them, and the runtime
 * counts a {@code forgery-rejected} fault), messages it received or sent before (replay).
 *
 * <p>An adversary goes through the same step contract as a correct node: the runner collects
 * the step, hands the effects to the adversary, and applies what it returns; the runtime is
 * not told which nodes are Byzantine beyond that. A protocol names the adversaries it knows in
 * {@link Protocol#adversaries()}; a run picks one per Byzantine node from its seed.
 *
 * <p>An adversary draws only from {@link View#random()}, so that one seed replays the run.
 */
public interface Adversary {

  /** The adversary's name, for the command line and the run's report. */
  String name();

  /**
   * The messages node {@link View#node()} sends in place of the step's {@code honest} sends.
   *
   * @param honest what the node's own code asked for in this step
   * @return what leaves, in order
   */
  List<Out> corrupt(View view, Effects honest);

  /**
   * A message a Byzantine node sends.
   *
   * @param from the sender it claims: itself, or on unauthenticated links any node
   * @param to   the destination
   * @param msg  the message
   */
  record Out(String from, String to, Message msg) {}

  /**
   * What an adversary knows when it acts.
   *
   * @param node     the Byzantine node
   * @param nodes    every node of the run
   * @param random   the adversary's own random source, seeded by the run
   * @param received every message the node has received so far, with its sender, oldest first
   * @param sent     every message the node has sent so far, oldest first
   * @param code     the node's own code as it runs (null before it boots): what the faulty node
   *                 holds, its keys among it, which is all an adversary may sign with
   */
  record View(String node, List<String> nodes, SplittableRandom random, List<Out> received, List<Out> sent,
              java.util.function.Supplier<ProtocolNode<?>> code) {}

  /** The adversary named {@code name} that sends what {@code corrupt} makes of each step. */
  static Adversary of(String name, java.util.function.BiFunction<View, Effects, List<Out>> corrupt) {
    return new Adversary() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Out> corrupt(View view, Effects honest) {
        return corrupt.apply(view, honest);
      }

      @Override
      public String toString() {
        return "adversary " + name;
      }
    };
  }

  /** Sends nothing at all: a Byzantine node that has fallen silent, as if crashed. */
  Adversary SILENT = of("silent", (view, honest) -> List.of());

  /**
   * Sends each honest message to its destination, and to one node chosen at random a message
   * the node received or sent before: replay.
   */
  Adversary REPLAY = of("replay", (view, honest) -> {
    List<Out> out = new java.util.ArrayList<>();
    for (Effects.Send s : honest.sends()) {
      out.add(new Out(view.node(), s.to(), s.msg()));
    }
    List<Out> seen = new java.util.ArrayList<>(view.received());
    seen.addAll(view.sent());
    if (!seen.isEmpty()) {
      Out old = seen.get(view.random().nextInt(seen.size()));
      out.add(new Out(view.node(), view.nodes().get(view.random().nextInt(view.nodes().size())), old.msg()));
    }
    return out;
  });

  /**
   * Sends each honest message under the name of a node chosen at random: forgery, which
   * authenticated links defeat.
   */
  Adversary FORGE = of("forge", (view, honest) -> {
    List<Out> out = new java.util.ArrayList<>();
    for (Effects.Send s : honest.sends()) {
      out.add(new Out(view.nodes().get(view.random().nextInt(view.nodes().size())), s.to(), s.msg()));
    }
    return out;
  });

  /**
   * Sends each honest message to its destination, or, at random, a message of the same step
   * meant for someone else in its place: a coarse equivocation that needs no knowledge of the
   * protocol (a protocol's own adversaries equivocate in its terms).
   */
  Adversary EQUIVOCATE = of("equivocate", (view, honest) -> {
    List<Effects.Send> sends = honest.sends();
    List<Out> out = new java.util.ArrayList<>();
    for (Effects.Send s : sends) {
      Message m = s.msg();
      if (sends.size() > 1 && view.random().nextBoolean()) {
        m = sends.get(view.random().nextInt(sends.size())).msg();
      }
      out.add(new Out(view.node(), s.to(), m));
    }
    return out;
  });

  /** The protocol-independent adversaries, for a protocol that names none of its own. */
  List<Adversary> GENERIC = List.of(SILENT, REPLAY, FORGE, EQUIVOCATE);
}
