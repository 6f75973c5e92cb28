package spectrace.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.core.DurableLog;
import spectrace.core.Storage;

/** The log beside the key-value storage (issue 12, item 2), on both storages. */
class DurableLogTest {

  @TempDir Path dir;

  private List<Storage> bothStorages() throws IOException {
    return List.of(new MemoryStorage(), new FileStorage(dir.resolve("file")));
  }

  @Test
  void appendTruncateAndReadFollowRaftsOneBasedIndexes() throws IOException {
    for (Storage s : bothStorages()) {
      String which = s.getClass().getSimpleName();
      DurableLog log = s.log();
      assertEquals(1, log.firstIndex(), which);
      assertEquals(0, log.lastIndex(), which + ": an empty log");
      assertEquals(List.of(), hex(log.read(1, 0)), which);
      assertEquals(1, log.append(b("e1")), which);
      assertEquals(2, log.append(b("e2")), which);
      assertEquals(3, log.append(b("e3")), which);
      assertEquals("e2", text(log.get(2)), which);
      assertEquals(List.of("e1", "e2", "e3"), texts(log.read(1, 3)), which);
      assertEquals(List.of("e2"), texts(log.read(2, 2)), which);
      assertEquals(List.of(), texts(log.read(4, 3)), which + ": an empty range after the last entry");
      log.truncateFrom(4);
      assertEquals(3, log.lastIndex(), which + ": truncating from last + 1 drops nothing");
      log.truncateFrom(2);
      assertEquals(1, log.lastIndex(), which);
      assertEquals(2, log.append(b("f2")), which + ": the next append reuses the truncated index");
      assertEquals(List.of("e1", "f2"), texts(log.read(1, 2)), which);
      assertTrue(s.dirty(), which + ": log operations wait for a flush");
      s.flush();
      assertFalse(s.dirty(), which);
      log.truncateFrom(1);
      assertEquals(0, log.lastIndex(), which + ": truncating everything, flushed entries too");
      assertEquals(1, log.append(b("g1")), which);

      byte[] in = b("mutable");
      log.append(in);
      in[0] = 'X';
      assertEquals("mutable", text(log.get(2)), which + ": an entry is copied in");
      log.get(2)[0] = 'Y';
      assertEquals("mutable", text(log.get(2)), which + ": and copied out");
      log.read(2, 2).get(0)[0] = 'Z';
      assertEquals("mutable", text(log.get(2)), which + ": read copies too");
    }
  }

