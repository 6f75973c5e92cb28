package spectrace.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import spectrace.core.Fault;
import spectrace.protocols.Protocols;

/**
 * The recorded catch rates of a protocol's mutants, {@code traces/mutants/<protocol>.tsv}: for
 * the correct implementation and each mutant, the runs made (seeds {@code 1..N}, nodes, steps,
 * faults) and the seeds whose trace validation caught. A table run now is held to it: a
 * mutant caught on fewer of the seeds both cover is below its record.
 *
 * <p>The file is tab-separated, with {@code #} comment lines, a header line, and one row per
 * variant, the correct implementation ({@value #CORRECT}) first:
 *
 * <pre>
 * mutant            seeds   nodes  steps  faults              caught  caught-seeds
 * (correct)         1..100  4      5000   duplicate,reorder   0       -
 * tm-commits-early  1..100  4      5000   duplicate,reorder   76      1-3,5,7-20
 * </pre>
 *
 * Every row has the same runs; {@code caught} is the number of {@code caught-seeds}, which are
 * ranges within the seeds ({@code -} for none); the correct implementation's is 0 and every
 * mutant's at least 1.
 *
 * @param file the file read, for messages
 * @param runs the runs of every row
 * @param rows the caught seeds of each variant by name, the correct implementation's under
 *             {@value #CORRECT}, in the file's order
 */
record MutantRecord(Path file, Runs runs, Map<String, SortedSet<Long>> rows) {

  /** The name of the correct implementation's row. */
  static final String CORRECT = "(correct)";

  static final String HEADER = "mutant\tseeds\tnodes\tsteps\tfaults\tcaught\tcaught-seeds";

  /**
   * The runs of a table: seeds {@code 1..seeds}, each a simulator run of {@code nodes} nodes
   * for at most {@code steps} steps with {@code faults}.
   */
  record Runs(int seeds, int nodes, int steps, Set<Fault> faults) {
    Runs {
      if (seeds < 1 || nodes < 1 || steps < 1) {
        throw new IllegalArgumentException("seeds, nodes and steps must be at least 1");
      }
      faults = Collections.unmodifiableSet(faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults));
    }

    /** The same runs but for the number of seeds. */
    boolean sameButSeeds(Runs o) {
      return nodes == o.nodes && steps == o.steps && faults.equals(o.faults);
    }

