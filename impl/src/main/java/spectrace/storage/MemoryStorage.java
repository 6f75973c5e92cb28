package spectrace.storage;

import java.util.HashMap;
import java.util.Map;
import spectrace.core.Storage;

/**
 * Durable storage for the simulator: a map that survives the node's crashes, and a buffer of
 * unflushed writes that a crash may lose.
 */
public final class MemoryStorage implements Storage {

  private final Map<String, byte[]> durable = new HashMap<>();
  private final Map<String, byte[]> pending = new HashMap<>();

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
  public boolean dirty() {
    return !pending.isEmpty();
  }

  @Override
  public void flush() {
    durable.putAll(pending);
    pending.clear();
  }

  /**
   * The node crashed: its unflushed writes are lost when {@code loseUnflushed}, and made
   * durable otherwise (the disk happened to write them before the crash).
   *
   * @return how many unflushed writes were lost
   */
  public int crash(boolean loseUnflushed) {
    int lost = loseUnflushed ? pending.size() : 0;
    if (loseUnflushed) {
      pending.clear();
    } else {
      flush();
    }
    return lost;
  }

  private static byte[] clone(byte[] v) {
    return v == null ? null : v.clone();
  }
}
