package spectrace.history;

import java.util.List;

/**
 * A sequential specification: the object a history must be linearizable to, as a deterministic
 * state machine over {@link Operation}s (Herlihy and Wing 1990; Porcupine's models). States are
 * values: immutable, with {@code equals} and {@code hashCode}, because the checker memoizes the
 * configurations it has explored (Lowe 2017). A step depends only on the state and the
 * operation's f, key, value and expected value (not its process or times): the checker treats
 * info operations that agree on these as interchangeable.
 *
 * @param <S> the state type
 */
public interface Model<S> {

  /** The initial state. */
  S init();

  /**
   * The state after {@code op} takes effect in {@code state} and returns what the history says it
   * returned, or null if it cannot return that in {@code state}.
   */
  S step(S state, Operation op);

  /**
   * For an operation whose result is unknown: the state after it takes effect in {@code state},
   * or null if taking effect there changes nothing (it is then the same as not taking effect).
   */
  S stepUnknown(S state, Operation op);

  /** Why {@code op} cannot return what it returned in {@code state}: a phrase for reports. */
  String whyNot(S state, Operation op);

  /** The state as a reader writes it. */
  String describe(S state);

  /**
   * The partition {@code op} belongs to. A history is linearizable iff each partition's
   * sub-history is (locality, Herlihy and Wing 1990, Theorem 1), so the checker checks each
   * alone. Operations of different partitions must not interact in the model.
   */
  String partition(Operation op);

  /**
   * Leaves out, from one partition's operations, optional ones (whose result is unknown, and
   * which need not take effect) that provably change no verdict; by default none. {@code
   * required} must take effect with their recorded results.
   */
  default List<Operation> prune(List<Operation> required, List<Operation> optional) {
    return optional;
  }

  /**
   * A quick proof that one partition's operations have no linearization, without a search: a
   * required operation that can take effect nowhere; null if there is none to be had so. By
   * default none.
   */
  default Operation refute(List<Operation> required, List<Operation> optional) {
    return null;
  }

  /**
   * Facts about a witness that help a reader see why it is one (for the key-value store: the
   * writes of each value its reads find); by default none.
   *
   * @param witness the witness's operations
   * @param partition every operation of the witness's partition
   */
  default List<String> hints(List<Operation> witness, List<Operation> partition) {
    return List.of();
  }
}
