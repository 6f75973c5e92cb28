package spectrace.kv;

import java.util.List;
import java.util.SplittableRandom;
import spectrace.core.Clients;
import spectrace.core.Reports;
import spectrace.core.Workloads;

/**
 * The workload of a replicated key-value service (Raft, VR): nothing scheduled ahead, since
 * {@value #CLIENTS} clients load the store ({@link KvClients}: closed loops of put, get and cas
 * on five keys, each retried at another node when its node does not lead or does not answer,
 * with the same (client, seq), so that the store applies it at most once); the replies and
 * applied entries the nodes report; and the checks on those reports.
 */
public interface KvService extends Workloads {

  /** The key-value clients a run has. */
  int CLIENTS = 3;

  /** The spec's name for "no two replicas apply different commands at one index". */
  String agreementInvariant();

  @Override
  default void workload(List<String> nodes, SplittableRandom random, Workload schedule) {}

  @Override
  default Clients clients(List<String> nodes, long operations, SplittableRandom random) {
    return KvClientDriver.of(nodes, KvClients.Config.of(CLIENTS, operations), random);
  }

  @Override
  default List<Class<? extends Record>> requestTypes() {
    return List.of(KvRequest.class);
  }

  @Override
  default List<Class<? extends Record>> reportTypes() {
    return List.of(AppliedEntry.class, KvReply.Applied.class, KvReply.NotLeader.class);
  }

  /** What the replicas reported applying: no two apply different commands at one index. */
  @Override
  default List<String> violations(Reports r) {
    return AppliedEntry.disagreements(r, agreementInvariant());
  }

  /** A run is over once every live replica applied the same number of entries, at least one. */
  @Override
  default String awaiting(Reports r) {
    return AppliedEntry.awaiting(r);
  }
}
