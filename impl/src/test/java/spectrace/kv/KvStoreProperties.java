package spectrace.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The store as a replicated state machine: deterministic, replayable, at-most-once under retries. */
class KvStoreProperties {

  /** Random commands of a few clients, each client's seqs increasing, on a few keys. */
  static List<Command> commands(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] seqs = new long[3];
    List<Command> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(3);
      String client = "c" + (c + 1);
      long seq = ++seqs[c];
      String key = "k" + (1 + r.nextInt(2));
      out.add(switch (r.nextInt(3)) {
        case 0 -> Command.put(client, seq, key, r.nextInt(4));
        case 1 -> Command.get(client, seq, key);
        default -> Command.cas(client, seq, key, r.nextInt(4), r.nextInt(4));
      });
    }
    return out;
  }

  /** Two replicas that apply the same log give the same results and end in the same state. */
  @Property(tries = 200)
  void replayingALogGivesTheSameResultsAndState(@ForAll long seed) {
    List<Command> log = commands(seed, 40);
    KvStore a = new KvStore();
    KvStore b = new KvStore();
    List<Result> ra = log.stream().map(a::apply).toList();
    List<Result> rb = log.stream().map(b::apply).toList();
    assertEquals(ra, rb);
    assertEquals(a.snapshot(), b.snapshot());
  }

  /**
   * §6.3: a log in which commands appear again later (a client's retry appended a second time,
   * a late duplicate of a request) gives every command the result it had without the copies,
   * and the same final state: a copy of a client's latest command gets that command's result,
   * a copy of an older one is stale, and neither is applied.
   */
  @Property(tries = 200)
  void copiesOfCommandsInTheLogAreNotAppliedAgain(@ForAll long seed) {
    List<Command> log = commands(seed, 40);
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    KvStore once = new KvStore();
    KvStore withCopies = new KvStore();
    List<Command> done = new ArrayList<>();
    java.util.Map<String, Command> latest = new java.util.HashMap<>();
    java.util.Map<Command, Result> results = new java.util.HashMap<>();
    for (Command c : log) {
      Result result = once.apply(c);
      assertEquals(result, withCopies.apply(c), "the first application of " + c);
      done.add(c);
      latest.put(c.client(), c);
      results.put(c, result);
      while (r.nextInt(3) == 0) {
        Command copy = done.get(r.nextInt(done.size()));
        Result expected = latest.get(copy.client()) == copy ? results.get(copy) : Result.STALE;
        assertEquals(expected, withCopies.apply(copy), "a copy of " + copy);
      }
    }
    assertEquals(once.snapshot(), withCopies.snapshot());
  }

  /** A replica restored from a snapshot taken anywhere in the log continues as the one that applied it all. */
  @Property(tries = 200)
  void aSnapshotAnywhereThenTheRestGivesTheSameState(@ForAll long seed) {
    List<Command> log = commands(seed, 40);
    int cut = new SplittableRandom(seed).nextInt(log.size() + 1);
    KvStore whole = new KvStore();
    KvStore prefix = new KvStore();
    for (int i = 0; i < cut; i++) {
      whole.apply(log.get(i));
      prefix.apply(log.get(i));
    }
    KvStore restored = KvStore.restore(prefix.snapshot());
    for (int i = cut; i < log.size(); i++) {
      assertEquals(whole.apply(log.get(i)), restored.apply(log.get(i)));
    }
    assertEquals(whole.snapshot(), restored.snapshot());
  }
}
