package spectrace.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Merges the per-node trace files of one run into one sequence of events consistent with
 * happens-before, by their vector clocks (traces/README.md, "Vector clocks"). Streaming: it
 * holds each file's next event (its head) and a few counters, never a whole file.
 *
 * <p>Each file holds the events of one node {@code n}. Its head {@code e} may come next when,
 * for every other node {@code m}, {@code e.vc[m]} is at most the number of {@code m}'s events
 * that came out so far, and {@code e.vc[n]} is one more than the number of {@code n}'s. Events
 * without a clock (fault events other than crashes) carry no causality: each comes right after
 * the event before it in its file (one at the start of a file may come at any time). Among
 * several events that may come next, the one with the smallest {@code time} comes, then the one
 * from the file given first.
 *
 * <p>Events come out as their files hold them: {@code seq}, {@code time}, {@code file} and
 * {@code line} are those of their own file, so times may go back across files whose clocks
 * differ.
 *
 * <p>A single file passes through unchanged: the simulator writes one file for all nodes, in
 * an order that is already a run's, and its clocks are not checked here.
 *
 * <p>Every contradiction is a {@link TraceException} of one line that names the events
 * involved as {@code file:line}. Not thread-safe.
 */
public final class ClockMerge implements AutoCloseable {

  /** One input file, its head event and what has been read of it. */
  private static final class Source {
    final int index;
    final TraceReader reader;
    TraceEvent head;
    /** The head's clock by node index (null for a head without one). */
    long[] headClock;
    /** Whether the head may come next; recomputed when waitNode's count reaches waitNeed. */
    int waitNode = -1;
    long waitNeed;
    boolean exhausted;
    /** The node whose events this file holds (-1 until its first event with a clock). */
    int node = -1;
    /** The first event with a clock, which decided {@link #node}. */
    String firstWhere;
    /** Events with a clock read so far (the head included), and the last of them. */
    long clocked;
    String lastWhere;
    long[] lastClock;

    Source(int index, TraceReader reader) {
      this.index = index;
      this.reader = reader;
    }

    String file() {
      return reader.file();
    }
  }

  private final List<Source> sources = new ArrayList<>();
  private final Header header;
  private final List<String> nodes;
  private final Map<String, Integer> nodeIndex = new HashMap<>();
  /** The events of each node that came out so far. */
  private final long[] emitted;
  /** For each node, the source that holds its events, once known. */
  private final Source[] nodeSource;
  /** The source of the last event that came out. */
  private Source last;
  /** Whether {@link #last} must read its next event before anything else can come out. */
  private boolean lastConsumed;

