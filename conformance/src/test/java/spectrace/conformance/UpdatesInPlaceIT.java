package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.core.SpecLog;
import spectrace.core.SpecMap;

/**
 * Updates in place (traces/README.md): a log of 10^5 entries built by appends, with
 * truncations, a per-node log and a function keyed by (view, seq) pairs, written by the trace
 * writer from {@link SpecLog} and {@link SpecMap} fields and validated by both verdicts
 * against src/test/resources/specs/growlog/GrowLog.tla. The trace grows by a bounded number
 * of bytes per event, whatever the log's length; a wrong update diverges in both verdicts,
 * naming the variable.
 *
 * <p>Sizes are asserted, times only printed: {@code -Dspectrace.updates.events=N} sets the
 * engine's trace length (10^5), {@code -Dspectrace.updates.tlcEvents=N} the TLC trace spec's
 * (5,000: TLC fingerprints every state whole, so its time grows with the square of the log).
 */
class UpdatesInPlaceIT {

  private static final int EVENTS = Integer.getInteger("spectrace.updates.events", 100_000);
  private static final int TLC_EVENTS = Integer.getInteger("spectrace.updates.tlcEvents", 5_000);

  record Entry(int term) {}

  /** Which event, if any, logs an update the spec does not make. */
  enum Wrong { NONE, APPEND, PUT, INDEXED }

  /**
   * A run of {@code events} events: n1 appends to {@code log} (term i mod 4), cuts it back by
   * ten every 1,000 events, acknowledges a (view, seq) pair every 97; n2 appends to its own
   * {@code ilog} every 10, and crashes (and recovers) once, after which its log is logged whole.
   */
  static Path run(Path dir, int events, Wrong wrong, int wrongAt) throws Exception {
    Path file = dir.resolve("growlog-" + events + "-" + wrong + ".ndjson");
    List<Integer> views = List.of(0, 1, 2);
    List<Integer> seqs = List.of(1, 2);
    TestTrace.Node n1 = new TestTrace.Node("n1");
    TestTrace.Node n2 = new TestTrace.Node("n2");
    SpecLog<Entry> log = new SpecLog<>();
    SpecMap<List<Integer>, Set<String>> acks = new SpecMap<>();
    for (int v : views) {
      for (int s : seqs) {
        acks.put(List.of(v, s), Set.of());
      }
    }
    SpecLog<Integer> ilog1 = new SpecLog<>();
    SpecLog<Integer> ilog2 = new SpecLog<>();
    n1.whole.put("log", log);
    n1.whole.put("acks", acks);
    n1.indexed.put("ilog", ilog1);
    n2.indexed.put("ilog", ilog2);
    Map<String, Object> constants = new TreeMap<>(Map.of("Node", List.of("n1", "n2"), "Views", views, "Seqs", seqs));
    try (TestTrace t = new TestTrace(file, "growlog", "GrowLog", constants, List.of("n1", "n2"),
        new TreeMap<>(Map.of("log", "whole", "acks", "whole", "ilog", "indexed")))) {
      for (int i = 0; i < events; i++) {
        boolean bad = i == wrongAt;
        if (i % 1000 == 999 && log.size() >= 10) {
          log.truncate(log.size() - 10);
          t.action(n1, "Truncate", "k", 10);
        } else if (i % 97 == 50) {
          List<Integer> key = List.of(views.get(i % 3), seqs.get(i % 2));
          Set<String> who = new TreeSet<>(acks.get(key));
          who.add("n1");
          if (bad && wrong == Wrong.PUT) {
            who.add("n2");
          }
          acks.put(key, Set.copyOf(who));
          t.action(n1, "Ack", "p,v,s", "n1", key.get(0), key.get(1));
        } else if (i % 10 == 5) {
          ilog2.append(bad && wrong == Wrong.INDEXED ? (i + 1) % 4 : i % 4);
          t.action(n2, "AppendAt", "p,t", "n2", i % 4);
        } else if (i == events / 2) {
          t.crash("n2");
        } else {
          log.append(new Entry(bad && wrong == Wrong.APPEND ? (i + 1) % 4 : i % 4));
          t.action(n1, "AppendEntry", "t", i % 4);
        }
      }
    }
    return file;
  }

