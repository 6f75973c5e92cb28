package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a protocol's conformance declaration: its own folder, or a folder shared by several. */
class ConformanceSpecTest {

  @TempDir Path specs;

  private void file(String path, String text) throws IOException {
    Path p = specs.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void aProtocolsOwnFolderIsUsedFirst() throws Exception {
    file("solo/Solo.tla", "---- MODULE Solo ----\n====\n");
    file("solo/conformance.json", "{\"module\": \"Solo\", \"init\": \"Init\", \"next\": \"Next\","
        + " \"network\": null, \"actors\": {}}");
    ConformanceSpec c = ConformanceSpec.forProtocol(specs, "solo", "t.ndjson:1");
    assertEquals("Solo", c.module());
    assertEquals(specs.resolve("solo"), c.dir());
    assertNull(c.network());
    assertEquals(List.of(), c.invariants());
    assertEquals(10_000, c.maxFrontier());
  }

  @Test
  void aSharedFolderDeclaresEachOfItsProtocols() throws Exception {
    file("family/A.tla", "---- MODULE A ----\n====\n");
    file("family/B.tla", "---- MODULE B ----\n====\n");
    file("family/conformance.json", """
        {"protocols": {
          "a": {"module": "A", "init": "Init", "next": "Next", "actors": {"Send": {"param": "p"}},
                "network": {"variable": "msgs", "shape": "set", "elements": "packets"}},
          "b": {"module": "B", "init": "InitB", "next": "NextB", "silent": ["Lose"], "maxFrontier": 50,
                "network": {"variable": "chan", "shape": "channels"}, "actors": {}}}}
        """);
    ConformanceSpec a = ConformanceSpec.forProtocol(specs, "a", "t.ndjson:1");
    ConformanceSpec b = ConformanceSpec.forProtocol(specs, "b", "t.ndjson:1");
    assertEquals("A", a.module());
    assertEquals(new ConformanceSpec.Network("msgs", "set", true, false), a.network());
    assertEquals(new ConformanceSpec.Actor("param", "p"), a.actors().get("Send"));
    assertEquals(new ConformanceSpec.Network("chan", "channels", false, true), b.network());
    assertEquals("B", b.module());
    assertEquals("NextB", b.next());
    assertEquals(List.of("Lose"), b.silent());
    assertEquals(50, b.maxFrontier());
    assertEquals(specs.resolve("family"), b.dir());
  }

  @Test
  void anUnknownProtocolNamesWhereItLooked() throws Exception {
    file("family/A.tla", "---- MODULE A ----\n====\n");
    file("family/conformance.json", "{\"protocols\": {\"a\": {\"module\": \"A\", \"init\": \"Init\", \"next\": \"Next\", \"network\": null, \"actors\": {}}}}");
    TraceException e = assertThrows(TraceException.class, () -> ConformanceSpec.forProtocol(specs, "zeta", "t.ndjson:1"));
    assertTrue(e.getMessage().startsWith("t.ndjson:1: no spec for protocol 'zeta'"), e.getMessage());
    TraceException f = assertThrows(TraceException.class, () -> ConformanceSpec.load(specs.resolve("family"), "zeta"));
    assertTrue(f.getMessage().contains("it declares: a"), f.getMessage());
  }

  @Test
  void aTraceThatNamesAnUnknownProtocolOrAnotherModuleIsAnErrorAtItsHeader() throws Exception {
    file("solo/Solo.tla", "---- MODULE Solo ----\n====\n");
    file("solo/conformance.json", "{\"module\": \"Solo\", \"init\": \"Init\", \"next\": \"Next\","
        + " \"network\": null, \"actors\": {}}");
    Header unknown = new Header("t.ndjson", Header.FORMAT, "zeta", "Zeta", Map.of(), List.of(), 0, Map.of());
    TraceException e = assertThrows(TraceException.class, () -> ConformanceSpec.forHeader(specs, unknown));
    assertTrue(e.getMessage().startsWith("t.ndjson:1: no spec for protocol 'zeta'"), e.getMessage());
    Header other = new Header("t.ndjson", Header.FORMAT, "solo", "Zeta", Map.of(), List.of(), 0, Map.of());
    TraceException f = assertThrows(TraceException.class, () -> ConformanceSpec.forHeader(specs, other));
    assertTrue(f.getMessage().startsWith("t.ndjson:1: the trace names module Zeta"), f.getMessage());
    Header solo = new Header("t.ndjson", Header.FORMAT, "solo", "Solo", Map.of(), List.of(), 0, Map.of());
    assertEquals("Solo", ConformanceSpec.forHeader(specs, solo).module());
  }

  @Test
  void aDeclarationOfAMissingModuleIsAnError() throws Exception {
    file("family/conformance.json", "{\"protocols\": {\"a\": {\"module\": \"Nowhere\", \"init\": \"I\", \"next\": \"N\"}}}");
    TraceException e = assertThrows(TraceException.class, () -> ConformanceSpec.forProtocol(specs, "a", "t.ndjson:1"));
    assertTrue(e.getMessage().contains("module Nowhere has no file"), e.getMessage());
  }
}
