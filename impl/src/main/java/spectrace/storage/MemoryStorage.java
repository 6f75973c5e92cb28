package spectrace.storage;

import java.util.HashMap;
import java.util.Map;
import spectrace.core.DurableLog;
import spectrace.core.Storage;

/**
 * Durable storage for the simulator: a map and a log that survive the node's crashes, and a
 * buffer of unflushed writes and log operations that a crash may lose.
 */
public final class MemoryStorage implements Storage {

  private final Map<String, byte[]> durable = new HashMap<>();
  private final Map<String, byte[]> pending = new HashMap<>();
  private final BufferedLog log = new BufferedLog();

  @Override
  public byte[] get(String key) {
    byte[] v = pending.get(key);
    return v != null ? v.clone() : clone(durable.get(key));
  }

  @Override
  public void put(String key, byte[] value) {
    pending.put(key, value.clone());
  }

  @Override
  public DurableLog log() {
    return log;
  }

  @Override
  public boolean dirty() {
    return !pending.isEmpty() || log.pendingOps() > 0;
  }

  @Override
  public void flush() {
    durable.putAll(pending);
    pending.clear();
    log.commit();
  }

  /**
   * The node crashed: its unflushed writes and log operations are all lost when
   * {@code loseUnflushed}, and all made durable otherwise (the disk happened to write them
   * before the crash), as one flush would: never some of them.
   *
   * @return how many unflushed writes were lost: keys written, plus log operations (appends,
   *     truncations, compactions) that changed the log
   */
  public int crash(boolean loseUnflushed) {
    int lost = loseUnflushed ? pending.size() + log.pendingOps() : 0;
    if (loseUnflushed) {
      pending.clear();
      log.rollback();
    } else {
      flush();
    }
    return lost;
  }

  private static byte[] clone(byte[] v) {
    return v == null ? null : v.clone();
  }
}
