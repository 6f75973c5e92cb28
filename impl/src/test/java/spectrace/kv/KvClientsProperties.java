package spectrace.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import spectrace.kv.HistoryEvent.Type;

/**
 * The clients against a lossy, duplicating toy cluster whose leader moves ({@link ToyCluster}):
 * the history is well formed, every send carries its process's one outstanding command, and a
 * retry resends that command unchanged.
 */
class KvClientsProperties {

  private static KvClients.Config config(int clients) {
    return new KvClients.Config(clients, 3, 60, 20, 100, 10, 4, 2, 2, 1);
  }

  /**
   * Well formed (the history format's rules): times non-decreasing; per process, invoke and
   * completion alternate, a completion repeats its invoke's operation, and nothing follows an
   * info; at the end every invoke has exactly one completion.
   */
  static void assertWellFormed(List<HistoryEvent> history) {
    long time = Long.MIN_VALUE;
    Map<String, HistoryEvent> open = new HashMap<>();
    Set<String> retired = new HashSet<>();
    for (HistoryEvent e : history) {
      assertTrue(e.time() >= time, "time goes back at " + e);
      time = e.time();
      assertFalse(retired.contains(e.process()), "an event after the info of " + e.process() + ": " + e);
      HistoryEvent invoke = open.get(e.process());
      if (e.type() == Type.INVOKE) {
        assertNull(invoke, "a second operation of " + e.process() + " while " + invoke + " is outstanding");
        open.put(e.process(), e);
        continue;
      }
      assertNotNull(invoke, "a completion with no invoke: " + e);
      assertEquals(invoke.f(), e.f(), "f of " + e);
      assertEquals(invoke.key(), e.key(), "key of " + e);
      if (e.f() != Op.GET) {
        assertEquals(invoke.value(), e.value(), "value of " + e);
        assertEquals(invoke.expected(), e.expected(), "expected of " + e);
      }
      open.remove(e.process());
      if (e.type() == Type.INFO) {
        retired.add(e.process());
      }
    }
    assertEquals(Map.of(), open, "operations left without a completion");
  }

  @Property(tries = 100)
  void theHistoryIsWellFormed(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int clients) {
    assertWellFormed(new ToyCluster(seed, config(clients)).run(20_000).clients.history());
  }

  /**
   * Every send carries the outstanding command of its process (one operation at a time), and
   * all sends of one (client, seq) carry the same command: a retry changes nothing.
   */
  @Property(tries = 100)
  void everySendIsTheOutstandingCommandUnchanged(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int clients) {
    ToyCluster run = new ToyCluster(seed, config(clients)).run(20_000);
    List<HistoryEvent> history = run.clients.history();
    Map<String, Command> sentAs = new HashMap<>();
    for (ToyCluster.Sent s : run.sends) {
      Command c = s.request().command();
      Command before = sentAs.putIfAbsent(c.client() + "/" + c.seq(), c);
      if (before != null) {
        assertEquals(before, c, "a retry changed its command");
      }
      // The process's last event before the send is the invoke of this very command.
      HistoryEvent last = null;
      for (HistoryEvent e : history.subList(0, s.events())) {
        if (e.process().equals(c.client())) {
          last = e;
        }
      }
      assertEquals(HistoryEvent.invoke(c, last == null ? -1 : last.time()), last,
          "at " + s.time() + " " + c + " is not its process's outstanding operation");
    }
  }

  /** Every ok and fail reports the result the store gave the command; no value is written twice. */
  @Property(tries = 100)
  void completionsReportTheStoresResultsAndWritesAreUnique(@ForAll long seed) {
    ToyCluster run = new ToyCluster(seed, config(3)).run(20_000);
    Map<String, Long> seqs = new HashMap<>();
    Set<Long> written = new HashSet<>();
    for (HistoryEvent e : run.clients.history()) {
      if (e.type() == Type.INVOKE) {
        seqs.merge(e.process(), 1L, Long::sum);
        if (e.f() != Op.GET) {
          assertTrue(written.add(e.value()), "the value " + e.value() + " is written twice");
        }
      } else if (e.type() == Type.OK || e.type() == Type.FAIL) {
        Result r = run.applied.get(e.process() + "/" + seqs.get(e.process()));
        assertNotNull(r, "a completion the store never applied: " + e);
        assertEquals(r.outcome() == Result.Outcome.OK ? Type.OK : Type.FAIL, e.type(), e.toString());
        if (e.f() == Op.GET) {
          assertEquals(r.present(), e.present(), e.toString());
          assertEquals(r.value(), e.value(), e.toString());
        }
      }
    }
  }

  @Property(tries = 30)
  void theSameSeedGivesTheSameHistory(@ForAll long seed) {
    assertEquals(new ToyCluster(seed, config(3)).run(20_000).clients.history(),
        new ToyCluster(seed, config(3)).run(20_000).clients.history());
  }

  /** The toy cluster reaches every outcome and retry path, so the properties above are not vacuous. */
  @Test
  void theToyClusterReachesEveryOutcome() {
    Map<Type, Integer> types = new EnumMap<>(Type.class);
    int retries = 0;
    int processes = 0;
    for (long seed = 1; seed <= 20; seed++) {
      ToyCluster run = new ToyCluster(seed, config(3)).run(20_000);
      run.clients.history().forEach(e -> types.merge(e.type(), 1, Integer::sum));
      retries += run.sends.size() - (int) run.clients.history().stream().filter(e -> e.type() == Type.INVOKE).count();
      processes = Math.max(processes, (int) run.clients.history().stream().map(HistoryEvent::process).distinct()
          .count());
    }
    for (Type t : Type.values()) {
      assertTrue(types.getOrDefault(t, 0) > 0, "no " + t + " in 20 runs: " + types);
    }
    assertTrue(processes > 3, "no worker gave up and continued under a new name");
    assertTrue(retries > 0, "no retry");
  }
}
