package spectrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.conformance.TraceException;
import spectrace.protocols.Protocols;
import spectrace.tlc.Specs;

/** {@code spectrace mutants}: does validation catch each deliberately broken implementation as often as recorded? */
@Command(
    name = "mutants",
    mixinStandardHelpOptions = true,
    description = {
        "Count the runs of each mutant that validation catches, against the record.",
        "",
        "Each mutant (a deliberately broken implementation) runs on the simulator with seeds 1..N,",
        "every fault the model allows and the simulator's own checks off; every trace is validated",
        "against the spec. The correct implementation runs on the same seeds and must never be",
        "caught. The record, traces/mutants/PROTOCOL.tsv, holds for each mutant the seeds that",
        "were caught when it was written; each row's verdict compares the seeds that both this",
        "run and the record ran (1..min(N, record's N)), seed by seed: 'ok', 'BELOW RECORD',",
        "or 'above record: consider --record'. A record of other nodes, steps or faults does not",
        "apply ('no record of these runs'): then a mutant must only be caught at least once."},
    footer = {"", "Exit codes: 0 no mutant below its record (or, without one, every mutant caught) and the",
        "correct implementation never caught; 1 otherwise, or --record refused; 2 bad usage."})
final class MutantsCommand implements Callable<Integer> {

  /** The seeds of a table when there is no record to take them from. */
  static final int DEFAULT_SEEDS = 100;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PROTOCOL", description = "The protocol, e.g. twophase.")
  String protocol;

  @Option(names = "--reports", paramLabel = "DIR", description = {"Keep the first caught run of each mutant in DIR:",
      "its trace and its report (see 'spectrace report'), linked from the table."})
  Path reports;

  @Option(names = "--all", description = "Every protocol that has mutants, one table each.")
  boolean all;

  @Option(names = "--seeds", paramLabel = "N",
      description = "Seeds 1..N per mutant (default: the record's, or " + DEFAULT_SEEDS + " without one). With"
          + " another N than the record's, the verdicts compare seeds 1..min(N, the record's N).")
  Integer seeds;

  @Option(names = "--nodes", paramLabel = "N", description = "Nodes per run (default: the record's, or 4 without one).")
  Integer nodes;

  @Option(names = "--record", description = "Rewrite the record from this run. Refused when the correct"
      + " implementation was caught or a mutant never was, and, without --lower, when the new record would be"
      + " weaker: a mutant below its record, fewer seeds, a mutant dropped, other runs.")
  boolean record;

