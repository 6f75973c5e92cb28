package spectrace.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import spectrace.history.History;
import spectrace.history.HistoryReader;
import spectrace.history.LinearizabilityChecker;

/**
 * Every trace and client history under a folder, checked several at a time in this JVM.
 *
 * <p>What is found, walking the folder (hidden folders left out), among its {@code .ndjson}
 * files:
 * <ul>
 *   <li>a <b>history</b>: a file whose header's format is a {@code spectrace-history} one,
 *       checked for linearizability;
 *   <li>a <b>run</b>: the per-node files of one run of the TCP runtime, as {@code ./spectrace
 *       cluster} writes them: in one folder, two or more files named {@code <node>.ndjson} after
 *       nodes of their header, with the same header. They are merged by their vector clocks
 *       and validated as one trace;
 *   <li>a <b>trace</b>: any other file, validated alone (a file whose header does not read is
 *       an item too, whose outcome is that error).
 * </ul>
 *
 * <p>Items are checked on a {@link ValidatorPool} (a validator per thread, so that threads do
 * not share TLC), handed out largest first, so that a large trace does not start last and
 * keep one thread busy after the others are done.
 */
public final class TraceFolder {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TraceFolder() {}

  /** What an item is: one trace file, the per-node files of a run, or a client history. */
  public enum Kind { TRACE, RUN, HISTORY }

  /**
   * One thing to check.
   *
   * @param name  the file, or for a run its folder followed by {@code /{n1,n2,...}.ndjson}
   * @param kind  what it is
   * @param files its file, or the per-node files of a run in node order
   * @param bytes the files' size, for handing out the largest first
   */
  public record Item(String name, Kind kind, List<Path> files, long bytes) {}

  /**
   * The outcome of checking one item: exactly one of {@code trace}, {@code history} and
   * {@code error} is set.
   *
   * @param trace   the validation of a trace or run
   * @param history the linearizability verdict of a history
   * @param error   why the item could not be checked (bad input: a malformed file, an unknown action)
   * @param seconds wall time spent on the item, loading its spec included
   */
  public record Outcome(Item item, Validator.Result trace, LinearizabilityChecker.Result history, String error,
                        double seconds) {

    /** The item is fine: the trace conforms, or the history is linearizable. */
    public boolean ok() {
      return trace != null ? trace.conforms() : history instanceof LinearizabilityChecker.Linearizable;
    }

    /** The check found a fault: a divergence, or a history that no order explains. */
    public boolean found() {
      return trace != null ? !trace.conforms() : history instanceof LinearizabilityChecker.NotLinearizable;
    }

    /** The check ended with no verdict: a history's search reached its bound. */
    public boolean unknown() {
      return history instanceof LinearizabilityChecker.Unknown;
    }
  }

  /** Progress of {@link #check}: items done of all, and how many of them were not ok. */
  @FunctionalInterface
  public interface Progress {
    void onProgress(int done, int total, int notOk, double seconds);
  }

  /**
   * The items under {@code dir}, in the order of their names.
   *
   * @throws IOException when the folder cannot be walked
   */
  public static List<Item> find(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".ndjson"))
          .filter(p -> !hidden(dir.relativize(p)))
          .sorted()
          .toList();
    }
    Map<Path, List<Path>> byFolder = new LinkedHashMap<>();
    for (Path f : files) {
      byFolder.computeIfAbsent(f.getParent(), k -> new ArrayList<>()).add(f);
    }
    List<Item> items = new ArrayList<>();
    byFolder.forEach((folder, inFolder) -> items.addAll(inFolder(folder, inFolder)));
    items.sort(Comparator.comparing(Item::name));
    return items;
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The items of one folder's files: its histories, at most one run, and the other traces. */
  private static List<Item> inFolder(Path folder, List<Path> files) {
    List<Item> items = new ArrayList<>();
    // Files named after a node of their header, grouped by their header (less its file name).
    Map<List<Object>, List<Path>> perNode = new LinkedHashMap<>();
    List<Path> alone = new ArrayList<>();
    for (Path f : files) {
      if (isHistory(f)) {
        items.add(new Item(f.toString(), Kind.HISTORY, List.of(f), size(f)));
        continue;
      }
      Header h = header(f);
      String base = f.getFileName().toString();
      String node = base.substring(0, base.length() - ".ndjson".length());
      if (h != null && h.nodes().contains(node)) {
        perNode.computeIfAbsent(List.of(h.protocol(), h.module(), h.constants(), h.nodes(), h.seed(), h.variables()),
            k -> new ArrayList<>()).add(f);
      } else {
        alone.add(f);
      }
    }
    for (List<Path> group : perNode.values()) {
      if (group.size() == 1) {
        alone.add(group.get(0));
      } else {
        String names = group.stream().map(p -> p.getFileName().toString().replace(".ndjson", ""))
            .reduce((a, b) -> a + "," + b).orElseThrow();
        items.add(new Item(folder.resolve("{" + names + "}.ndjson").toString(), Kind.RUN, List.copyOf(group),
            group.stream().mapToLong(TraceFolder::size).sum()));
      }
    }
    for (Path f : alone) {
      items.add(new Item(f.toString(), Kind.TRACE, List.of(f), size(f)));
    }
    return items;
  }

  /** Whether {@code f}'s first line is a client history's header. */
  private static boolean isHistory(Path f) {
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String first = r.readLine();
      if (first == null) {
        return false;
      }
      JsonNode format = JSON.readTree(first).get("format");
      return format != null && format.isTextual() && format.asText().startsWith("spectrace-history/");
    } catch (IOException | RuntimeException e) {
      return false; // not JSON, or not UTF-8: validation says what is wrong with it
    }
  }

  /** {@code f}'s trace header, or null when it has none that reads (validation then says why). */
  private static Header header(Path f) {
    try (TraceReader r = new TraceReader(f)) {
      return r.header();
    } catch (TraceException | IOException e) {
      return null;
    }
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Checks {@code items} on {@code jobs} threads; the outcomes in the order of {@code items}.
   * An item that cannot be checked (bad input) has its error as its outcome: the others are
   * checked all the same.
   */
  public static List<Outcome> check(List<Item> items, Path specsRoot, int jobs, Progress progress)
      throws InterruptedException {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong((Integer i) -> items.get(i).bytes()).reversed().thenComparing(i -> i));
    int[] notOk = {0};
    long start = System.nanoTime();
    List<Outcome> inOrder;
    try {
      inOrder = ValidatorPool.map(order, specsRoot, jobs, (i, validator) -> checkOne(items.get(i), validator),
          (o, done, total) -> {
            notOk[0] += o.ok() ? 0 : 1;
            progress.onProgress(done, total, notOk[0], (System.nanoTime() - start) / 1e9);
          });
    } catch (IOException | TraceException e) {
      throw new IllegalStateException("checkOne turns bad input into an outcome", e);
    }
    Outcome[] outcomes = new Outcome[items.size()];
    for (int k = 0; k < order.size(); k++) {
      outcomes[order.get(k)] = inOrder.get(k);
    }
    return List.of(outcomes);
  }

  private static Outcome checkOne(Item item, Validator validator) {
    long start = System.nanoTime();
    try {
      if (item.kind() == Kind.HISTORY) {
        History h = HistoryReader.read(item.files().get(0));
        return new Outcome(item, null, LinearizabilityChecker.kv().check(h), null, seconds(start));
      }
      return new Outcome(item, validator.validate(item.files(), Validator.Progress.NONE), null, null, seconds(start));
    } catch (TraceException e) {
      return new Outcome(item, null, null, e.getMessage(), seconds(start));
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