  /**
   * Merges {@code readers}, given in command-line order, each positioned right after its
   * header. Reads each one's first event. The merge owns the readers: {@link #close()} closes
   * them.
   */
  public ClockMerge(List<TraceReader> readers) throws TraceException {
    if (readers.isEmpty()) {
      throw new TraceException("no trace file given");
    }
    for (TraceReader r : readers) {
      sources.add(new Source(sources.size(), r));
    }
    this.header = mergeHeaders(readers);
    this.nodes = header.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      nodeIndex.put(nodes.get(i), i);
    }
    this.emitted = new long[nodes.size()];
    this.nodeSource = new Source[nodes.size()];
    if (sources.size() > 1) {
      for (Source s : sources) {
        advance(s);
      }
    }
  }

  /**
   * Opens {@code files} (in command-line order) and merges them; closes what it opened when
   * that fails.
   */
  public static ClockMerge open(List<Path> files) throws TraceException {
    List<TraceReader> readers = new ArrayList<>();
    try {
      for (Path p : files) {
        readers.add(new TraceReader(p));
      }
      return new ClockMerge(readers);
    } catch (TraceException | RuntimeException e) {
      for (TraceReader r : readers) {
        closeQuietly(r);
      }
      throw e;
    }
  }

  /** The run's header: the first file's, with the variables of every file's header. */
  public Header header() {
    return header;
  }

  /** The next event in a happens-before order, or null when every file has ended. */
  public TraceEvent next() throws TraceException {
    if (sources.size() == 1) {
      return sources.get(0).reader.next();
    }
    if (lastConsumed) {
      // Read only now, so that a bad next line does not hide the event returned before it.
      lastConsumed = false;
      advance(last);
    }
    Source pick = null;
    if (last != null && last.head != null && last.headClock == null) {
      pick = last; // an event without a clock comes right after the one before it in its file
    } else {
      boolean any = false;
      for (Source s : sources) {
        if (s.head == null) {
          continue;
        }
        any = true;
        if (ready(s) && (pick == null || s.head.time() < pick.head.time())) {
          pick = s;
        }
      }
      if (!any) {
        return null;
      }
      if (pick == null) {
        throw stuck();
      }
    }
    TraceEvent e = pick.head;
    if (pick.headClock != null) {
      emitted[pick.node]++;
    }
    last = pick;
    lastConsumed = true;
    return e;
  }

  @Override
  public void close() {
    for (Source s : sources) {
      closeQuietly(s.reader);
    }
  }

  // ---------------------------------------------------------------- headers

  private static Header mergeHeaders(List<TraceReader> readers) throws TraceException {
    Header first = readers.get(0).header();
    Map<String, String> variables = new TreeMap<>(first.variables());
    Map<String, String> variableFile = new HashMap<>();
    first.variables().keySet().forEach(v -> variableFile.put(v, first.file()));
    for (TraceReader r : readers.subList(1, readers.size())) {
      Header h = r.header();
      agree(first, h, "format", first.format(), h.format());
      agree(first, h, "protocol", first.protocol(), h.protocol());
      agree(first, h, "module", first.module(), h.module());
      agree(first, h, "constants", first.constants(), h.constants());
      agree(first, h, "nodes", first.nodes(), h.nodes());
      agree(first, h, "seed", first.seed(), h.seed());
      for (Map.Entry<String, String> v : h.variables().entrySet()) {
        String had = variables.putIfAbsent(v.getKey(), v.getValue());
        if (had == null) {
          variableFile.put(v.getKey(), h.file());
        } else if (!had.equals(v.getValue())) {
          throw new TraceException(h.file() + ":1: the header's variable '" + v.getKey() + "' is " + v.getValue()
              + ", but in " + variableFile.get(v.getKey()) + ":1 it is " + had
              + "; the files of one run must agree");
        }
      }
    }
    if (readers.size() == 1) {
      return first;
    }
    return new Header(first.file(), first.format(), first.protocol(), first.module(), first.constants(),
        first.nodes(), first.seed(), new LinkedHashMap<>(variables));
  }

  private static void agree(Header first, Header h, String field, Object want, Object got) throws TraceException {
    if (!Objects.equals(want, got)) {
      throw new TraceException(h.file() + ":1: the header's '" + field + "' is " + show(got) + ", but in "
          + first.file() + ":1 it is " + show(want) + "; the files of one run must agree");
    }
  }

  private static String show(Object v) {
    return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
  }

  // ---------------------------------------------------------------- reading one file

  /** Reads the next event of {@code s} into its head, checking it against the file's earlier ones. */
  private void advance(Source s) throws TraceException {
    TraceEvent e = s.reader.next();
    s.head = e;
    s.headClock = null;
    s.waitNode = -1;
    if (e == null) {
      s.exhausted = true;
      return;
    }
    if (e.vc().isEmpty()) {
      if (e.isAction() || e.isCrash()) {
        throw new TraceException(e.where() + ": " + (e.isAction() ? "action" : "crash") + " event of "
            + e.node() + " without a vector clock ('vc'): per-node files are merged by their clocks");
      }
      return;
    }
    if (e.node() == null) {
      throw new TraceException(e.where() + ": an event with a vector clock but no node");
    }
    int n = nodeIndex.get(e.node()); // the reader checked that the node is in the header
    if (s.node < 0) {
      Source other = nodeSource[n];
      if (other != null) {
        throw new TraceException(e.where() + ": an event of " + e.node() + ", whose events " + other.file()
            + " holds too (" + other.firstWhere + "): give one file per node (a simulator's trace, which holds"
            + " every node's events, is validated alone)");
      }
      s.node = n;
      s.firstWhere = e.where();
      nodeSource[n] = s;
    } else if (s.node != n) {
      throw new TraceException(e.where() + ": " + s.file() + " holds the events of two nodes, " + nodes.get(s.node)
          + " (" + s.firstWhere + ") and " + e.node() + " (here): a per-node file holds one node's events (a"
          + " simulator's trace, which holds every node's events, is validated alone)");
    }
    long[] clock = new long[nodes.size()];
    for (Map.Entry<String, Long> c : e.vc().entrySet()) {
      clock[nodeIndex.get(c.getKey())] = c.getValue();
    }
    String name = e.node();
    long own = clock[n];
    if (s.lastClock == null) {
      if (own == 0) {
        throw new TraceException(e.where() + ": its clock has no entry for its own node " + name
            + "; each event of " + name + " counts itself, from 1");
      }
      if (own > 1) {
        throw new TraceException(e.where() + ": its clock counts " + count(own, name)
            + ", but it is the first event of " + name + " (in " + s.file() + "): " + count(own - 1, name)
            + " missing before it, a gap in " + name + "'s own count");
      }
    } else {
      long before = s.lastClock[n];
      if (own == before) {
        throw new TraceException(e.where() + ": its clock counts " + count(own, name)
            + ", as does the event before it, " + s.lastWhere + ": each event of " + name
            + " must count one more, a repeat in " + name + "'s own count");
      }
      if (own < before) {
        throw new TraceException(e.where() + ": its clock goes backwards: it counts " + count(own, name)
            + ", but the earlier " + s.lastWhere + " counts " + before);
      }
      if (own > before + 1) {
        throw new TraceException(e.where() + ": its clock counts " + count(own, name)
            + ", but the event before it, " + s.lastWhere + ", counts " + before + ": "
            + count(own - before - 1, name) + " missing between them, a gap in " + name + "'s own count");
      }
      for (int m = 0; m < clock.length; m++) {
        if (clock[m] < s.lastClock[m]) {
          throw new TraceException(e.where() + ": its clock goes backwards: it says it follows " + count(clock[m],
              nodes.get(m)) + ", but the earlier " + s.lastWhere + " says it follows " + s.lastClock[m]);
        }
      }
    }
    s.clocked++;
    s.lastClock = clock;
    s.lastWhere = e.where();
    s.headClock = clock;
  }

  // ---------------------------------------------------------------- order

  /**
   * Whether the head of {@code s} may come next. Its own count is right by construction: the
   * file checked it against its previous event, which came out before it, and no other file
   * holds events of its node.
   */
  private boolean ready(Source s) {
    if (s.headClock == null) {
      return true;
    }
    if (s.waitNode >= 0 && emitted[s.waitNode] < s.waitNeed) {
      return false;
    }
    for (int m = 0; m < emitted.length; m++) {
      if (m != s.node && s.headClock[m] > emitted[m]) {
        s.waitNode = m;
        s.waitNeed = s.headClock[m];
        return false;
      }
    }
    s.waitNode = -1;
    return true;
  }

  /** Why no head can come next (each waits: ready() has set its waitNode). */
  private TraceException stuck() {
    for (Source s : sources) {
      if (s.head == null) {
        continue;
      }
      Source of = nodeSource[s.waitNode];
      String m = nodes.get(s.waitNode);
      if (of == null) {
        return new TraceException(s.head.where() + ": its clock says it follows " + count(s.waitNeed, m)
            + ", but no file holds events of " + m);
      }
      if (of.exhausted) {
        return new TraceException(s.head.where() + ": its clock says it follows " + count(s.waitNeed, m)
            + ", but " + of.file() + " has only " + count(emitted[s.waitNode], m) + " (last at " + of.lastWhere
            + ")");
      }
    }
    // Every head waits for the next event of a node whose file's head waits in turn: follow
    // the waits from the first file until they close a cycle.
    List<Source> path = new ArrayList<>();
    Source s = sources.stream().filter(x -> x.head != null).findFirst().orElseThrow();
    while (!path.contains(s)) {
      path.add(s);
      s = nodeSource[s.waitNode];
    }
    int cycle = path.size() - path.indexOf(s);
    Source t = nodeSource[s.waitNode];
    String m = nodes.get(s.waitNode);
    String k = nodes.get(t.waitNode);
    return new TraceException(s.head.where() + ": deadlock: its clock says it follows " + count(s.waitNeed, m)
        + ", but " + m + "'s next event, " + t.head.where() + ", says it follows " + count(t.waitNeed, k)
        + (cycle == 2 ? "; each waits for the other" : "; " + cycle + " events wait for one another in a cycle"));
  }

  private static String count(long n, String node) {
    return n + (n == 1 ? " event of " : " events of ") + node;
  }

  private static void closeQuietly(TraceReader r) {
    try {
      r.close();
    } catch (IOException ignored) {
      // Reading is over; nothing was written.
    }
  }
}