  @Option(names = "--lower", description = "With --record: write it even if it is weaker than the old one.")
  boolean lower;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = {"Runs at a time, each on a thread of its own",
      "with its own validator (default: one per processor, here ${DEFAULT-VALUE}). Each run depends on",
      "its seed only: the table is the same for any N."})
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = "--record-file", paramLabel = "FILE",
      description = "The record to hold the run to and to rewrite (default: traces/mutants/PROTOCOL.tsv).")
  Path recordFile;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    if (all == (protocol != null)) {
      throw new Main.UserError(all ? "give a PROTOCOL or --all, not both" : "give a PROTOCOL, or --all");
    }
    if (seeds != null && seeds < 1) {
      throw new Main.UserError("--seeds must be at least 1, not " + seeds);
    }
    if (nodes != null && nodes < 1) {
      throw new Main.UserError("--nodes must be at least 1, not " + nodes);
    }
    if (nodes != null && nodes > Main.MAX_SIMULATED_NODES) {
      throw new Main.UserError(String.format("--nodes: the simulator runs at most %,d nodes, not %,d",
          Main.MAX_SIMULATED_NODES, nodes));
    }
    if (jobs < 1) {
      throw new Main.UserError("--jobs must be at least 1, not " + jobs);
    }
    if (lower && !record) {
      throw new Main.UserError("--lower goes with --record");
    }
    if (all && recordFile != null) {
      throw new Main.UserError("--record-file names one protocol's record: give a PROTOCOL, not --all");
    }
    List<String> protocols = new ArrayList<>();
    if (all) {
      for (String p : Protocols.names()) {
        if (!Protocols.mutants(p).isEmpty()) {
          protocols.add(p);
        }
      }
    } else {
      try {
        if (Protocols.mutants(protocol).isEmpty()) {
          throw new Main.UserError(protocol + " has no mutants");
        }
      } catch (IllegalArgumentException e) {
        throw new Main.UserError(e.getMessage());
      }
      protocols.add(protocol);
    }
    Path specs = Specs.locate().root();
    boolean ok = true;
    for (int i = 0; i < protocols.size(); i++) {
      if (i > 0) {
        command.commandLine().getOut().println();
      }
      String p = protocols.get(i);
      ok &= table(p, recordFile != null ? recordFile : MutantRecord.file(specs, p), specs);
    }
    return ok ? Main.OK : Main.FOUND;
  }

  /** Runs and prints the table of {@code p} against the record in {@code file}; true when nothing fails. */
  private boolean table(String p, Path file, Path specs) throws IOException {
    MutantRecord rec;
    try {
      rec = MutantRecord.read(file);
    } catch (MutantRecord.Malformed e) {
      throw new Main.UserError(e.getMessage());
    }
    int n = seeds != null ? seeds : rec != null ? rec.runs().seeds() : DEFAULT_SEEDS;
    int k = nodes != null ? nodes : rec != null ? rec.runs().nodes() : 4;
    MutantRecord.Runs runs;
    List<MutantTable.Row> rows;
    ProgressLine line = ProgressLine.on(command.commandLine().getErr());
    long start = System.nanoTime();
    try {
      runs = MutantTable.runs(p, n, k);
      rows = MutantTable.run(p, runs, specs, reports == null ? null : Main.createFolder("--reports", reports), jobs,
          (done, total) -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            line.show(String.format("  %s: %,d of %,d runs, %.0f s", p, done, total, seconds), seconds);
          });
    } catch (TraceException | IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.UserError("interrupted");
    } finally {
      line.clear();
    }
    List<MutantRecord.Comparison> cs = MutantRecord.compare(rec, runs, rows);
    PrintWriter out = command.commandLine().getOut();
    Path shown = shown(file);
    out.printf("%s: %s; record %s%n", p, runs, rec == null ? "none (" + shown + ")"
        : shown + (rec.runs().sameButSeeds(runs) ? (rec.runs().seeds() == n ? "" : ", verdicts on seeds 1.."
            + Math.min(n, rec.runs().seeds())) : " is of other runs (" + rec.runs() + ")"));
    int w = Math.max("VERDICT".length(), cs.stream().mapToInt(c -> c.verdict().text.length()).max().orElse(0));
    int b = Math.max("BY".length(), cs.stream().mapToInt(c -> c.row() == null ? 1 : c.row().by().length()).max().orElse(1));
    String format = "%-34s %8s  %8s  %-" + w + "s  %-" + b + "s  %s%n";
    out.printf(format, "MUTANT", "CAUGHT", "RECORD", "VERDICT", "BY", "FIRST CAUGHT");
    boolean ok = true;
    for (MutantRecord.Comparison c : cs) {
      MutantTable.Row r = c.row();
      String name = c.mutant() == null ? "(correct implementation)" : c.mutant();
      String caught = r == null ? "-" : r.caught() + "/" + r.runs();
      String recorded = c.recorded() < 0 ? "-" : c.recorded() + "/" + c.covered();
      String first = r == null || r.firstCaught() < 0 ? "-" : "seed " + r.firstCaught() + ": " + r.firstWhere()
          + "  (" + replay(p, c.mutant(), r.firstCaught(), runs) + ")";
      out.printf(format, name, caught, recorded, c.verdict().text, r == null ? "-" : r.by(), first);
      if (r != null && r.firstReport() != null) {
        out.printf("  first caught run: %s%n", r.firstReport());
      }
      if (c.verdict() == MutantRecord.Verdict.BELOW && !c.lost().isEmpty()) {
        long s = c.lost().get(0);
        out.printf("  caught in the record, not now: seed%s %s; replay: %s%n", c.lost().size() > 1 ? "s" : "",
            MutantRecord.ranges(new TreeSet<>(c.lost())), replay(p, c.mutant(), s, runs));
      }
      ok &= !c.verdict().fails;
    }
    if (record) {
      String no = MutantRecord.refusal(rec, runs, rows, lower);
      if (no != null) {
        out.println("record not written: " + no);
        return false;
      }
      MutantRecord.write(file, p, runs, rows);
      out.println("record written: " + shown);
      return true;
    }
    out.println(ok ? (rec == null || !rec.runs().sameButSeeds(runs)
        ? "every mutant caught; the correct implementation conforms in every run"
        : "no mutant below its record; the correct implementation conforms in every run")
        : "FAILED: a mutant below its record, not recorded or never caught, or the correct implementation caught");
    return ok;
  }

  /** {@code file} relative to the working folder when it is in it. */
  private static Path shown(Path file) {
    Path here = Path.of("").toAbsolutePath();
    Path f = file.toAbsolutePath().normalize();
    return f.startsWith(here) ? here.relativize(f) : file;
  }

  /** The command that replays seed {@code seed} of {@code mutant} (null: the correct implementation). */
  static String replay(String protocol, String mutant, long seed, MutantRecord.Runs runs) {
    return "./spectrace simulate " + protocol + " --seed " + seed + " --nodes " + runs.nodes() + " --steps "
        + runs.steps() + (mutant == null ? "" : " --mutant " + mutant) + " --no-check --trace t.ndjson";
  }
}
