package spectrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import spectrace.conformance.Report;
import spectrace.conformance.TraceException;
import spectrace.conformance.Validator;
import spectrace.core.Clients;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.core.Reports;
import spectrace.protocols.Protocols;
import spectrace.cli.WorkloadOptions.Due;
import spectrace.tlc.Specs;

/** {@code spectrace cluster}: node processes on loopback, a workload, SIGKILLs, validated traces. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = {"Run a protocol as node processes on loopback, kill some, and validate their traces.",
        "",
        "Each node is a './spectrace node' process. The driver runs a workload, optionally kills",
        "random nodes with SIGKILL and restarts them (they recover from their data folders),",
        "stops them cleanly, then merges every node's trace by vector clocks and validates it",
        "against the spec.",
        "",
        "A protocol that decides (two-phase commit) runs one instance per round, with fresh",
        "processes, until --duration is up; a round ends when every node has decided. Only",
        "nodes the system model lets crash and recover are killed (--kill-every).",
        "",
        "A protocol that does not decide (the broadcast family, Maekawa) runs its workload once",
        "per round; a round ends when the workload is served (every broadcast delivered by every",
        "live node as the protocol promises, every critical section entered) and the nodes have",
        "been quiet for a moment. In a crash-stop model, --crash K kills K nodes for good in each",
        "round.",
        "",
        "A replicated service (raft, vr, pbft) runs one round for the whole --duration: its clients",
        "load its key-value store throughout, each retrying elsewhere when a node is down or is",
        "not the leader; at the end their history (history.ndjson in the round's folder) must be",
        "linearizable. Any node may be killed (--kill-every), the leader included. In a model",
        "whose nodes keep nothing across a crash (vr), a killed node's data folder is deleted",
        "before its restart.",
        "",
        "--byzantine N runs N nodes Byzantine (pbft): each runs its own code but sends what an",
        "adversary of the protocol's menu chooses (silent, equivocating, wrong digests, ...),",
        "under its own name, as the simulator's Byzantine nodes do; its trace holds its sends,",
        "with its vector clock, and the merged traces are validated with them. A correct node",
        "logs each message it rejects (a bad signature, a wrong digest, a false proof).",
        "",
        "After each round, the protocol's properties (agreement, no duplication, no creation,",
        "FIFO, causal or total order, consistent decisions, ...) are checked on what the nodes",
        "reported, and the merged traces are validated. A node that dies without being killed is",
        "reported with the last line of its log, and restarted where the model allows it; a round",
        "that times out says what it still waits for.",
        "",
        "To run the nodes by hand instead, start each with './spectrace node' and send the",
        "workload with './spectrace client'."},
    footer = {"", "Exit codes: 0 every round finished, kept its properties and its traces conform; 1 otherwise;",
        "2 bad usage."})
final class ClusterCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "PROTOCOL", description = "The protocol, e.g. twophase.")
  String protocolName;

  @Option(names = "--nodes", paramLabel = "N", description = "Nodes (default: the protocol's).")
  Integer nodes;

  @Option(names = "--duration", paramLabel = "S", defaultValue = "10",
      description = "Seconds to keep starting rounds (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--kill-every", paramLabel = "S", defaultValue = "0",
      description = "Every S seconds, kill with SIGKILL a random node that may crash: in a crash-recovery model one"
          + " that has been up for S seconds since its last restart, while fewer than the model's bound F are down"
          + " or still recovering, restarted after --downtime; in a crash-stop"
          + " model one of the live nodes, for good, while fewer than the model's bound F have crashed in the"
          + " round (default: never).")
  double killEvery;

  @Option(names = "--crash", paramLabel = "K", defaultValue = "0",
      description = "In each round, kill with SIGKILL K random nodes that the system model lets crash and stop"
          + " (at most its bound F), at random moments of the workload, and never restart them (default: none).")
  int crash;

  @Option(names = "--byzantine", paramLabel = "N", defaultValue = "0",
      description = "Run N nodes Byzantine (pbft, at most F of 3F+1, less those --crash or --kill-every may kill):"
          + " which ones, and the adversary each has, the seed chooses; they are never killed, and their traces"
          + " hold what they send (default: none).")
  int byzantine;

  @Option(names = "--downtime", paramLabel = "S", defaultValue = "0.3",
      description = "Seconds a killed node stays down before its restart (default: ${DEFAULT-VALUE}).")
  double downtime;

  @CommandLine.Mixin WorkloadOptions workload;

  @Option(names = "--round-timeout", paramLabel = "S", defaultValue = "30",
      description = "Seconds a round may take before it counts as unfinished (default: ${DEFAULT-VALUE}).")
  double roundTimeout;

  @Option(names = "--report", paramLabel = "FILE", description = {"Write a round's merged traces as a space-time",
      "diagram, an HTML file (see 'spectrace report'): the first round that fails, else the last."})
  Path report;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the rounds' data, traces and logs go: a new or empty folder (default: a new temporary"
          + " folder, kept).")
  Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  /** The most node processes a cluster starts (each is a JVM, and every one's peer list names all). */
  static final int MAX_NODES = 64;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    Protocol<?> protocol;
    try {
      protocol = Protocols.get(protocolName);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    int n = nodes == null ? protocol.defaultNodes() : nodes;
    List<String> ids;
    try {
      ids = protocol.nodeIds(n);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    workload.check(protocol);
    if (n > MAX_NODES) {
      throw new Main.UserError("--nodes: a cluster runs at most " + MAX_NODES + " node processes, not " + n);
    }
    Main.checkNumber("--duration", duration, 0, false);
    Main.checkNumber("--round-timeout", roundTimeout, 0, false);
    Main.checkNumber("--kill-every", killEvery, 0, true);
    Main.checkNumber("--downtime", downtime, 0, true);
    // The most nodes down or faulty at once: the model's bound, and the spec's for this size (VR: F of 2F+1).
    int modelBound = Math.min(protocol.model().maxFaulty(), protocol.maxFaulty(n));
    Map<String, String> adversaries = chooseByzantine(protocol, ids, modelBound);
    // A Byzantine node is never killed, and counts among the faulty for as long as the run lasts.
    List<String> killable = ids.stream().filter(protocol.model().mayFail()).filter(id -> !adversaries.containsKey(id))
        .toList();
    // What is left for crashes: the bound less the Byzantine nodes, faulty all along.
    int crashBudget = modelBound - adversaries.size();
    boolean recovers = protocol.model().allows(Fault.CRASH_RECOVERY);
    if (killEvery > 0 && (!(recovers || protocol.model().allows(Fault.CRASH_STOP)) || killable.isEmpty()
        || protocol.model().maxFaulty() == 0)) {
      throw new Main.UserError(protocol.name() + "'s system model (" + protocol.model().description()
          + ") has no node that crashes" + (protocol.model().allows(Fault.FAIL_STOP)
              ? " and stops unnoticed (fail-stop needs a perfect failure detector, which the TCP runtime does not have)"
              : "") + ": --kill-every needs one");
    }
    if (killEvery > 0 && !adversaries.isEmpty() && crashBudget <= 0) {
      throw new Main.UserError("--kill-every: " + protocol.name() + " on " + n + " nodes lets "
          + modelBound + " be faulty at once, and --byzantine " + adversaries.size()
          + " takes them all: give more nodes (pbft: 3F+1) or fewer Byzantine");
    }
    if (crash < 0) {
      throw new Main.UserError("--crash must be at least 0, not " + crash);
    }
    if (crash > 0) {
      if (!protocol.model().allows(Fault.CRASH_STOP) || protocol.model().allows(Fault.CRASH_RECOVERY)
          || killable.isEmpty()) {
        throw new Main.UserError(protocol.name() + "'s system model (" + protocol.model().description()
            + ") has no node that crashes and stops for good" + (protocol.model().allows(Fault.CRASH_RECOVERY)
                ? ": use --kill-every" : protocol.model().allows(Fault.FAIL_STOP)
                ? " (fail-stop needs a perfect failure detector, which the TCP runtime does not have)" : "")
            + ": --crash needs one");
      }
      if (crash > Math.min(crashBudget, killable.size())) {
        throw new Main.UserError("--crash " + crash + ": " + protocol.name() + "'s system model lets at most "
            + Math.min(crashBudget, killable.size()) + " of its " + n + " nodes crash"
            + (adversaries.isEmpty() ? "" : " besides its " + adversaries.size() + " Byzantine"));
      }
    }
    if (report != null) {
      Main.checkOutputFile("--report", report);
    }
    Path base = dir != null ? Main.createFolder("--dir", dir) : Files.createTempDirectory("spectrace-cluster-");
    try (var entries = Files.list(base)) {
      if (entries.findAny().isPresent()) {
        // Its nodes would recover from the data of the run before, and their traces continue it.
        throw new Main.UserError("--dir " + dir + " is not empty: give a new or empty folder (it holds a run before)");
      }
    }
    Path specs = Specs.locate().root();
    out.printf("cluster %s: %d nodes (%s), workload %s, seed %d, %s s%s%s; files in %s%n", protocol.name(), n,
        String.join(", ", ids), workload.name, workload.seed, fmt(duration),
        killEvery > 0 ? ", SIGKILL every " + fmt(killEvery) + " s" + (recovers
            ? " (at most " + Math.min(crashBudget, killable.size()) + " down or recovering at once"
                + (protocol.model().recoversWithoutState() ? "; restarted with their data folders deleted" : "") + ")"
            : "") : "",
        crash > 0 ? ", " + crash + (crash == 1 ? " crash" : " crashes") + " a round" : "", base);
    if (!adversaries.isEmpty()) {
      out.printf("Byzantine: %s%n", adversaries.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
          .collect(java.util.stream.Collectors.joining(", ")));
    }
    out.flush();

    SplittableRandom chaos = new SplittableRandom(workload.seed).split();
    long start = System.nanoTime();
    long end = start + seconds(duration);
    long nextKill = Long.MAX_VALUE; // set once the first round's nodes are up
    Map<String, Long> upSince = new TreeMap<>();
    int rounds = 0;
    boolean reportKept = false; // the report holds a failed round, which later rounds leave alone
    int failed = 0;
    long events = 0;
    int kills = 0;
    int recoveries = 0;
    int deaths = 0;
    TreeMap<String, Integer> outcomes = new TreeMap<>();
    // Once a round's requests are served, it runs on while reports still come (a late copy, gossip spreading).
    long settle = Math.max(seconds(0.2), 20 * workload.tickMillis * 1_000_000);
    do {
      rounds++;
      Path roundDir = base.resolve("round-" + rounds);
      long roundStart = System.nanoTime();
      LocalCluster started;
      try {
        started = start(protocol, n, roundDir, workload.seed + rounds, adversaries, out);
      } catch (IOException e) {
        // A node that cannot start will not start in the next round either: the run ends here.
        out.printf("round %d: FAILED: %s%n", rounds, e.getMessage());
        out.flush();
        outcomes.merge("failed", 1, Integer::sum);
        failed++;
        break;
      }
      try (LocalCluster c = started) {
        long t0 = System.nanoTime();
        upSince.clear(); // fresh processes: only a restart holds a node back from the next kill
        if (killEvery > 0 && nextKill == Long.MAX_VALUE) {
          nextKill = t0 + seconds(killEvery);
        }
        PriorityQueue<Due> due = new PriorityQueue<>(Comparator.comparingLong(Due::atMillis));
        due.addAll(workload.schedule(protocol, ids, workload.seed + rounds));
        Map<String, Long> restarts = new TreeMap<>();
        List<String> killed = new ArrayList<>();
        Set<String> crashed = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        // A replicated service's clients load it for the whole --duration, in one round.
        Clients kv = protocol.clients(ids, Clients.UNBOUNDED, new SplittableRandom(workload.seed + rounds));
        ClusterClients clients = kv == null ? null : new ClusterClients(kv, c, workload.tickMillis);
        if (clients != null) {
          clients.start();
        }
        long roundEnd = clients == null ? t0 + seconds(roundTimeout) : Math.max(end, t0) + seconds(roundTimeout);
        // --crash: when each crash-stop happens, within the workload's span.
        long span = due.stream().mapToLong(Due::atMillis).max().orElse(0);
        PriorityQueue<Long> crashAt = new PriorityQueue<>();
        for (int k = 0; k < crash; k++) {
          crashAt.add(span == 0 ? 0 : chaos.nextLong(span + 1));
        }
        boolean finished = false;
        String awaiting = null;
        long readBackUntil = Long.MIN_VALUE;
        while (System.nanoTime() < roundEnd) {
          long now = System.nanoTime();
          long elapsedMs = (now - t0) / 1_000_000;
          for (LocalCluster.Death d : c.takeDeaths()) {
            deaths++;
            String what = "node " + d.id() + " died (exit " + d.exitCode() + "), not killed by the driver: "
                + d.lastLog();
            if (protocol.model().mayFail().test(d.id()) && protocol.model().allows(Fault.CRASH_RECOVERY)) {
              out.printf("round %d: %s; restarting it%n", rounds, what);
              restarts.put(d.id(), now + seconds(downtime));
            } else if (protocol.model().mayFail().test(d.id()) && protocol.model().allows(Fault.CRASH_STOP)
                && !adversaries.containsKey(d.id()) && crashed.size() < crashBudget) {
              out.printf("round %d: %s; a crash-stop the model allows%n", rounds, what);
              crashed.add(d.id());
            } else {
              out.printf("round %d: %s; the model (%s) does not allow it%n", rounds, what,
                  protocol.model().description());
              problems.add(d.id() + " died");
              crashed.add(d.id());
            }
            out.flush();
          }
          if (!problems.isEmpty()) {
            break;
          }
          while (!crashAt.isEmpty() && crashAt.peek() <= elapsedMs) {
            crashAt.poll();
            List<String> up = killable.stream().filter(id -> c.running(id) && !crashed.contains(id)).toList();
            if (!up.isEmpty()) {
              String victim = up.get(chaos.nextInt(up.size()));
              c.kill(victim);
              killed.add(victim);
              crashed.add(victim);
            }
          }
          due.removeIf(d -> crashed.contains(d.node()));
          while (!due.isEmpty() && due.peek().atMillis() <= elapsedMs && c.running(due.peek().node())) {
            Due d = due.poll();
            if (!c.request(d.node(), d.request())) {
              due.add(new Due(elapsedMs + 50, d.node(), d.request()));
            }
          }
          if (now >= nextKill && !recovers) {
            // A crash-stop model: the victim is killed for good, while fewer than the model's
            // bound F have crashed in this round.
            List<String> up = killable.stream().filter(id -> c.running(id) && !crashed.contains(id)).toList();
            if (!up.isEmpty() && crashed.size() < Math.min(crashBudget, killable.size())) {
              String victim = up.get(chaos.nextInt(up.size()));
              c.kill(victim);
              killed.add(victim);
              crashed.add(victim);
            }
            nextKill += seconds(killEvery);
          } else if (now >= nextKill) {
            // A restarted node gets --kill-every seconds before it can be killed again, so a
            // protocol whose timeouts are shorter than that always makes progress. No node is
            // killed while the down ones and those still faulty (VR's recovering replicas)
            // number the model's bound: the kill waits until one is back.
            List<String> up = killable.stream()
                .filter(id -> c.running(id) && now - upSince.getOrDefault(id, Long.MIN_VALUE / 2) >= seconds(killEvery))
                .toList();
            long faulty = ids.stream().filter(id -> !c.running(id) || c.faulty(id)).count();
            if (!up.isEmpty() && faulty < crashBudget) {
              String victim = up.get(chaos.nextInt(up.size()));
              c.kill(victim);
              killed.add(victim);
              restarts.put(victim, now + seconds(downtime));
              nextKill += seconds(killEvery);
            }
          }
          for (var it = restarts.entrySet().iterator(); it.hasNext(); ) {
            var r = it.next();
            if (now >= r.getValue()) {
              it.remove();
              try {
                c.start(r.getKey(), Duration.ofSeconds(30));
              } catch (IOException e) {
                out.printf("round %d: %s%n", rounds, e.getMessage());
                problems.add(r.getKey() + " did not restart");
                crashed.add(r.getKey());
                break;
              }
              upSince.put(r.getKey(), System.nanoTime());
            }
          }
          if (clients != null) {
            clients.pump();
            if (now >= end) {
              // The workload is over: no more kills, and the clients read every key back, in a
              // stable period, so that a lost acknowledged write shows in the history.
              nextKill = Long.MAX_VALUE;
              if (readBackUntil == Long.MIN_VALUE) {
                readBackUntil = clients.readBack() ? now + seconds(READ_BACK_SECONDS) : now;
              }
              if (now >= readBackUntil) {
                clients.end();
              }
            }
          }
          awaiting = clients != null && !clients.done() ? "the clients are still running"
              : due.isEmpty() ? protocol.awaiting(c.reports(crashed)) : due.size() + " requests not yet sent";
          if (restarts.isEmpty() && awaiting == null && c.sinceLastReport() >= settle) {
            finished = true;
            break;
          }
          Thread.sleep(5);
        }
        for (String id : restarts.keySet()) {
          try {
            c.start(id, Duration.ofSeconds(30));
          } catch (IOException e) {
            out.printf("round %d: %s%n", rounds, e.getMessage());
            problems.add(id + " did not restart");
          }
        }
        // Let the last messages land (a recovered node's), then stop everyone cleanly.
        Thread.sleep(Math.max(50, 5 * workload.tickMillis));
        c.stop(Duration.ofSeconds(10));
        // Each crash-stop ends its node's trace, so that validation knows it never acts again.
        for (String id : crashed) {
          if (protocol.model().allows(Fault.CRASH_STOP) && protocol.model().mayFail().test(id)) {
            try {
              c.recordCrash(id, Duration.ofSeconds(30));
            } catch (IOException e) {
              out.printf("round %d: %s%n", rounds, e.getMessage());
              problems.add(id + " did not record its crash");
            }
          }
        }
        kills += c.kills();
        recoveries += c.recoveries();
        Reports reports = c.reports(crashed);
        List<String> violations = new ArrayList<>(protocol.violations(reports));
        StringBuilder history = new StringBuilder();
        String readBack = null;
        if (clients != null) {
          clients.end();
          Path file = roundDir.resolve("history.ndjson");
          String wrong = clients.check(file, "./spectrace cluster " + protocol.name() + " round " + rounds + " (" + roundDir + ")",
              history);
          if (wrong != null) {
            violations.add("NOT LINEARIZABLE (" + file + "): " + wrong);
          }
          readBack = clients.readBackSummary();
          if (readBack != null) {
            if (!clients.allReadBack()) {
              problems.add("the cluster did not answer the read-back of every key within " + READ_BACK_SECONDS
                  + " s (" + readBack + ")");
            }
          }
        }
        protocol.criticalSection().ifPresent(cs -> {
          // Mutual exclusion is over the nodes' states at one moment: the traces' clocks tell.
          try {
            CriticalSections.check(c.traces(), cs.enter(), cs.exit()).overlaps()
                .forEach(o -> violations.add(cs.invariant() + ": " + o));
          } catch (TraceException e) {
            violations.add("BAD TRACE: " + e.getMessage());
          }
        });
        TreeSet<String> values = new TreeSet<>();
        c.decisions().values().forEach(values::addAll);
        String outcome;
        if (!problems.isEmpty()) {
          outcome = "FAILED: " + String.join(", ", problems);
        } else if (!finished) {
          outcome = (protocol.reportTypes().isEmpty() ? "undecided" : "unfinished") + " after " + fmt(roundTimeout) + " s: " + awaiting;
        } else if (!violations.isEmpty()) {
          outcome = "VIOLATES " + String.join("; ", violations);
        } else {
          outcome = values.size() == 1 ? values.first() : "finished";
        }
        boolean ok = problems.isEmpty() && finished && violations.isEmpty();
        outcomes.merge(ok ? outcome : "failed", 1, Integer::sum);
        String verdict;
        boolean conforms;
        Validator.Result r = null;
        try {
          r = new Validator(specs).validate(c.traces(), Validator.Progress.NONE);
          events += r.events();
          conforms = r.conforms();
          verdict = conforms ? r.events() + " events conform"
              : "DIVERGES: " + Report.text(c.traces().stream().map(Path::toString).toList(), r).lines().findFirst()
                  .orElse("");
        } catch (TraceException e) {
          conforms = false;
          verdict = "BAD TRACE: " + e.getMessage();
        }
        if (!ok || !conforms) {
          failed++;
        }
        String reported = null;
        if (report != null && !reportKept) {
          // The first round that failed keeps the report; until one does, each round replaces it.
          try {
            HtmlReports.write(report, c.traces(), r, history.isEmpty() ? null
                : history.toString().lines().findFirst().orElse(null));
            reportKept = !ok || !conforms;
            reported = "report " + report;
          } catch (Main.UserError e) {
            reported = "no report: " + e.getMessage();
          }
        }
        out.printf("round %d: %s%s; %s; %s%s; %.1f s%n", rounds, outcome,
            killed.isEmpty() ? "" : " (killed " + String.join(", ", killed) + ")",
            clients == null ? served(reports) : clients.requests(), verdict,
            (history.isEmpty() ? "" : "; history " + history.toString().lines().findFirst().orElse(""))
                + (readBack == null ? "" : "; " + readBack) + (reported == null ? "" : "; " + reported),
            (System.nanoTime() - roundStart) / 1e9);
        history.toString().lines().skip(1).forEach(out::println);
        out.flush();
      }
    } while (System.nanoTime() < end);

    out.printf("%d rounds: %s; %d kills, %d recoveries%s; %,d events validated; %s%n", rounds,
        outcomes.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + ", " + b)
            .orElse("none"), kills, recoveries, deaths == 0 ? "" : ", " + deaths + " unexpected deaths", events,
        failed == 0 ? "every round finished, kept its properties and conforms" : failed + " rounds FAILED");
    return failed == 0 ? Main.OK : Main.FOUND;
  }

  /** How long, after --duration, a replicated service's clients have to read every key back. */
  static final int READ_BACK_SECONDS = 30;

  /** Attempts at starting a round's nodes when a port was taken before its node could listen on it. */
  static final int START_ATTEMPTS = 3;

  /**
   * Starts the nodes of a round in {@code roundDir}, and waits until each is ready. A node's
   * port is chosen free but bound only by the node's own process, so another process (an
   * outgoing connection's ephemeral port, say) may take it in between: then the round starts
   * again on other ports, in a folder of its own, up to {@link #START_ATTEMPTS} times.
   *
   * @throws IOException naming the node that did not start, and the last line of its log
   */
  private LocalCluster start(Protocol<?> protocol, int n, Path roundDir, long roundSeed, Map<String, String> adversaries,
                             PrintWriter out) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      Path d = attempt == 1 ? roundDir : roundDir.resolveSibling(roundDir.getFileName() + "-attempt-" + attempt);
      LocalCluster c = new LocalCluster(protocol, n, d, workload.tickMillis, roundSeed);
      c.byzantine(adversaries);
      try {
        c.startAll(Duration.ofSeconds(30));
        return c;
      } catch (IOException e) {
        c.close();
        if (attempt == START_ATTEMPTS || !e.getMessage().contains("address in use")) {
          throw e;
        }
        out.printf("%s: starting again on other ports: %s%n", roundDir.getFileName(), e.getMessage());
        out.flush();
      }
    }
  }

  /**
   * The --byzantine nodes, each with its adversary's name, chosen by the seed from a stream of
   * their own (the kills' stream stays as it was): at most the fault bound.
   */
  private Map<String, String> chooseByzantine(Protocol<?> protocol, List<String> ids, int faultBound) {
    if (byzantine < 0) {
      throw new Main.UserError("--byzantine must be at least 0, not " + byzantine);
    }
    Map<String, String> chosen = new TreeMap<>();
    if (byzantine == 0) {
      return chosen;
    }
    if (!protocol.model().allows(Fault.BYZANTINE) || protocol.adversaries().isEmpty()) {
      throw new Main.UserError(protocol.name() + "'s system model (" + protocol.model().description()
          + ") has no Byzantine nodes: --byzantine needs one that does (pbft)");
    }
    List<String> candidates = new ArrayList<>(ids.stream().filter(protocol.model().mayFail()).toList());
    int bound = Math.min(faultBound, candidates.size());
    if (byzantine > bound) {
      throw new Main.UserError("--byzantine " + byzantine + ": " + protocol.name() + " on " + ids.size()
          + " nodes has at most " + bound + " faulty");
    }
    SplittableRandom r = new SplittableRandom(workload.seed * 0x9E3779B97F4A7C15L + 17);
    List<spectrace.core.Adversary> menu = protocol.adversaries();
    for (int k = 0; k < byzantine; k++) {
      String id = candidates.remove(r.nextInt(candidates.size()));
      chosen.put(id, menu.get(r.nextInt(menu.size())).name());
    }
    return chosen;
  }

  /** The round's requests and reports in a few words: "9 requests, 36 deliveries, 4 decisions". */
  private static String served(Reports r) {
    long requests = r.requests().values().stream().mapToLong(List::size).sum();
    long deliveries = r.deliveries().values().stream().mapToLong(List::size).sum();
    long decisions = r.decisions().values().stream().mapToLong(List::size).sum();
    return requests + " requests, " + (decisions > 0 ? decisions + " decisions" : deliveries + " deliveries");
  }

  private static long seconds(double s) {
    return (long) (s * 1e9);
  }

  private static String fmt(double s) {
    return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
  }
}
