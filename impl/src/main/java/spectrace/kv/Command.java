package spectrace.kv;

/**
 * One client operation on the replicated key-value store, as it is replicated: the value of a
 * log entry, the same for Raft, VR and PBFT. A plain record of strings, numbers and an enum,
 * so that a trace writes it as a JSON object and TLC sees it as the TLA+ record
 * {@code [client |-> "c1", seq |-> 1, op |-> "put", key |-> "k1", value |-> 3, expected |-> 0]}.
 *
 * <p>{@code (client, seq)} identifies the operation for the store's client sessions
 * (Ongaro's dissertation, §6.3): {@code client} is the client's session id, {@code seq} its
 * sequence number, from 1, one more for each new operation of that client; a retry sends the
 * same command again.
 *
 * @param client   the client session id (the history's process name, e.g. {@code "c1"})
 * @param seq      the operation's sequence number within the session, at least 1
 * @param op       put, get or cas
 * @param key      the key
 * @param value    put: the value written; cas: the new value; get: 0
 * @param expected cas: the value the key must hold for the write to happen; put and get: 0
 */
public record Command(String client, long seq, Op op, String key, long value, long expected) {

  /** Checks the fields: unused ones are 0, so that the same operation is always the same record. */
  public Command {
    if (client == null || client.isEmpty()) {
      throw new IllegalArgumentException("a command needs a client id, not '" + client + "'");
    }
    if (seq < 1) {
      throw new IllegalArgumentException("a command's seq starts at 1, not " + seq + " (client " + client + ")");
    }
    if (op == null) {
      throw new IllegalArgumentException("a command needs an op (client " + client + ", seq " + seq + ")");
    }
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a command needs a key, not '" + key + "' (client " + client + ", seq " + seq
          + ")");
    }
    if (op == Op.GET && value != 0) {
      throw new IllegalArgumentException("a get carries no value (value " + value + ", client " + client + ", seq "
          + seq + ")");
    }
    if (op != Op.CAS && expected != 0) {
      throw new IllegalArgumentException("only a cas carries an expected value (" + op.lowerCase() + " with expected "
          + expected + ", client " + client + ", seq " + seq + ")");
    }
  }

  /** put(key, value). */
  public static Command put(String client, long seq, String key, long value) {
    return new Command(client, seq, Op.PUT, key, value, 0);
  }

  /** get(key). */
  public static Command get(String client, long seq, String key) {
    return new Command(client, seq, Op.GET, key, 0, 0);
  }

  /** cas(key, expected, value): writes {@code value} if the key holds {@code expected}. */
  public static Command cas(String client, long seq, String key, long expected, long value) {
    return new Command(client, seq, Op.CAS, key, value, expected);
  }
}