  @Test
  void aLongLogCostsBytesPerEventNotPerEntry(@TempDir Path dir) throws Exception {
    Path small = run(dir, EVENTS / 10, Wrong.NONE, -1);
    Path large = run(dir, EVENTS, Wrong.NONE, -1);
    long smallBytes = Files.size(small);
    long largeBytes = Files.size(large);
    System.out.printf("updates in place: %,d events, %,d bytes (%.1f per event); %,d events, %,d bytes (%.1f per"
        + " event)%n", EVENTS / 10, smallBytes, smallBytes / (EVENTS / 10.0), EVENTS, largeBytes,
        largeBytes / (double) EVENTS);
    // Every line is short: no event repeats the log. (The longest is the crash's recovery,
    // which logs n2's log whole: a tenth of the events.)
    long longest = Files.lines(large).filter(l -> !l.contains("\"ilog\":{\"n2\":[")).mapToLong(String::length)
        .max().orElseThrow();
    assertTrue(longest < 400, "longest line " + longest + " bytes");
    assertTrue(largeBytes / (double) EVENTS < 300, largeBytes + " bytes");
    assertTrue(largeBytes < 11 * smallBytes, "ten times the events, " + largeBytes / (double) smallBytes
        + " times the bytes");
    String text = Files.readString(large);
    assertTrue(text.contains("\"log\":{\"$append\":[{\"term\":"), "appends");
    assertTrue(text.contains("\"log\":{\"$truncate\":"), "truncations");
    assertTrue(text.contains("\"acks\":{\"$put\":[[{\"$seq\":["), "puts of tuple keys");
    assertTrue(text.contains("\"acks\":{\"$fn\":[[{\"$seq\":[0,1]},{\"$set\":[]}]"), "acks whole at the first event");
  }

  @Test
  void theEngineValidatesTenToTheFiveAppends(@TempDir Path dir) throws Exception {
    Path file = run(dir, EVENTS, Wrong.NONE, -1);
    Validator.Result r = new Validator(TestTrace.SPECS).validate(List.of(file), Validator.Progress.NONE);
    assertNull(r.divergence(), () -> Report.text(List.of(file.toString()), r));
    assertEquals(EVENTS, r.events());
    System.out.printf("engine: %,d events in %.2f s (%.0f events/s), spec load %.2f s%n", r.events(), r.seconds(),
        r.eventsPerSecond(), r.loadSeconds());
  }

  @Test
  void theTraceSpecValidatesALogBuiltByAppends(@TempDir Path dir) throws Exception {
    Path file = run(dir, TLC_EVENTS, Wrong.NONE, -1);
    TraceSpec.Result r = TraceSpec.check(file, TestTrace.SPECS);
    assertTrue(r.conforms(), r::toString);
    assertEquals(TLC_EVENTS - 1, r.events()); // the crash is no spec action
    System.out.printf("TLC trace spec: %,d events in %.2f s%n", TLC_EVENTS, r.seconds());
  }

  @Test
  void aWrongUpdateDivergesInBothVerdictsNamingItsVariable(@TempDir Path dir) throws Exception {
    for (Wrong w : List.of(Wrong.APPEND, Wrong.PUT, Wrong.INDEXED)) {
      int at = switch (w) {
        case APPEND -> 1203;
        case PUT -> 1214;
        default -> 1205;
      };
      Path file = run(Files.createDirectories(dir.resolve(w.name())), 2000, w, at);
      String where = file + ":" + (at + 2);
      Validator.Result r = new Validator(TestTrace.SPECS).validate(List.of(file), Validator.Progress.NONE);
      Divergence d = r.divergence();
      assertNotNull(d, w + ": the engine accepts a wrong update");
      String text = Report.text(List.of(file.toString()), r);
      assertEquals(where, d.where(), text);
      String variable = switch (w) {
        case APPEND -> "log";
        case PUT -> "acks";
        default -> "ilog[\"n2\"]";
      };
      assertTrue(d.closest().stream().anyMatch(m -> m.name().equals(variable)), variable + ":\n" + text);
      TraceSpec.Result tlc = TraceSpec.check(file, TestTrace.SPECS);
      assertFalse(tlc.conforms(), w + ": TLC accepts a wrong update");
      assertEquals(where, tlc.firstUnmatched(), w.name());
    }
  }
}
