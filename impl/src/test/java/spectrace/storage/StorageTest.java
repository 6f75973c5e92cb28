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
    assertThrows(IllegalArgumentException.class, () -> s.putString("k.tmp", "x"));
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
