package spectrace.core;

import java.util.List;

/**
 * Makes a protocol's nodes: the correct ones, or a {@link Mutant}'s. A runtime asks for a new
 * node at every boot, the first and each recovery.
 *
 * @param <M> the protocol's sealed message type
 */
@FunctionalInterface
public interface NodeFactory<M extends Message> {

  /** A new node {@code id}, in a run of {@code nodes}: fresh, or about to recover. */
  ProtocolNode<M> newNode(String id, List<String> nodes);
}
