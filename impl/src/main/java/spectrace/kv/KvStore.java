package spectrace.kv;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The replicated state machine: a map from keys to integers, with put, get and
 * compare-and-set, and client sessions (Ongaro's dissertation, §6.3) so that a command is
 * applied at most once however often it was retried and replicated.
 *
 * <p>A replica applies the commands of its committed log prefix in log order;
 * {@link #apply} is deterministic (it depends on the store's state and the command alone), so
 * every replica that applies the same prefix holds the same state and gives the same results,
 * and a replica that lost its store in a crash rebuilds it by applying its log again from the
 * first entry (or from a {@link Snapshot}). Reads (get) are commands like writes: a node
 * answers one only once it is committed and applied, which makes reads linearizable without
 * leases or read indexes (§6.4).
 *
 * <p>Sessions: for each client the store remembers the highest seq it applied and that
 * command's result. A command whose seq is above it is applied; one whose seq equals it is a
 * retry, not applied again, and gets the remembered result; one below it gets
 * {@link Result#STALE}. (A client issues seq n+1 only after the reply to n, so a command
 * below the session's seq is a late duplicate nobody waits for.) Sessions never expire: a
 * run has few clients, and a client that gives up on an operation continues under a new
 * session id, so the table grows with the number of sessions, not of commands. The
 * dissertation's expiry by log time would be the change to make for long-lived clusters.
 *
 * <p>Not thread-safe; a replica applies from one thread.
 */
public final class KvStore {

  /** One client session: the highest seq applied for the client, and its result. */
  public record Session(long seq, Result result) {}

  /**
   * The whole state as a value (for snapshots, state transfer, or comparing replicas): the
   * data and the sessions, as sorted, unmodifiable maps. A plain record of string-keyed maps,
   * so a trace can write it.
   */
  public record Snapshot(Map<String, Long> data, Map<String, Session> sessions) {
    /** Copies the maps. */
    public Snapshot {
      data = Collections.unmodifiableSortedMap(new TreeMap<>(data));
      sessions = Collections.unmodifiableSortedMap(new TreeMap<>(sessions));
    }
  }

  private final TreeMap<String, Long> data = new TreeMap<>();
  private final TreeMap<String, Session> sessions = new TreeMap<>();

  /** An empty store. */
  public KvStore() {}

  /** A store holding {@code snapshot}'s state. */
  public static KvStore restore(Snapshot snapshot) {
    KvStore s = new KvStore();
    s.data.putAll(snapshot.data());
    s.sessions.putAll(snapshot.sessions());
    return s;
  }

  /**
   * Applies {@code command} unless its session has applied it (or a later one) already, and
   * gives its result: the remembered one for a retry of the session's last command,
   * {@link Result#STALE} for an older one. A retry is recognised by (client, seq) alone.
   */
  public Result apply(Command command) {
    Session session = sessions.get(command.client());
    if (session != null && command.seq() <= session.seq()) {
      return command.seq() == session.seq() ? session.result() : Result.STALE;
    }
    Result result = switch (command.op()) {
      case PUT -> {
        data.put(command.key(), command.value());
        yield Result.ok(command.value());
      }
      case GET -> {
        Long v = data.get(command.key());
        yield v == null ? Result.okAbsent() : Result.ok(v);
      }
      case CAS -> {
        Long v = data.get(command.key());
        if (v != null && v == command.expected()) {
          data.put(command.key(), command.value());
          yield Result.ok(command.value());
        }
        yield v == null ? Result.failAbsent() : Result.fail(v);
      }
    };
    sessions.put(command.client(), new Session(command.seq(), result));
    return result;
  }

  /** The value {@code key} holds, or empty. */
  public OptionalLong value(String key) {
    Long v = data.get(key);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** The session of {@code client}, or null when the store has applied none of its commands. */
  public Session session(String client) {
    return sessions.get(client);
  }

  /** The whole state, as a value that {@link #restore} takes back. */
  public Snapshot snapshot() {
    return new Snapshot(data, sessions);
  }

  @Override
  public String toString() {
    return "KvStore" + data + " sessions " + sessions;
  }
}
