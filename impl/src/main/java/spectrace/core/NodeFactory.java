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

  /**
   * A new node of a real run (over TCP) whose members share {@code secret}, a key derived from
   * the cluster's secret for this protocol alone: a protocol whose nodes sign derives their keys
   * from it (PBFT), where a simulated run's nodes use fixed ones. The default ignores it.
   */
  default ProtocolNode<M> newNode(String id, List<String> nodes, byte[] secret) {
    return newNode(id, nodes);
  }
}