    String faultWords() {
      return faults.isEmpty() ? "none" : faults.stream().map(Fault::word).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
      return "seeds 1.." + seeds + ", " + nodes + " nodes, " + steps + " steps, faults " + faultWords();
    }
  }

  /** A record file that does not parse: the message starts with {@code file:line:}. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  /** Whether CI holds {@code protocol}'s mutants to a record: every protocol that has mutants. */
  static boolean held(String protocol) {
    return !Protocols.mutants(protocol).isEmpty();
  }

  /** The record file of {@code protocol}: {@code traces/mutants/<protocol>.tsv}, beside {@code specs/}. */
  static Path file(Path specsRoot, String protocol) {
    return specsRoot.resolveSibling("traces").resolve("mutants").resolve(protocol + ".tsv");
  }

  /** The record in {@code file}, or null if there is none. */
  static MutantRecord read(Path file) throws IOException, Malformed {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
    return parse(file, lines);
  }

  /** The record that {@code lines}, the text of {@code file}, hold. */
  static MutantRecord parse(Path file, List<String> lines) throws Malformed {
    Runs runs = null;
    Map<String, SortedSet<Long>> rows = new LinkedHashMap<>();
    boolean header = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String at = file + ":" + (i + 1) + ": ";
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (!header) {
        if (!line.equals(HEADER)) {
          throw new Malformed(at + "the header must be '" + HEADER.replace("\t", "<tab>") + "'");
        }
        header = true;
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 7) {
        throw new Malformed(at + "a row has 7 tab-separated fields (mutant, seeds, nodes, steps, faults, caught,"
            + " caught-seeds), not " + f.length);
      }
      String name = f[0];
      if (rows.isEmpty() != name.equals(CORRECT)) {
        throw new Malformed(at + (rows.isEmpty() ? "the first row is the correct implementation's, " + CORRECT
            : CORRECT + " is the first row only"));
      }
      if (rows.containsKey(name)) {
        throw new Malformed(at + name + " has a row already");
      }
      if (!f[1].startsWith("1..")) {
        throw new Malformed(at + "seeds are 1..N, not '" + f[1] + "'");
      }
      int seeds = number(at, "seeds", f[1].substring(3));
      Set<Fault> faults = EnumSet.noneOf(Fault.class);
      if (!f[4].equals("none")) {
        for (String w : f[4].split(",", -1)) {
          try {
            faults.add(Fault.of(w));
          } catch (IllegalArgumentException e) {
            throw new Malformed(at + e.getMessage());
          }
        }
      }
      Runs r = new Runs(seeds, number(at, "nodes", f[2]), number(at, "steps", f[3]), faults);
      if (runs == null) {
        runs = r;
      } else if (!runs.equals(r)) {
        throw new Malformed(at + "every row has the runs of the first (" + runs + "), not " + r);
      }
      SortedSet<Long> caught = seeds(at, f[6], seeds);
      int count = f[5].matches("[0-9]{1,9}") ? Integer.parseInt(f[5]) : -1;
      if (count != caught.size()) {
        throw new Malformed(at + "caught is the number of caught-seeds (" + caught.size() + "), not '" + f[5] + "'");
      }
      if (name.equals(CORRECT) && count != 0) {
        throw new Malformed(at + "the correct implementation's record is 0 caught, not " + count);
      }
      if (!name.equals(CORRECT) && count == 0) {
        throw new Malformed(at + name + ": a record of 0 caught holds nothing; a mutant's is at least 1");
      }
      rows.put(name, caught);
    }
    if (runs == null) {
      throw new Malformed(file + ":" + lines.size() + ": " + (header ? "no rows" : "no header"));
    }
    return new MutantRecord(file, runs, Collections.unmodifiableMap(rows));
  }

  private static int number(String at, String what, String s) throws Malformed {
    if (!s.matches("[1-9][0-9]{0,8}")) {
      throw new Malformed(at + what + " must be a whole number of at least 1, not '" + s + "'");
    }
    return Integer.parseInt(s);
  }

  /** Ranges {@code 1-3,5} within {@code 1..max}, ascending and apart; {@code -} for none. */
  private static SortedSet<Long> seeds(String at, String s, int max) throws Malformed {
    SortedSet<Long> out = new TreeSet<>();
    if (s.equals("-")) {
      return out;
    }
    long last = 0;
    for (String part : s.split(",", -1)) {
      String[] ends = part.split("-", -1);
      if (ends.length > 2 || !part.matches("[0-9]{1,9}(-[0-9]{1,9})?")) {
        throw new Malformed(at + "caught-seeds are ranges like 1-3,5 (or - for none), not '" + s + "'");
      }
      long from = Long.parseLong(ends[0]);
      long to = ends.length == 2 ? Long.parseLong(ends[1]) : from;
      if (from <= last + (last == 0 ? 0 : 1) || to < from || to > max) {
        throw new Malformed(at + "caught-seeds must ascend, apart, within 1.." + max + ": '" + part + "' in '" + s + "'");
      }
      for (long x = from; x <= to; x++) {
        out.add(x);
      }
      last = to;
    }
    return out;
  }

  /** {@code seeds} as ascending ranges, {@code 1-3,5}; {@code -} for none. */
  static String ranges(SortedSet<Long> seeds) {
    if (seeds.isEmpty()) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    long from = -1;
    long prev = -1;
    for (long s : seeds) {
      if (from < 0) {
        from = s;
      } else if (s != prev + 1) {
        b.append(b.isEmpty() ? "" : ",").append(from == prev ? Long.toString(from) : from + "-" + prev);
        from = s;
      }
      prev = s;
    }
    b.append(b.isEmpty() ? "" : ",").append(from == prev ? Long.toString(from) : from + "-" + prev);
    return b.toString();
  }

  /** The text of a record of {@code protocol} with these rows (the correct implementation's first). */
  static String format(String protocol, Runs runs, List<MutantTable.Row> rows) {
    StringBuilder b = new StringBuilder();
    boolean history = rows.stream().anyMatch(r -> r.byHistory() > 0);
    b.append("# The catch rates of ").append(protocol).append("'s mutants: for each, the seeds whose trace validation"
        + (history ? " or clients' history check" : "") + " caught.\n");
    b.append("# Held by ./spectrace mutants ").append(protocol).append(" and MutantRatesIT; rewritten by"
        + " ./spectrace mutants ").append(protocol).append(" --record.\n");
    b.append(HEADER).append('\n');
    for (MutantTable.Row r : rows) {
      b.append(r.mutant() == null ? CORRECT : r.mutant()).append('\t').append("1..").append(runs.seeds()).append('\t')
          .append(runs.nodes()).append('\t').append(runs.steps()).append('\t').append(runs.faultWords()).append('\t')
          .append(r.caught()).append('\t').append(ranges(r.caughtSeeds())).append('\n');
    }
    return b.toString();
  }

  /** Writes {@link #format} to {@code file}, through a temporary file renamed over it. */
  static void write(Path file, String protocol, Runs runs, List<MutantTable.Row> rows) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + protocol, ".tsv.tmp");
    try {
      Files.writeString(tmp, format(protocol, runs, rows), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  // ---- Holding a table to the record ---------------------------------------------------------

  /** What a row of the table is, against the record. */
  enum Verdict {
    OK("ok", false),
    ABOVE("above record: consider --record", false),
    BELOW("BELOW RECORD", true),
    CORRECT_CAUGHT("CAUGHT: must never be", true),
    NOT_RECORDED("NOT RECORDED: run --record", true),
    RECORD_ONLY("NO SUCH MUTANT: in the record only", true),
    NO_RECORD("no record of these runs", false),
    NEVER_CAUGHT("NEVER CAUGHT", true);

    final String text;
    final boolean fails;

    Verdict(String text, boolean fails) {
      this.text = text;
      this.fails = fails;
    }
  }

  /**
   * A row of the table against the record.
   *
   * @param mutant   the mutant's name, or null for the correct implementation
   * @param row      the table's row, or null for a mutant only the record has
   * @param covered  the seeds {@code 1..covered} that the table and the record both ran (0 when
   *                 the record does not apply)
   * @param now      the table's catches among them
   * @param recorded the record's catches among them (-1 when the record does not apply)
   * @param lost     the seeds among them that the record has caught and the table has not
   * @param verdict  the verdict
   */
  record Comparison(String mutant, MutantTable.Row row, int covered, int now, int recorded, List<Long> lost,
      Verdict verdict) {

    /**
     * A failing verdict in one line for protocol {@code p}, run with {@code runs}: the mutant, its
     * rate and record, and a command that replays a seed that shows the failure.
     */
    String failure(String p, Runs runs) {
      String rate = row == null ? "-" : row.caught() + "/" + row.runs();
      return switch (verdict) {
        case CORRECT_CAUGHT -> p + ": the correct implementation was caught in " + rate + " runs; first at seed "
            + row.firstCaught() + " (" + row.firstWhere() + "): " + MutantsCommand.replay(p, null, row.firstCaught(), runs);
        case BELOW -> p + ": " + mutant + " caught " + now + "/" + covered + ", below its record of " + recorded + "/"
            + covered + (lost.isEmpty() ? "" : "; caught in the record, not now: seeds " + ranges(new TreeSet<>(lost))
            + "; replay: " + MutantsCommand.replay(p, mutant, lost.get(0), runs));
        case NOT_RECORDED -> p + ": " + mutant + " (caught " + rate + ") has no row in the record: ./spectrace mutants "
            + p + " --record";
        case RECORD_ONLY -> p + ": the record has " + mutant + ", which " + p + " does not list: ./spectrace mutants "
            + p + " --record --lower";
        default -> p + ": " + (mutant == null ? "the correct implementation" : mutant) + ": " + verdict.text + " (" + rate
            + ")";
      };
    }
  }

  /**
   * Each row of {@code table}, run with {@code runs}, against {@code record} (null when there
   * is none), then any mutant the record has and the table has not. The record applies when
   * its runs differ from the table's at most in the number of seeds; then each row is compared
   * on the seeds both ran, {@code 1..min(N, M)}, seed by seed, since a seed is one run.
   */
  static List<Comparison> compare(MutantRecord record, Runs runs, List<MutantTable.Row> table) {
    boolean applies = record != null && record.runs().sameButSeeds(runs);
    int covered = applies ? Math.min(record.runs().seeds(), runs.seeds()) : 0;
    List<Comparison> out = new ArrayList<>();
    for (MutantTable.Row r : table) {
      String key = r.mutant() == null ? CORRECT : r.mutant();
      if (r.mutant() == null) {
        out.add(new Comparison(null, r, covered, r.caught(), applies ? 0 : -1, List.of(),
            r.caught() == 0 ? Verdict.OK : Verdict.CORRECT_CAUGHT));
        continue;
      }
      if (!applies) {
        out.add(new Comparison(r.mutant(), r, 0, r.caught(), -1, List.of(),
            r.caught() > 0 ? Verdict.NO_RECORD : Verdict.NEVER_CAUGHT));
        continue;
      }
      SortedSet<Long> recordedSeeds = record.rows().get(key);
      if (recordedSeeds == null) {
        out.add(new Comparison(r.mutant(), r, covered, upTo(r.caughtSeeds(), covered).size(), -1, List.of(),
            Verdict.NOT_RECORDED));
        continue;
      }
      SortedSet<Long> was = upTo(recordedSeeds, covered);
      SortedSet<Long> is = upTo(r.caughtSeeds(), covered);
      List<Long> lost = was.stream().filter(s -> !is.contains(s)).toList();
      Verdict v = is.size() < was.size() ? Verdict.BELOW : is.size() > was.size() ? Verdict.ABOVE : Verdict.OK;
      out.add(new Comparison(r.mutant(), r, covered, is.size(), was.size(), lost, v));
    }
    if (record != null) {
      Set<String> inTable = table.stream().map(r -> r.mutant() == null ? CORRECT : r.mutant()).collect(Collectors.toSet());
      for (Map.Entry<String, SortedSet<Long>> e : record.rows().entrySet()) {
        if (!inTable.contains(e.getKey())) {
          out.add(new Comparison(e.getKey(), null, covered, 0, e.getValue().size(), List.of(), Verdict.RECORD_ONLY));
        }
      }
    }
    return out;
  }

  private static SortedSet<Long> upTo(SortedSet<Long> seeds, int max) {
    return seeds.headSet((long) max + 1);
  }

  /**
   * Why {@code --record} must not write {@code table}, run with {@code runs}, over {@code record}
   * (null: there is none), or null when it may: never over a caught correct implementation or
   * a mutant never caught; without {@code lower}, never a weaker record (a mutant below its
   * record, fewer seeds, a mutant dropped) or one of other runs.
   */
  static String refusal(MutantRecord record, Runs runs, List<MutantTable.Row> table, boolean lower) {
    for (MutantTable.Row r : table) {
      if (r.mutant() == null && r.caught() > 0) {
        return "the correct implementation was caught (first at seed " + r.firstCaught() + ")";
      }
      if (r.mutant() != null && r.caught() == 0) {
        return r.mutant() + " was never caught in " + r.runs() + " seeds: a record of 0 holds nothing";
      }
    }
    if (record == null || lower) {
      return null;
    }
    if (!record.runs().sameButSeeds(runs)) {
      return "the record is of other runs (" + record.runs() + "); --lower replaces it";
    }
    if (runs.seeds() < record.runs().seeds()) {
      return "the record has " + record.runs().seeds() + " seeds, this run " + runs.seeds() + "; --lower writes fewer";
    }
    for (Comparison c : compare(record, runs, table)) {
      if (c.verdict() == Verdict.BELOW) {
        return c.mutant() + " is below its record (" + c.now() + "/" + c.covered() + " against " + c.recorded() + "/"
            + c.covered() + "); --lower writes it";
      }
      if (c.verdict() == Verdict.RECORD_ONLY) {
        return "the record has " + c.mutant() + ", which the protocol has not; --lower drops it";
      }
    }
    return null;
  }
}
