package spectrace.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import picocli.CommandLine.Option;
import spectrace.core.Protocol;

/** The options of a protocol's workload sent to real nodes, shared by {@code cluster} and {@code client}. */
final class WorkloadOptions {

  /** The slowest tick: at 1 s a tick, two-phase commit's vote timeout is already over 3 minutes. */
  static final long MAX_TICK_MILLIS = 1000;

  @Option(names = "--workload", paramLabel = "NAME", defaultValue = "default",
      description = "The protocol's workload (default: ${DEFAULT-VALUE}; twophase also has all-yes, one-no).")
  String name;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "Seed of the workload, and of cluster's kills (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--tick-ms", paramLabel = "MS", defaultValue = "5",
      description = "Milliseconds per protocol tick: the pace of the workload and of the nodes' timers"
          + " (default: ${DEFAULT-VALUE}).")
  long tickMillis;

  /** A client request due at a time, in milliseconds from the workload's start. */
  record Due(long atMillis, String node, Record request) {}

  /** Refuses, as a user error, a workload {@code protocol} does not have or a tick out of range. */
  void check(Protocol<?> protocol) {
    if (!protocol.workloads().contains(name)) {
      throw new Main.UserError(protocol.name() + " has no workload '" + name + "' (workloads: "
          + String.join(", ", protocol.workloads()) + ")");
    }
    if (tickMillis < 1 || tickMillis > MAX_TICK_MILLIS) {
      throw new Main.UserError("--tick-ms must be from 1 to " + MAX_TICK_MILLIS + ", not " + tickMillis);
    }
  }

  /** The workload's requests to {@code ids} from {@code seed}, earliest first. */
  List<Due> schedule(Protocol<?> protocol, List<String> ids, long seed) {
    List<Due> due = new ArrayList<>();
    protocol.workload(name, ids, new SplittableRandom(seed), (time, node, request) ->
        due.add(new Due(time * tickMillis, node, (Record) request)));
    due.sort(Comparator.comparingLong(Due::atMillis));
    return due;
  }
}
