package spectrace.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one model on TLC's distributed mode: TLC's own server ({@code TLCServer}) in a child JVM
 * here, and workers ({@code TLCWorker}) that connect to it over Java RMI, on this machine
 * ({@code localWorkers} child JVMs on loopback) or on others ({@code spectrace tlc-worker}).
 *
 * <p>The server computes the initial states, then hands blocks of states to whichever workers
 * are connected; workers compute successors and check invariants and action properties, and
 * the server keeps the fingerprint set and the queue. A worker that is lost has its states put
 * back on the queue by the server, which goes on with the others (TLC's {@code
 * TLCServerThread}); when every worker of a run on loopback is gone, no other can come, and the
 * run ends with an error instead of waiting.
 *
 * <p>What the mode does not check, the caller refuses first: TLC's distributed mode checks no
 * temporal properties (it skips them without a word) and does not read {@code CHECK_DEADLOCK}
 * from the configuration (it takes {@code -deadlock}), which {@code checkDeadlock} passes on.
 */
public final class DistributedTlc {

  /** The server's closing line for a worker thread (message 7003). */
  private static final java.util.regex.Pattern WORKER_STATS = java.util.regex.Pattern.compile(
      "Worker: (\\S+) Sent: (\\d+) Rcvd: (\\d+)");

  /**
   * What a worker prints when the server ends it ({@code TLCWorker.exit}): the server does so
   * once the run is over, before its own summary, so the worker's end is no news.
   */
  private static final java.util.regex.Pattern ENDED_BY_SERVER = java.util.regex.Pattern.compile(
      ", work completed at: .* Thank you!");

  /** TLC's default port for its RMI registry ({@code TLCServer.Port}). */
  public static final int DEFAULT_PORT = 10997;

  /**
   * Where the server listens and who works for it.
   *
   * @param host           the server's address as workers reach it (RMI names the server by it)
   * @param port           the port of the server's RMI registry (0: a free one, for a run on loopback)
   * @param localWorkers   worker JVMs to start on this machine
   * @param workerThreads  threads of each local worker
   */
  public record Options(String host, int port, int localWorkers, int workerThreads) {
    public Options {
      if (localWorkers < 0 || workerThreads < 1 || port < 0 || port > 65535) {
        throw new IllegalArgumentException("bad distributed options: " + localWorkers + " workers of " + workerThreads
            + " threads, port " + port);
      }
    }

    /** True when the server is reachable on loopback only: no worker from another machine can join. */
    public boolean loopbackOnly() {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }

  private DistributedTlc() {}

  /**
   * Checks {@code module} with {@code config}, both in {@code specDir}, on TLC's distributed
   * mode. Progress, the workers' shares and what happens to them reach {@code listener}.
   *
   * @param checkDeadlock whether a state with no successor is an error (the configuration's
   *     {@code CHECK_DEADLOCK}, which the distributed server does not read)
   * @throws IOException when a JVM cannot be started, or the port is taken
   */
  public static Verdict check(Path specDir, String module, String config, boolean checkDeadlock, Options options,
                              Progress.Listener listener) throws IOException, InterruptedException {
    Path run = TempFolders.create("tlc");
    try {
      return check(specDir, module, config, checkDeadlock, options, listener, run);
    } finally {
      TempFolders.delete(run);
    }
  }

