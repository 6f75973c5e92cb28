package spectrace.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import spectrace.core.Message;
import spectrace.net.WireCodec;
import spectrace.trace.TraceWriter;

/** The key-value state machine: each operation, compare-and-set, client sessions (§6.3), snapshots. */
class KvStoreTest {

  private final KvStore store = new KvStore();

  @Test
  void putWritesAndGetReadsTheValue() {
    assertEquals(Result.ok(3), store.apply(Command.put("c1", 1, "k1", 3)));
    assertEquals(Result.ok(3), store.apply(Command.get("c1", 2, "k1")));
    assertEquals(Result.ok(4), store.apply(Command.put("c2", 1, "k1", 4)));
    assertEquals(Result.ok(4), store.apply(Command.get("c1", 3, "k1")));
    assertEquals(OptionalLong.of(4), store.value("k1"));
  }

  @Test
  void getOfAKeyNeverWrittenIsOkAndAbsent() {
    store.apply(Command.put("c1", 1, "k1", 3));
    assertEquals(Result.okAbsent(), store.apply(Command.get("c1", 2, "k2")));
    assertEquals(OptionalLong.empty(), store.value("k2"));
  }

  @Test
  void casWritesWhenTheKeyHoldsTheExpectedValue() {
    store.apply(Command.put("c1", 1, "k1", 3));
    assertEquals(Result.ok(4), store.apply(Command.cas("c2", 1, "k1", 3, 4)));
    assertEquals(OptionalLong.of(4), store.value("k1"));
  }

  @Test
  void casFailsWithTheCurrentValueAndWritesNothingWhenTheKeyHoldsAnother() {
    store.apply(Command.put("c1", 1, "k1", 3));
    assertEquals(Result.fail(3), store.apply(Command.cas("c2", 1, "k1", 5, 6)));
    assertEquals(OptionalLong.of(3), store.value("k1"));
  }

  @Test
  void casOnAnAbsentKeyFailsWhateverItExpects() {
    assertEquals(Result.failAbsent(), store.apply(Command.cas("c1", 1, "k1", 0, 6)));
    assertEquals(OptionalLong.empty(), store.value("k1"));
  }

  /** §6.3: a retried command is not applied again and gets the result of its first application. */
  @Test
  void aRetriedCommandIsAppliedOnceAndGetsTheSameResult() {
    store.apply(Command.put("c1", 1, "k1", 3));
    Command cas = Command.cas("c2", 1, "k1", 3, 4);
    assertEquals(Result.ok(4), store.apply(cas));
    store.apply(Command.put("c1", 2, "k1", 3)); // the key holds 3 again: a second cas would apply
    assertEquals(Result.ok(4), store.apply(cas), "the retry gets the first result");
    assertEquals(OptionalLong.of(3), store.value("k1"), "and is not applied again");

    Command put = Command.put("c3", 1, "k2", 7);
    store.apply(put);
    store.apply(Command.put("c1", 3, "k2", 8));
    assertEquals(Result.ok(7), store.apply(put));
    assertEquals(OptionalLong.of(8), store.value("k2"), "a retried put does not overwrite a later write");
  }

  @Test
  void aCommandBelowTheSessionsSeqIsStaleAndNotApplied() {
    store.apply(Command.put("c1", 1, "k1", 3));
    store.apply(Command.put("c1", 2, "k1", 4));
    assertEquals(Result.STALE, store.apply(Command.put("c1", 1, "k1", 3)));
    assertEquals(OptionalLong.of(4), store.value("k1"));
    assertEquals(new KvStore.Session(2, Result.ok(4)), store.session("c1"));
  }

  @Test
  void sessionsAreKeptPerClient() {
    store.apply(Command.put("c1", 5, "k1", 3));
    assertEquals(Result.ok(4), store.apply(Command.put("c2", 1, "k1", 4)), "c2's seq 1 is not c1's");
    assertEquals(Result.ok(4), store.apply(Command.put("c2", 1, "k1", 4)));
    assertEquals(new KvStore.Session(5, Result.ok(3)), store.session("c1"));
    assertEquals(new KvStore.Session(1, Result.ok(4)), store.session("c2"));
  }

