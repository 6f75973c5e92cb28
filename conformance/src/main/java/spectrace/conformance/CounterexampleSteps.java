package spectrace.conformance;

import java.util.List;
import java.util.Map;

/**
 * What each step of a TLC counterexample did, in a message-passing spec's terms: the process
 * that took it and the messages it sent and received, found by replaying the behaviour through
 * TLC on the model that produced it (in a spec's own class loader, {@link SpecLoader}), and
 * read through the spec's conformance settings: its actors and its network.
 */
public interface CounterexampleSteps extends AutoCloseable {

  /**
   * A copy of a message, in TLA+.
   *
   * @param from its sender, or null when the network does not say (a set of plain messages)
   * @param to   its receiver, or null likewise
   * @param msg  the message
   */
  record Message(String from, String to, String msg) {}

  /**
   * One step.
   *
   * @param action   the action, as its operator is named
   * @param actor    the process that took it, or null when the settings do not say
   * @param params   the action's parameters, in TLA+ (those Next binds, and the message it receives)
   * @param sent     the messages the step added to the network
   * @param received the message the step consumed or received, or null
   */
  record Step(String action, String actor, Map<String, String> params, List<Message> sent, Message received) {}

  /**
   * The steps between consecutive states: one fewer than {@code states}.
   *
   * @param states  each state's variables, name to TLA+ value as TLC printed them
   * @param actions TLC's name for the action of each state (the first is the initial predicate's)
   * @throws TraceException when a state is none of the model's successors of the one before
   */
  List<Step> explain(List<Map<String, String>> states, List<String> actions) throws TraceException;

  @Override
  void close();
}
