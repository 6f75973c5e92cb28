/**
 * The replicated key-value store that Raft, VR and PBFT share, and its clients: pure,
 * deterministic state machines with no threads, clocks, sockets or files.
 *
 * <ul>
 *   <li>{@link spectrace.kv.Command}: one client operation (put, get, compare-and-set), the
 *       value of a replicated log entry; {@link spectrace.kv.Result}: what applying it gives.</li>
 *   <li>{@link spectrace.kv.KvStore}: the state machine, with client sessions so that a
 *       retried command is applied at most once (Ongaro's dissertation, §6.3).</li>
 *   <li>{@link spectrace.kv.KvClients}: the clients, a closed-loop random workload that a
 *       runtime (the simulator or the TCP cluster) drives with replies and timers, and that
 *       records the history of operations the linearizability checker reads.</li>
 *   <li>{@link spectrace.kv.KvRequest} and {@link spectrace.kv.KvReply}: what a client sends
 *       a node and what comes back.</li>
 *   <li>{@link spectrace.kv.HistoryWriter}: the history as NDJSON
 *       ({@value spectrace.kv.HistoryWriter#FORMAT}).</li>
 * </ul>
 */
package spectrace.kv;