  @Test
  void indexesOutsideTheLogAreRefusedWithTheIndexAndTheBounds() throws IOException {
    for (Storage s : bothStorages()) {
      String which = s.getClass().getSimpleName();
      DurableLog log = s.log();
      for (int i = 1; i <= 5; i++) {
        log.append(b("e" + i));
      }
      log.compactTo(1);
      assertEquals(2, log.firstIndex(), which);
      assertBounds("log index 1 is outside [2, 5]", () -> log.get(1), which);
      assertBounds("log index 6 is outside [2, 5]", () -> log.get(6), which);
      assertBounds("log range [1, 3] is not within [2, 5]", () -> log.read(1, 3), which);
      assertBounds("log range [4, 6] is not within [2, 5]", () -> log.read(4, 6), which);
      assertBounds("log range [7, 6] is not within [2, 5]", () -> log.read(7, 6), which);
      assertBounds("cannot truncate the log from index 7: it holds [2, 5], so the index must be in [2, 6]",
          () -> log.truncateFrom(7), which);
      assertBounds("cannot truncate the log from index 1: it holds [2, 5], so the index must be in [2, 6]",
          () -> log.truncateFrom(1), which);
      assertBounds("cannot compact the log to index 0: it holds [2, 5], and entries up to 1 are discarded already",
          () -> log.compactTo(0), which);
      IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class, () -> log.read(4, 2), which);
      assertEquals("log range [4, 2] is reversed", reversed.getMessage(), which);
      assertEquals(List.of("e2", "e3", "e4", "e5"), texts(log.read(2, 5)), which + ": refused calls change nothing");
    }
  }

  @Test
  void compactingToASnapshotMovesTheFirstIndexAndSurvivesReopening() throws IOException {
    for (Storage s : bothStorages()) {
      String which = s.getClass().getSimpleName();
      DurableLog log = s.log();
      for (int i = 1; i <= 4; i++) {
        log.append(b("e" + i));
      }
      s.flush();
      log.compactTo(2);
      assertEquals(3, log.firstIndex(), which);
      assertEquals(List.of("e3", "e4"), texts(log.read(3, 4)), which);
      log.append(b("e5"));
      log.compactTo(4);
      assertEquals(List.of("e5"), texts(log.read(5, 5)), which + ": compacting into unflushed appends");
      s.flush();
      log.compactTo(9);
      assertEquals(10, log.firstIndex(), which + ": a snapshot past the end empties the log");
      assertEquals(9, log.lastIndex(), which);
      assertEquals(10, log.append(b("e10")), which + ": and the next append follows the snapshot");
      s.flush();
    }
    FileStorage reopened = new FileStorage(dir.resolve("file"));
    assertEquals(10, reopened.log().firstIndex());
    assertEquals(List.of("e10"), texts(reopened.log().read(10, 10)));
  }

  @Test
  void logOperationsAreDurableInTheSameFlushAsTheKeyValueWrites() throws IOException {
    Path n = dir.resolve("n");
    FileStorage a = new FileStorage(n);
    a.log().append(b("e1"));
    assertTrue(a.dirty(), "an append alone makes the storage dirty");
    a.putString("currentTerm", "1");
    assertEquals("e1", text(a.log().get(1)), "a node reads its own unflushed append");
    FileStorage before = new FileStorage(n);
    assertEquals(0, before.log().lastIndex(), "an unflushed append is not durable");
    before.close();
    a.flush();
    FileStorage after = new FileStorage(n);
    assertEquals("1", after.getString("currentTerm"));
    assertEquals(List.of("e1"), texts(after.log().read(1, 1)), "the flush made the append durable with the write");
    after.close();
    a.log().truncateFrom(1);
    a.flush();
    assertEquals(0, new FileStorage(n).log().lastIndex(), "a truncation alone is flushed too");
  }

  /**
   * A crash at every byte of the file's writes: the file cut to each length from 0 to its size
   * opens with the state of the last flush whose record fits wholly in it, is cut there, and
   * takes new flushes.
   */
  @Test
  void aCrashAtEveryByteOfTheFileRecoversTheLastWholeFlush() throws IOException {
    Path n = dir.resolve("n");
    FileStorage s = new FileStorage(n);
    DurableLog log = s.log();
    List<Long> ends = new ArrayList<>(List.of(0L));
    List<State> states = new ArrayList<>(List.of(State.of(s)));
    Runnable[] flushes = {
        () -> {
          s.putString("a", "1");
          log.append(b("e1"));
          log.append(b("e2"));
          log.append(b("e3"));
        },
        () -> {
          log.append(b("e4"));
          log.truncateFrom(3);
          log.append(b("e5"));
        },
        () -> {
          s.putString("b", "2");
          s.putString("a", "3");
        },
        () -> log.compactTo(1),
        () -> {
          log.truncateFrom(2);
          log.append(b("e6"));
          log.append(b("e7"));
        },
        () -> {
          log.compactTo(5);
          log.append(b("e8"));
        },
        () -> {
          log.append(new byte[300]);
          s.putString("a", "4");
        },
    };
    for (Runnable f : flushes) {
      f.run();
      s.flush();
      ends.add(Files.size(n.resolve(FileStorage.LOG)));
      states.add(State.of(s));
    }
    byte[] whole = Files.readAllBytes(n.resolve(FileStorage.LOG));
    for (int k = 0; k <= whole.length; k++) {
      int last = 0;
      while (last + 1 < ends.size() && ends.get(last + 1) <= k) {
        last++;
      }
      Path cut = Files.createDirectories(dir.resolve("cut-" + k));
      Files.write(cut.resolve(FileStorage.LOG), Arrays.copyOf(whole, k));
      FileStorage b = new FileStorage(cut, 1 << 20, false);
      assertEquals(states.get(last), State.of(b), "file cut at byte " + k + " of " + whole.length);
      assertEquals((long) ends.get(last), Files.size(cut.resolve(FileStorage.LOG)), "cut at byte " + k
          + ": the torn record is cut away");
      b.log().append(b("after"));
      b.flush();
      b.close();
      FileStorage c = new FileStorage(cut, 1 << 20, false);
      assertEquals("after", text(c.log().get(c.log().lastIndex())), "cut at byte " + k + ": flushes after the cut are durable");
      c.close();
    }
  }

  @Test
  void aSuffixRewrittenOverAndOverKeepsTheFileSmall() throws IOException {
    Path n = dir.resolve("n");
    long compactAt = 4096;
    FileStorage s = new FileStorage(n, compactAt, false);
    for (int i = 1; i <= 10; i++) {
      s.log().append(new byte[32]);
    }
    s.flush();
    long max = 0;
    for (int round = 0; round < 5_000; round++) {
      s.log().truncateFrom(6);
      for (int i = 6; i <= 10; i++) {
        s.log().append(ByteBuffer.allocate(32).putInt(round).array());
      }
      s.flush();
      max = Math.max(max, Files.size(n.resolve(FileStorage.LOG)));
    }
    // 5 000 flushes of five 32-byte entries wrote about 1 MB; the live state is 10 entries.
    assertTrue(max <= compactAt + 4 * 10 * 36 + 200, "the file grew to " + max + " bytes");
    s.close();
    FileStorage reopened = new FileStorage(n, compactAt, false);
    assertEquals(10, reopened.log().lastIndex());
    assertEquals(4_999, ByteBuffer.wrap(reopened.log().get(10)).getInt());
  }

  /**
   * A Raft-shaped log: 10^5 entries of a term and a small command, appended in batches (one
   * flush each), with suffixes truncated as a follower's conflicting entries are, a prefix
   * discarded now and then for a snapshot, and crashes at random points: before a flush (its
   * batch lost), and in the middle of a flush's write (the file cut inside its record). Each
   * crash reopens the folder and compares it with a model of the last flushed state; after
   * every flush the file stays within a constant factor of the live bytes.
   */
  @Test
  void aRaftLogOfAHundredThousandEntriesSurvivesRandomCrashes() throws IOException {
    long seed = 0x12_0002L;
    SplittableRandom rnd = new SplittableRandom(seed);
    Path n = dir.resolve("raft");
    Path file = n.resolve(FileStorage.LOG);
    long compactAt = 256 << 10;
    FileStorage s = new FileStorage(n, compactAt, false);
    Model model = new Model();
    long term = 1;
    int appended = 0;
    int crashes = 0;
    int torn = 0;
    int flushes = 0;
    while (appended < 100_000) {
      String at = "seed " + seed + ", flush " + flushes;
      long truncateFrom = model.last() + 1;
      if (rnd.nextInt(5) == 0 && model.last() >= model.first) {
        term++;
        truncateFrom = Math.max(model.first, model.last() + 1 - rnd.nextInt(1, 64));
        s.log().truncateFrom(truncateFrom);
      }
      List<byte[]> batch = new ArrayList<>();
      for (int i = rnd.nextInt(1, 65); i > 0; i--) {
        byte[] e = new byte[rnd.nextInt(16, 65)];
        ByteBuffer.wrap(e).putLong(term).putLong(rnd.nextLong());
        assertEquals(truncateFrom + batch.size(), s.log().append(e), at);
        batch.add(e);
      }
      appended += batch.size();
      long snapshot = model.first - 1;
      if (rnd.nextInt(200) == 0 && s.log().lastIndex() > 2000) {
        snapshot = s.log().lastIndex() - 2000;
        s.log().compactTo(snapshot);
      }
      s.putString("currentTerm", Long.toString(term));
      int fate = rnd.nextInt(100);
      if (fate == 0) {
        crashes++;
        s.close();
        s = reopen(n, compactAt, model, at + ": crash before the flush");
        continue;
      }
      long before = Files.size(file);
      Object inode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
      s.flush();
      flushes++;
      long after = Files.size(file);
      boolean compacted = !inode.equals(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
      if (fate == 1 && !compacted) {
        torn++;
        s.close();
        long cut = rnd.nextLong(before, after);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
          ch.truncate(cut);
        }
        s = reopen(n, compactAt, model, at + ": crash in the flush's write, file cut at byte " + cut);
        continue;
      }
      model.flushed(truncateFrom, batch, snapshot, Long.toString(term));
      // Entries of at least 16 bytes take at most 25% more with their lengths: 4 * 1.25 = 5.
      long live = model.bytes + model.term.length() + 1024;
      assertTrue(after <= Math.max(compactAt, 5 * live), at + ": the file holds " + after + " bytes for "
          + live + " live ones");
    }
    s.close();
    reopen(n, compactAt, model, "seed " + seed + ", at the end").close();
    assertTrue(crashes > 10 && torn > 10 && model.first > 1, "seed " + seed + ": the run crashed " + crashes
        + " times before a flush and " + torn + " times in one, and discarded the log up to " + (model.first - 1));
  }

  /** The last flushed state of the Raft-shaped test: entry i at i - 1, null once discarded. */
  private static final class Model {
    final List<byte[]> entries = new ArrayList<>();
    long first = 1;
    long bytes;
    String term;

    long last() {
      return entries.size();
    }

    void flushed(long truncateFrom, List<byte[]> batch, long snapshot, String newTerm) {
      List<byte[]> dropped = entries.subList((int) truncateFrom - 1, entries.size());
      for (byte[] e : dropped) {
        bytes -= e.length;
      }
      dropped.clear();
      for (byte[] e : batch) {
        bytes += e.length;
      }
      entries.addAll(batch);
      for (; first <= snapshot; first++) {
        bytes -= entries.set((int) first - 1, null).length;
      }
      term = newTerm;
    }
  }

  private static FileStorage reopen(Path n, long compactAt, Model model, String at) throws IOException {
    FileStorage s = new FileStorage(n, compactAt, false);
    DurableLog log = s.log();
    assertEquals(model.term, s.getString("currentTerm"), at);
    assertEquals(model.first, log.firstIndex(), at);
    assertEquals(model.last(), log.lastIndex(), at);
    List<byte[]> entries = log.read(model.first, model.last());
    for (long i = model.first; i <= model.last(); i++) {
      assertArrayEquals(model.entries.get((int) i - 1), entries.get((int) (i - model.first)), at + ": entry " + i);
    }
    return s;
  }

  @Test
  void memoryStorageLosesExactlyTheUnflushedLogOperationsInACrash() {
    MemoryStorage s = new MemoryStorage();
    DurableLog log = s.log();
    log.append(b("e1"));
    log.append(b("e2"));
    log.append(b("e3"));
    s.flush();
    log.append(b("e4"));
    log.truncateFrom(2);
    log.append(b("f2"));
    log.compactTo(1);
    s.putString("votedFor", "n2");
    assertTrue(s.dirty());
    assertEquals(5, s.crash(true), "one key and four log operations were not flushed");
    assertFalse(s.dirty());
    assertEquals(1, log.firstIndex());
    assertEquals(List.of("e1", "e2", "e3"), texts(log.read(1, 3)), "the flushed log, as it was");
    assertEquals(null, s.getString("votedFor"));

    log.truncateFrom(3);
    log.append(b("g3"));
    assertEquals(0, s.crash(false), "a crash after the disk wrote everything loses nothing");
    assertEquals(List.of("e1", "e2", "g3"), texts(log.read(1, 3)));
    assertEquals(0, s.crash(true), "what the crash kept is durable");
    assertEquals(List.of("e1", "e2", "g3"), texts(log.read(1, 3)));
  }

  /** Everything a test can see of a storage: the keys the tests use and the whole log. */
  private record State(TreeMap<String, String> kv, long first, long last, List<String> entries) {
    static State of(Storage s) {
      TreeMap<String, String> kv = new TreeMap<>();
      for (String key : List.of("a", "b")) {
        kv.put(key, String.valueOf(s.getString(key)));
      }
      DurableLog log = s.log();
      return new State(kv, log.firstIndex(), log.lastIndex(), hex(log.read(log.firstIndex(), log.lastIndex())));
    }
  }

  private static void assertBounds(String message, org.junit.jupiter.api.function.Executable call, String which) {
    assertEquals(message, assertThrows(IndexOutOfBoundsException.class, call, which).getMessage(), which);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] v) {
    return new String(v, StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<byte[]> entries) {
    return entries.stream().map(DurableLogTest::text).toList();
  }

  private static List<String> hex(List<byte[]> entries) {
    return entries.stream().map(HexFormat.of()::formatHex).toList();
  }
}