  private static Verdict check(Path specDir, String module, String config, boolean checkDeadlock, Options options,
                               Progress.Listener listener, Path run) throws IOException, InterruptedException {
    int port = options.port() != 0 ? options.port() : freePort();
    String address = options.host() + ":" + port;
    List<String> cmd = TlcRunner.java(Files.createDirectories(run.resolve("tmp")), false, List.of(
        "-Djava.rmi.server.hostname=" + options.host(), "-Dtlc2.tool.distributed.TLCServer.port=" + port));
    cmd.add(TlcMain.SERVER);
    cmd.addAll(List.of("-tool", "-metadir", run.resolve("meta").toString()));
    if (!checkDeadlock) {
      cmd.add("-deadlock"); // the server's flag for "do not check deadlock"
    }
    cmd.addAll(List.of("-config", config, module));
    long start = System.nanoTime();
    Process server = new ProcessBuilder(cmd).directory(specDir.toFile()).start();
    TempFolders.attach(run, server);
    // Started by the reader thread (on the server's notice), ended by this one.
    List<Process> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicBoolean finished = new AtomicBoolean();
    // Set when the server counts each worker's share: it then ends the workers, and sums up.
    AtomicBoolean wrappingUp = new AtomicBoolean();
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicInteger alive = new AtomicInteger();
    TlcOutput output = new TlcOutput(specDir, config);
    List<Progress.Share> finalShares = new ArrayList<>();
    output.notices((code, text) -> {
      switch (code) {
        case TlcOutput.DISTRIBUTED_WORKER_STATS -> {
          wrappingUp.set(true);
          java.util.regex.Matcher m = WORKER_STATS.matcher(text);
          if (m.find()) {
            finalShares.add(new Progress.Share(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
          }
        }
        case TlcOutput.DISTRIBUTED_SERVER_RUNNING -> {
          listener.onEvent("TLC server at " + address + ": initial states computed, "
              + (options.localWorkers() > 0 ? "starting " + options.localWorkers() + " local worker"
                  + (options.localWorkers() == 1 ? "" : "s") : "waiting for workers (spectrace tlc-worker " + address
                  + ")"));
          try {
            for (int k = 1; k <= options.localWorkers(); k++) {
              workers.add(startWorker(run, k, options, port, server, finished, wrappingUp, failure, alive,
                  listener));
            }
          } catch (IOException e) {
            failure.set("cannot start a local worker: " + e.getMessage());
            server.destroyForcibly();
          }
        }
        case TlcOutput.DISTRIBUTED_WORKER_REGISTERED -> listener.onEvent("worker joined: " + text.replaceFirst(
            "^TLCServer: Registration for worker at: ", ""));
        case TlcOutput.DISTRIBUTED_WORKER_LOST -> listener.onEvent("worker lost: " + text
            + " (the server puts its states back on the queue)");
        default -> { }
      }
    });
    try {
      int exit = TlcRunner.follow(server, output, start, listener, line -> {
        if (!line.startsWith(TlcMain.WORKERS)) {
          return false;
        }
        String[] f = line.substring(TlcMain.WORKERS.length()).strip().split(" ");
        List<Progress.Share> shares = new ArrayList<>();
        for (int i = 0; i + 2 < f.length; i += 3) {
          shares.add(new Progress.Share(f[i], Long.parseLong(f[i + 1]), Long.parseLong(f[i + 2])));
        }
        listener.onWorkers(shares);
        return true;
      });
      finished.set(true);
      if (!finalShares.isEmpty()) {
        listener.onWorkers(finalShares); // the server's own count at the end, each worker thread's
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (failure.get() != null) {
        return new Verdict(Verdict.Kind.ERROR, null, failure.get() + "; no verdict", null, -1, -1, -1, seconds,
            List.of());
      }
      synchronized (output) {
        return output.verdict(seconds, exit);
      }
    } finally {
      finished.set(true);
      server.destroyForcibly();
      for (Process w : workers) {
        w.destroyForcibly();
      }
      try {
        server.getOutputStream().close();
      } catch (IOException ignored) {
        // the server is gone either way
      }
    }
  }

  /**
   * Starts local worker {@code k}, its output to {@code run/worker-k.log}, and a thread that
   * reports it if it ends before the run: the last local worker of a loopback run gone, nothing
   * is left to do the work, and the server is stopped with {@code failure} set.
   *
   * <p>A worker the server ended is not news, however long the server then takes to sum up
   * (checking its fingerprints, closing its files: seconds on a busy machine): its log says so,
   * and the server has begun its closing count ({@code wrappingUp}).
   */
  private static Process startWorker(Path run, int k, Options options, int port, Process server,
                                     AtomicBoolean finished, AtomicBoolean wrappingUp,
                                     AtomicReference<String> failure, AtomicInteger alive,
                                     Progress.Listener listener) throws IOException {
    // The server's registry listens on every address of its machine: loopback reaches it.
    List<String> cmd = workerCommand(Files.createDirectories(run.resolve("worker-" + k)), "127.0.0.1", port,
        options.workerThreads(), "127.0.0.1");
    Path log = run.resolve("worker-" + k + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    alive.incrementAndGet();
    Thread watch = new Thread(() -> {
      try {
        int code = p.waitFor();
        if (wrappingUp.get() || endedByServer(log)) {
          return;
        }
        // A server that died ends its workers too: that is the server's news, not theirs.
        Thread.sleep(200);
        if (finished.get() || wrappingUp.get() || !server.isAlive()) {
          return;
        }
        int left = alive.decrementAndGet();
        listener.onEvent("local worker " + k + " (pid " + p.pid() + ") ended with exit code " + code
            + " before the run did" + lastLine(log) + (left > 0 ? "; " + left + " left" : ""));
        if (left == 0 && options.loopbackOnly()) {
          failure.set("every local worker ended before the run did (the last: worker " + k + ", exit code " + code
              + ") and no other can join a server on loopback");
          server.destroyForcibly();
        } else if (left == 0) {
          listener.onEvent("no local worker left: the server waits for workers (spectrace tlc-worker "
              + options.host() + ":" + port + ")");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "spectrace-worker-" + k);
    watch.setDaemon(true);
    watch.start();
    return p;
  }

  /**
   * The command line of a worker JVM of the server at {@code server}:{@code port}, with
   * {@code threads} threads, that the server calls back at {@code advertise} (RMI names each
   * exported object by that address).
   */
  private static List<String> workerCommand(Path tmp, String server, int port, int threads, String advertise) {
    List<String> cmd = TlcRunner.java(tmp, false, List.of("-Djava.rmi.server.hostname=" + advertise,
        "-Dtlc2.tool.distributed.TLCServer.port=" + port, "-Dtlc2.tool.distributed.TLCWorker.threadCount=" + threads));
    cmd.add(TlcMain.WORKER);
    cmd.add(server);
    return cmd;
  }

  /**
   * Runs a worker of the server at {@code server}:{@code port} in a child JVM until the server
   * ends it (or this JVM ends); each line of its output goes to {@code lines}.
   *
   * @param advertise this machine's address as the server reaches it
   * @return the worker's exit code
   */
  public static int work(String server, int port, int threads, String advertise, java.util.function.Consumer<String> lines)
      throws IOException, InterruptedException {
    Path run = TempFolders.create("tlc");
    try {
      Process p = new ProcessBuilder(workerCommand(Files.createDirectories(run.resolve("tmp")), server, port, threads,
          advertise)).redirectErrorStream(true).start();
      TempFolders.attach(run, p);
      try (BufferedReader out = TlcRunner.reader(p.getInputStream())) {
        for (String line; (line = out.readLine()) != null; ) {
          lines.accept(line);
        }
        return p.waitFor();
      } finally {
        p.destroyForcibly();
      }
    } finally {
      TempFolders.delete(run);
    }
  }

  /** True when the worker whose output is {@code log} was ended by its server, the run over. */
  static boolean endedByServer(Path log) {
    try {
      return Files.readAllLines(log).stream().anyMatch(l -> ENDED_BY_SERVER.matcher(l).find());
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return ": " + lines.get(i).strip();
        }
      }
      return "";
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  /** A port free now, for a run on loopback (another process could take it before the server: rare). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
