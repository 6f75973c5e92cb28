package spectrace.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work that validates traces, done several at a time in this JVM: each of {@code jobs} threads
 * keeps its own {@link Validator#reusing reusing validator} (a spec is loaded once per thread
 * and configuration, in a class loader of its own, since TLC's state is static), and takes the
 * next item until none is left. Results come back in the items' order, whatever order the
 * threads finish them in.
 */
public final class ValidatorPool {

  private ValidatorPool() {}

  /** The work on one item, with this thread's validator. */
  @FunctionalInterface
  public interface Task<T, R> {
    R apply(T item, Validator validator) throws IOException, TraceException;
  }

  /** Told of each result as it comes, one call at a time. */
  @FunctionalInterface
  public interface Done<R> {
    void onDone(R result, int done, int total);
  }

  /**
   * {@code task} applied to each of {@code items} on {@code jobs} threads, handed out in the
   * list's order; the results in the same order. The first failure of a task ends the others
   * and is thrown, as the task threw it.
   */
  public static <T, R> List<R> map(List<T> items, Path specsRoot, int jobs, Task<T, R> task, Done<R> done)
      throws IOException, TraceException, InterruptedException {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
    }
    Object[] results = new Object[items.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Object lock = new Object();
    int threads = Math.max(1, Math.min(jobs, items.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "spectrace-validate");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        workers.add(pool.submit(() -> {
          try (Validator validator = Validator.reusing(specsRoot)) {
            for (int i; (i = next.getAndIncrement()) < items.size() && !Thread.currentThread().isInterrupted(); ) {
              R r = java.util.Objects.requireNonNull(task.apply(items.get(i), validator), "a task's result");
              results[i] = r;
              synchronized (lock) {
                done.onDone(r, finished.incrementAndGet(), items.size());
              }
            }
          } catch (IOException | TraceException | RuntimeException | Error e) {
            next.set(items.size()); // the other threads stop after their current item
            throw e;
          }
          return null;
        }));
      }
      for (Future<?> f : workers) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          if (cause instanceof TraceException te) {
            throw te;
          }
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    @SuppressWarnings("unchecked")
    List<R> list = (List<R>) Arrays.asList(results);
    if (list.contains(null)) {
      throw new InterruptedException("interrupted before every item was done");
    }
    return List.copyOf(list);
  }
}
