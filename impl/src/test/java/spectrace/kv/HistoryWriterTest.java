package spectrace.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The history file, line for line as /work/raft-interface.md ("History") shows it. */
class HistoryWriterTest {

  /** The documented example (its lines in time order), written from the events and results the clients record. */
  @Test
  void writesTheDocumentedLinesExactly() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Command put = Command.put("c1", 1, "k1", 3);
    Command get = Command.get("c2", 1, "k1");
    Command cas = Command.cas("c3", 1, "k1", 3, 4);
    Command lost = Command.put("c4", 1, "k2", 7);
    try (HistoryWriter w = new HistoryWriter(out, "raft seed 1")) {
      w.write(HistoryEvent.invoke(put, 120));
      w.write(HistoryEvent.invoke(get, 150));
      w.write(HistoryEvent.completion(put, Result.ok(3), 190));
      w.write(HistoryEvent.completion(get, Result.ok(3), 200));
      w.write(HistoryEvent.invoke(cas, 210));
      w.write(HistoryEvent.completion(cas, Result.fail(5), 260));
      w.write(HistoryEvent.invoke(lost, 300));
      w.write(HistoryEvent.info(lost, 900));
      assertEquals(9, w.lines());
    }
    assertEquals("""
        {"format":"spectrace-history/1","model":"kv","source":"raft seed 1"}
        {"process":"c1","type":"invoke","f":"put","key":"k1","value":3,"time":120}
        {"process":"c2","type":"invoke","f":"get","key":"k1","value":null,"time":150}
        {"process":"c1","type":"ok","f":"put","key":"k1","value":3,"time":190}
        {"process":"c2","type":"ok","f":"get","key":"k1","value":3,"time":200}
        {"process":"c3","type":"invoke","f":"cas","key":"k1","value":[3,4],"time":210}
        {"process":"c3","type":"fail","f":"cas","key":"k1","value":[3,4],"time":260}
        {"process":"c4","type":"invoke","f":"put","key":"k2","value":7,"time":300}
        {"process":"c4","type":"info","f":"put","key":"k2","value":7,"time":900}
        """, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aGetOfAnAbsentKeyReadsNull() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (HistoryWriter w = new HistoryWriter(out, "s")) {
      w.write(HistoryEvent.completion(Command.get("c1", 1, "k2"), Result.okAbsent(), 5));
    }
    assertEquals("{\"process\":\"c1\",\"type\":\"ok\",\"f\":\"get\",\"key\":\"k2\",\"value\":null,\"time\":5}",
        out.toString(StandardCharsets.UTF_8).lines().skip(1).findFirst().orElseThrow());
  }

  /** A crash after write() returns loses nothing: the line is in the stream, not in a buffer. */
  @Test
  void everyLineReachesTheStreamBeforeWriteReturns() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HistoryWriter w = new HistoryWriter(out, "source \"quoted\"");
    assertEquals("{\"format\":\"spectrace-history/1\",\"model\":\"kv\",\"source\":\"source \\\"quoted\\\"\"}\n",
        out.toString(StandardCharsets.UTF_8));
    w.write(HistoryEvent.invoke(Command.put("c1", 1, "k1", 3), 1));
    assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().count());
    assertEquals('\n', out.toString(StandardCharsets.UTF_8).charAt(out.size() - 1));
    w.close();
  }

  @Test
  void anEventEarlierThanTheLastIsRefusedAndNotWritten() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (HistoryWriter w = new HistoryWriter(out, "s")) {
      w.write(HistoryEvent.invoke(Command.put("c1", 1, "k1", 3), 190));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> w.write(HistoryEvent.invoke(Command.get("c2", 1, "k1"), 150)));
      assertEquals("history time goes back, from 190 to 150 at line 3 (c2 invoke get)", e.getMessage());
      assertEquals(2, w.lines());
    }
    assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().count());
  }

  /** The clients' events go to the file as they happen, each line the event's own. */
  @Test
  void asTheClientsListenerItWritesEachEventAsItIsRecorded() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HistoryWriter w = new HistoryWriter(out, "toy");
    KvClients c = new KvClients(ToyCluster.NODES, new KvClients.Config(1, 5, 1, 0, 100, 10, 3, 1, 0, 0),
        new java.util.SplittableRandom(1), w.listener());
    KvClients.Send s = (KvClients.Send) c.start(4).get(0);
    Command put = s.request().command();
    assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().count(), "the invoke is in the stream already");
    c.onReply(9, "n1", KvReply.applied(put, Result.ok(put.value())));
    assertEquals(java.util.List.of(
        "{\"format\":\"spectrace-history/1\",\"model\":\"kv\",\"source\":\"toy\"}",
        "{\"process\":\"c1\",\"type\":\"invoke\",\"f\":\"put\",\"key\":\"" + put.key() + "\",\"value\":"
            + put.value() + ",\"time\":4}",
        "{\"process\":\"c1\",\"type\":\"ok\",\"f\":\"put\",\"key\":\"" + put.key() + "\",\"value\":"
            + put.value() + ",\"time\":9}"),
        out.toString(StandardCharsets.UTF_8).lines().toList());
    w.close();
  }
}
