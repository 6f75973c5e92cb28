package spectrace.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {

  @TempDir Path dir;

  private Manifest.ManifestException invalid(String json) throws Exception {
    Files.writeString(dir.resolve("M.tla"), "---- MODULE M ----\n====\n");
    Files.writeString(dir.resolve("M.cfg"), "");
    Files.writeString(dir.resolve(Manifest.FILE), json);
    return assertThrows(Manifest.ManifestException.class, () -> Manifest.load(dir));
  }

  private static String model(String expect) {
    return "{\"spec\":\"M\",\"models\":[{\"name\":\"M\",\"module\":\"M\",\"config\":\"M.cfg\","
        + "\"purpose\":\"p\",\"ci\":true,\"expect\":" + expect + "}]}";
  }

  @Test
  void anUnknownResultIsNamedWithItsPlace() throws Exception {
    String msg = invalid(model("{\"result\":\"fine\"}")).getMessage();
    assertTrue(msg.contains("models[0].expect.result unknown result \"fine\""), msg);
    assertTrue(msg.contains("manifest.json"), msg);
  }

  @Test
  void malformedJsonGivesItsLine() throws Exception {
    String msg = invalid("{\n\"spec\": \"M\",\n\"models\": [\n").getMessage();
    assertTrue(msg.matches(".*manifest\\.json:\\d+: not JSON.*"), msg);
  }

  @Test
  void aMissingConfigFileIsNamed() throws Exception {
    String msg = invalid(model("{\"result\":\"ok\"}").replace("M.cfg", "Other.cfg")).getMessage();
    assertTrue(msg.contains("models[0].config names no file: there is no "), msg);
  }

  @Test
  void mismatchesNameEachDifference() {
    Manifest.Expectation e = new Manifest.Expectation(Verdict.Kind.OK, null, 10, 3, -1, -1, null);
    Verdict same = new Verdict(Verdict.Kind.OK, null, null, null, 10, 20, 3, 0.1, List.of());
    Verdict other = new Verdict(Verdict.Kind.OK, null, null, null, 11, 20, 4, 0.1, List.of());
    Verdict violated = new Verdict(Verdict.Kind.SAFETY, "Inv", "Invariant Inv is violated.", null, 5, 9, 2, 0.1, List.of());
    assertEquals(List.of(), e.mismatches(same));
    assertEquals(List.of("distinct states 11, expected 10", "depth 4, expected 3"), e.mismatches(other));
    assertEquals(List.of("result safety, expected ok"), e.mismatches(violated));
  }

  /** A model checked by simulation names its behaviours, their depth and their seed, and records no distinct states. */
  @Test
  void aSimulationModelNamesItsBehavioursDepthAndSeed() throws Exception {
    String sim = model("{\"result\":\"ok\"}").replace("\"ci\":true,", "\"ci\":true,\"simulate\":"
        + "{\"traces\":300,\"depth\":40,\"seed\":-7},");
    Files.writeString(dir.resolve("M.tla"), "---- MODULE M ----\n====\n");
    Files.writeString(dir.resolve("M.cfg"), "");
    Files.writeString(dir.resolve(Manifest.FILE), sim);
    assertEquals(new TlcRunner.Simulation(300, 40, -7), Manifest.load(dir).models().get(0).simulate());
    String counted = invalid(sim.replace("{\"result\":\"ok\"}", "{\"result\":\"ok\",\"distinct\":5}")).getMessage();
    assertTrue(counted.contains("models[0].expect.distinct a simulation counts no distinct states"), counted);
    String noSeed = invalid(sim.replace(",\"seed\":-7", "")).getMessage();
    assertTrue(noSeed.contains("models[0].simulate needs \"traces\" and \"depth\", each at least 1, and a whole \"seed\""),
        noSeed);
    String zero = invalid(sim.replace("\"traces\":300", "\"traces\":0")).getMessage();
    assertTrue(zero.contains("models[0].simulate needs"), zero);
    Files.writeString(dir.resolve(Manifest.FILE), model("{\"result\":\"ok\"}"));
    assertEquals(null, Manifest.load(dir).models().get(0).simulate(), "no simulate: an exhaustive check");
  }
}
