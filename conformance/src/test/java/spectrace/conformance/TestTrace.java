package spectrace.conformance;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import spectrace.core.Message;
import spectrace.core.ProtocolNode;
import spectrace.core.VarSink;
import spectrace.trace.TraceWriter;

/**
 * Writes test traces with the real {@link TraceWriter}: nodes whose spec variables are
 * whatever the test puts in them (no weaving: {@code $specVars} reads a map).
 */
final class TestTrace implements AutoCloseable {

  /** The test specs, under conformance/src/test/resources/specs. */
  static final Path SPECS = Path.of("src", "test", "resources", "specs").toAbsolutePath();

  /** A message type the test nodes never send. */
  record None() implements Message {}

  /** A node whose spec variables are the entries of {@link #whole} and {@link #indexed}. */
  static final class Node extends ProtocolNode<None> {
    final Map<String, Object> whole = new LinkedHashMap<>();
    final Map<String, Object> indexed = new LinkedHashMap<>();

    Node(String id) {
      super(id);
    }

    @Override
    public void onMessage(String from, None msg) {}

    @Override
    public void $specVars(VarSink sink) {
      whole.forEach(sink::whole);
      indexed.forEach(sink::indexed);
    }
  }

  private final TraceWriter writer;
  private final List<String> nodes;
  private final long[] vc;
  private long seq;

  /** A trace of {@code protocol} into {@code file}, with its header. */
  TestTrace(Path file, String protocol, String module, Map<String, Object> constants, List<String> nodes,
            Map<String, String> variables) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    this.writer = new TraceWriter(new java.io.BufferedOutputStream(out, 1 << 16));
    this.nodes = nodes;
    this.vc = new long[nodes.size()];
    writer.header(protocol, module, constants, nodes, 1, variables);
  }

  /** An action event of {@code node}, with its variables as they are now. */
  void action(Node node, String action, String paramNames, Object... params) throws IOException {
    vc[nodes.indexOf(node.id())]++;
    writer.action(seq++, seq, node, action, paramNames, params, null, null, List.of(), List.of(), vc.clone(), nodes);
  }

  /** A crash of {@code node} that the spec has no action for, after which it recovers. */
  void crash(String node) throws IOException {
    vc[nodes.indexOf(node)]++;
    writer.crash(seq++, seq, node, null, true, vc.clone(), nodes);
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
