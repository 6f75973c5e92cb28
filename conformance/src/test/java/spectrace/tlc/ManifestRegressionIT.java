package spectrace.tlc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every CI model of every spec, run by TLC, must give the result and the counts its manifest
 * records: each model is a regression test of its spec (and of this TLC build).
 */
class ManifestRegressionIT {

  @TestFactory
  Stream<DynamicTest> everyCiModelMatchesItsManifest() throws Exception {
    Specs specs = Specs.locate();
    List<Path> folders = specs.folders();
    assertFalse(folders.isEmpty(), "no spec folder with a manifest under " + specs.root());
    List<DynamicTest> tests = new ArrayList<>();
    for (Path dir : folders) {
      Manifest manifest = Manifest.load(dir);
      for (Manifest.Model model : manifest.models()) {
        if (!model.ci()) {
          continue;
        }
        tests.add(DynamicTest.dynamicTest(manifest.name() + "/" + model.name(), () -> {
          String workers = model.expect().result().isViolation() ? "1" : "2";
          Verdict got = new TlcRunner(workers).check(dir, model.module(), model.config(), Progress.Listener.NONE);
          List<String> mismatches = model.expect().mismatches(got);
          assertTrue(mismatches.isEmpty(), () -> manifest.name() + "/" + model.name() + ": "
              + String.join("; ", mismatches) + "\n  TLC said: " + got.headline());
        }));
      }
    }
    return tests.stream();
  }
}