  @Test
  void aSnapshotIsAValueThatRestoreTakesBack() {
    store.apply(Command.put("c1", 1, "k1", 3));
    store.apply(Command.cas("c2", 1, "k1", 3, 4));
    KvStore.Snapshot snap = store.snapshot();
    store.apply(Command.put("c1", 2, "k2", 9));
    assertEquals(Map.of("k1", 4L), snap.data(), "a later command does not change a snapshot");
    KvStore copy = KvStore.restore(snap);
    assertEquals(snap, copy.snapshot());
    assertEquals(Result.ok(4), copy.apply(Command.cas("c2", 1, "k1", 3, 4)), "the sessions come back too");
    assertEquals(Result.ok(9), copy.apply(Command.put("c1", 2, "k2", 9)));
    assertEquals(store.snapshot(), copy.snapshot());
    assertThrows(UnsupportedOperationException.class, () -> snap.data().put("k9", 1L));
  }

  @Test
  void commandsRefuseFieldsTheirOpDoesNotHave() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Command("c1", 1, Op.GET, "k1", 5, 0));
    assertEquals("a get carries no value (value 5, client c1, seq 1)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Command("c1", 1, Op.PUT, "k1", 5, 2));
    assertThrows(IllegalArgumentException.class, () -> Command.put("c1", 0, "k1", 5));
    assertThrows(IllegalArgumentException.class, () -> Command.put("", 1, "k1", 5));
    assertThrows(IllegalArgumentException.class, () -> new Result(Result.Outcome.OK, false, 3));
  }

  /**
   * A command is a log entry's value: a trace writes it as a plain record, no type, the op in
   * lower case; a snapshot as a record of functions from strings.
   */
  @Test
  void aTraceWritesCommandsAndSnapshotsAsTlaRecords() throws Exception {
    store.apply(Command.put("c1", 1, "k1", 3));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(out)) {
      w.header("raft", "Raft", Map.of("cmd", Command.cas("c1", 2, "k1", 3, 4), "snap", store.snapshot()),
          List.of("n1"), 1, Map.of());
    }
    String line = out.toString(StandardCharsets.UTF_8);
    assertTrue(line.contains("\"cmd\":{\"client\":\"c1\",\"seq\":2,\"op\":\"cas\",\"key\":\"k1\",\"value\":4,"
        + "\"expected\":3}"), line);
    assertTrue(line.contains("\"snap\":{\"data\":{\"k1\":3},\"sessions\":{\"c1\":{\"seq\":1,\"result\":"
        + "{\"outcome\":\"ok\",\"present\":true,\"value\":3}}}}"), line);
  }

  /** Requests and replies cross the TCP runtime's wire encoding and come back equal. */
  @Test
  void requestsAndRepliesRoundTripThroughTheWireCodec() throws Exception {
    WireCodec codec = new WireCodec(Message.class,
        List.of(KvRequest.class, KvReply.Applied.class, KvReply.NotLeader.class));
    List<Record> all = List.of(new KvRequest(Command.put("c1", 1, "k1", 3)),
        new KvRequest(Command.get("c2", 7, "k5")), new KvRequest(Command.cas("c3", 2, "k2", 1, 2)),
        new KvReply.Applied("c1", 1, Result.ok(3)), new KvReply.Applied("c2", 7, Result.okAbsent()),
        new KvReply.Applied("c3", 2, Result.failAbsent()), new KvReply.NotLeader("c1", 1, "n2"),
        new KvReply.NotLeader("c1", 1, KvReply.NO_HINT));
    for (Record r : all) {
      assertEquals(r, codec.decode(codec.encode(r)));
    }
    assertNotEquals(all.get(6), all.get(7));
  }
}
