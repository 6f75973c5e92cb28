package spectrace.conformance;

import java.nio.file.Path;
import java.util.List;

/**
 * Validates a trace against the spec its header names: streams the events (from one file, or
 * merged from per-node files by their vector clocks), and stops at the first divergence.
 */
public final class Validator implements AutoCloseable {

  /**
   * What validation found.
   *
   * @param header      the trace's header (merged, for several files)
   * @param events      event lines read
   * @param actions     action events checked against the spec
   * @param maxFrontier the largest number of candidate states at once
   * @param loadSeconds the time to read the header and load the spec into TLC
   * @param seconds     the time spent checking events, after loading
   * @param divergence  the first event the spec cannot produce, or null when the trace conforms
   */
  public record Result(Header header, long events, long actions, int maxFrontier, double loadSeconds,
                       double seconds, Divergence divergence) {

    /** True when the spec can produce the whole trace. */
    public boolean conforms() {
      return divergence == null;
    }

    /** Events per second. */
    public double eventsPerSecond() {
      return events / Math.max(seconds, 1e-9);
    }
  }

  /** Progress of a validation: called from the validating thread, about once a second. */
  @FunctionalInterface
  public interface Progress {
    void onProgress(long events, int frontier, double seconds);

    Progress NONE = (e, f, s) -> {};
  }

  /** A source of events: a file, or several merged. */
  public interface Events extends AutoCloseable {
    Header header();

    TraceEvent next() throws TraceException;

    @Override
    void close();
  }

  private final Path specsRoot;
  private final java.util.Map<String, StepChecker> loaded;

  /** A validator that finds each trace's spec under {@code specsRoot} (the {@code specs/} folder). */
  public Validator(Path specsRoot) {
    this(specsRoot, false);
  }

  private Validator(Path specsRoot, boolean reuse) {
    this.specsRoot = specsRoot;
    this.loaded = reuse ? new java.util.HashMap<>() : null;
  }

  /**
   * A validator that keeps each spec it loads, for traces with the same protocol, module,
   * constants and variables (many runs of one configuration). Close it when done.
   */
  public static Validator reusing(Path specsRoot) {
    return new Validator(specsRoot, true);
  }

  @Override
  public void close() {
    if (loaded != null) {
      loaded.values().forEach(StepChecker::close);
      loaded.clear();
    }
  }

  private StepChecker checker(ConformanceSpec spec, Header header) throws TraceException {
    if (loaded == null) {
      return SpecLoader.open(spec, header);
    }
    String key = header.protocol() + "|" + header.module() + "|" + header.constants() + "|" + header.variables();
    StepChecker c = loaded.get(key);
    if (c == null) {
      c = SpecLoader.open(spec, header);
      loaded.put(key, c);
    } else {
      c.restart();
    }
    StepChecker shared = c;
    return new StepChecker() {
      @Override
      public Divergence step(TraceEvent event) throws TraceException {
        return shared.step(event);
      }

      @Override
      public void noneInTransit(List<List<Object>> messages) {
        shared.noneInTransit(messages);
      }

      @Override
      public int frontier() {
        return shared.frontier();
      }

      @Override
      public void restart() {
        shared.restart();
      }

      @Override
      public void close() {
        // Kept for the next trace; closed with the validator.
      }
    };
  }

  /** Validates the trace in {@code files} (one file, or one per node of a run). */
  public Result validate(List<Path> files, Progress progress) throws TraceException {
    long start = System.nanoTime();
    try (Events events = open(files)) {
      Header header = events.header();
      ConformanceSpec spec = ConformanceSpec.forHeader(specsRoot, header);
      try (StepChecker checker = checker(spec, header)) {
        double load = seconds(start);
        start = System.nanoTime();
        long count = 0;
        long actions = 0;
        int max = checker.frontier();
        long nextReport = System.nanoTime() + 1_000_000_000L;
        TraceClaims claims = new TraceClaims(spec, header);
        claims.reportGone();
        for (TraceEvent e; (e = events.next()) != null; ) {
          count++;
          if (e.isAction()) {
            actions++;
          }
          Divergence d = claims.check(e);
          if (d == null) {
            d = checker.step(e);
          }
          if (d != null) {
            return new Result(header, count, actions, max, load, seconds(start), d);
          }
          checker.noneInTransit(claims.gone());
          max = Math.max(max, checker.frontier());
          if ((count & 1023) == 0 && System.nanoTime() > nextReport) {
            progress.onProgress(count, checker.frontier(), seconds(start));
            nextReport = System.nanoTime() + 1_000_000_000L;
          }
        }
        return new Result(header, count, actions, max, load, seconds(start), null);
      }
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** The events of one trace file, or of the per-node files of one run merged by their vector clocks. */
  public static Events open(List<Path> files) throws TraceException {
    if (files.isEmpty()) {
      throw new TraceException("no trace file given");
    }
    if (files.size() > 1) {
      ClockMerge merge = ClockMerge.open(files);
      return new Events() {
        @Override
        public Header header() {
          return merge.header();
        }

        @Override
        public TraceEvent next() throws TraceException {
          return merge.next();
        }

        @Override
        public void close() {
          merge.close();
        }
      };
    }
    TraceReader reader = new TraceReader(files.get(0));
    return new Events() {
      @Override
      public Header header() {
        return reader.header();
      }

      @Override
      public TraceEvent next() throws TraceException {
        return reader.next();
      }

      @Override
      public void close() {
        try {
          reader.close();
        } catch (java.io.IOException ignored) {
          // Reading is over; nothing was written.
        }
      }
    };
  }
}
