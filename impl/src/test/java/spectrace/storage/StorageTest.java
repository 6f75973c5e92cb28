package spectrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {

  @TempDir Path dir;

  @Test
  void fileStorageKeepsOnlyFlushedWritesAcrossReopening() throws IOException {
    FileStorage a = new FileStorage(dir.resolve("n1"));
    a.putString("tmState", "committed");
    assertEquals("committed", a.getString("tmState"), "a node reads its own unflushed write");
    assertNull(new FileStorage(dir.resolve("n1")).getString("tmState"), "an unflushed write is not durable");
    a.flush();
    assertFalse(a.dirty());
    assertEquals("committed", new FileStorage(dir.resolve("n1")).getString("tmState"));
    a.putString("tmState", "aborted");
    a.flush();
    assertEquals("aborted", new FileStorage(dir.resolve("n1")).getString("tmState"));
    try (var files = Files.list(dir.resolve("n1"))) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void fileStorageRefusesKeysThatAreNotSafeFileNames() throws IOException {
    FileStorage s = new FileStorage(dir);
    assertThrows(IllegalArgumentException.class, () -> s.putString("../escape", "x"));
    assertThrows(IllegalArgumentException.class, () -> s.putString("a/b", "x"));
    assertThrows(IllegalArgumentException.class, () -> s.putString("k".repeat(256), "x"));
  }

  @Test
  void aFlushIsAtomicAcrossKeysAndATornLastRecordIsDropped() throws IOException {
    Path n = dir.resolve("n2");
    FileStorage a = new FileStorage(n);
    a.putString("x", "1");
    a.putString("y", "1");
    a.flush();
    long whole = Files.size(n.resolve(FileStorage.LOG));
    a.putString("x", "2");
    a.putString("y", "2");
    a.flush();
    long after = Files.size(n.resolve(FileStorage.LOG));
    for (long cut = whole + 1; cut < after; cut++) {
      byte[] log = Files.readAllBytes(n.resolve(FileStorage.LOG));
      Path torn = dir.resolve("torn-" + cut);
      Files.createDirectories(torn);
      Files.write(torn.resolve(FileStorage.LOG), java.util.Arrays.copyOf(log, (int) cut));
      FileStorage b = new FileStorage(torn);
      assertEquals("1", b.getString("x"), "cut at byte " + cut);
      assertEquals("1", b.getString("y"), "cut at byte " + cut);
      assertEquals(whole, Files.size(torn.resolve(FileStorage.LOG)), "the torn record is cut away");
      b.putString("x", "3");
      b.flush();
      assertEquals("3", new FileStorage(torn).getString("x"), "writes after a cut are durable");
    }
    byte[] log = Files.readAllBytes(n.resolve(FileStorage.LOG));
    log[log.length - 1] ^= 1;
    Path flipped = Files.createDirectories(dir.resolve("flipped"));
    Files.write(flipped.resolve(FileStorage.LOG), log);
    assertEquals("1", new FileStorage(flipped).getString("y"), "a record that fails its checksum is dropped");
  }

  @Test
  void theLogIsCompactedOnceItHoldsMostlyOverwrittenValues() throws IOException {
    Path n = dir.resolve("n3");
    FileStorage a = new FileStorage(n);
    byte[] big = new byte[64 * 1024];
    for (int i = 0; i < 100; i++) {
      big[0] = (byte) i;
      a.put("state", big);
      a.flush();
    }
    // 6.4 MB written; compaction keeps the log under 1 MiB plus one record.
    assertTrue(Files.size(n.resolve(FileStorage.LOG)) < (1 << 20) + 2L * big.length, "the log was compacted");
    assertEquals(99, new FileStorage(n).get("state")[0]);
  }

  @Test
  void fileStorageInAnUnusableFolderFailsAtOpening() throws IOException {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    assertThrows(IOException.class, () -> new FileStorage(file.resolve("sub")));
  }

  @Test
  void memoryStorageLosesOnlyUnflushedWritesInACrash() {
    MemoryStorage s = new MemoryStorage();
    s.putString("a", "1");
    s.flush();
    s.putString("a", "2");
    s.putString("b", "3");
    assertTrue(s.dirty());
    assertEquals(2, s.crash(true));
    assertEquals("1", s.getString("a"));
    assertNull(s.getString("b"));
    s.putString("b", "4");
    assertEquals(0, s.crash(false), "a crash after the disk wrote everything loses nothing");
    assertEquals("4", s.getString("b"));
  }

  @Test
  void memoryStorageCopiesValuesInAndOut() {
    MemoryStorage s = new MemoryStorage();
    byte[] v = {1, 2};
    s.put("k", v);
    v[0] = 9;
    assertEquals(1, s.get("k")[0]);
    s.get("k")[1] = 9;
    assertEquals(2, s.get("k")[1]);
  }
}
