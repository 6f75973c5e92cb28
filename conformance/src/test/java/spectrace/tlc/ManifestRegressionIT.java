package spectrace.tlc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every CI model of every spec, run by TLC, must give the result and the counts its manifest
 * records: each model is a regression test of its spec (and of this TLC build).
 *
 * <p>A violation is searched with one TLC worker, so that its counts reproduce, and a model
 * that holds with two. The runs share {@value #CORES} cores: each takes as many as it has
 * workers, so that two one-worker runs go side by side and a two-worker run goes alone. Each
 * TLC is its own process, with its own states folder, so that runs cannot see each other.
 */
class ManifestRegressionIT {

  /** The cores the runs may take at once (CI's machine has two). */
  static final int CORES = 2;

  private static final ExecutorService POOL = Executors.newFixedThreadPool(CORES);

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  @TestFactory
  Stream<DynamicTest> everyCiModelMatchesItsManifest() throws Exception {
    Specs specs = Specs.locate();
    List<Path> folders = specs.folders();
    assertFalse(folders.isEmpty(), "no spec folder with a manifest under " + specs.root());
    Semaphore cores = new Semaphore(CORES, true);
    List<DynamicTest> tests = new ArrayList<>();
    // The runs start in the order that keeps both cores busy: the two-worker runs first, one at
    // a time, then the one-worker runs two by two, the larger (by recorded distinct states)
    // first in each. With a fair semaphore, a two-worker run queued behind a one-worker run
    // would leave a core idle until that one ended.
    List<Runnable> starts = new ArrayList<>();
    List<Long> cost = new ArrayList<>();
    for (Path dir : folders) {
      Manifest manifest = Manifest.load(dir);
      for (Manifest.Model model : manifest.models()) {
        if (!model.ci()) {
          continue;
        }
        int workers = model.expect().result().isViolation() || model.simulate() != null ? 1 : CORES;
        CompletableFuture<Verdict> run = new CompletableFuture<>();
        starts.add(() -> CompletableFuture.supplyAsync(() -> {
          cores.acquireUninterruptibly(workers);
          try {
            return TlcRunner.check(dir, model, Integer.toString(workers), Progress.Listener.NONE);
          } catch (Exception e) {
            throw new IllegalStateException(manifest.name() + "/" + model.name() + ": " + e.getMessage(), e);
          } finally {
            cores.release(workers);
          }
        }, POOL).whenComplete((v, ex) -> {
          if (ex != null) {
            run.completeExceptionally(ex);
          } else {
            run.complete(v);
          }
        }));
        cost.add((workers == CORES ? Long.MIN_VALUE / 2 : 0) - Math.max(0, model.expect().distinct()));
        // Judged when the test's turn comes: the report keeps the manifests' order.
        tests.add(DynamicTest.dynamicTest(manifest.name() + "/" + model.name(), () -> {
          Verdict got = run.join();
          List<String> mismatches = model.expect().mismatches(got);
          assertTrue(mismatches.isEmpty(), () -> manifest.name() + "/" + model.name() + ": "
              + String.join("; ", mismatches) + "\n  TLC said: " + got.headline());
        }));
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < starts.size(); k++) {
      order.add(k);
    }
    order.sort(java.util.Comparator.comparingLong(cost::get));
    for (int k : order) {
      starts.get(k).run();
    }
    return tests.stream();
  }
}
