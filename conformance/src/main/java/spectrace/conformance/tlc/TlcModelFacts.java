package spectrace.conformance.tlc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import spectrace.conformance.ModelFacts;
import spectrace.conformance.TraceException;
import tlc2.tool.impl.FastTool;
import util.SimpleFilenameToStream;

/** Reads a model's {@link ModelFacts} by loading it into TLC, in a class loader of its own. */
public final class TlcModelFacts {

  private TlcModelFacts() {}

  /** The facts of {@code module} with {@code config}, in {@code dir}; {@code stdlib} holds TLC's standard modules. */
  public static ModelFacts read(Path dir, String module, String config, Path stdlib) throws TraceException {
    ByteArrayOutputStream captured = TlcStepChecker.captureToolOutput();
    FastTool tool;
    try {
      // TLC names the configuration without its extension.
      tool = new FastTool(dir.toString(), module, config.replaceFirst("\\.cfg$", ""), new SimpleFilenameToStream(
          new String[] {dir.toString(), stdlib.toString()}));
    } catch (RuntimeException e) {
      String out = captured.toString(StandardCharsets.UTF_8).strip();
      throw new TraceException(dir.resolve(module + ".tla") + ": TLC cannot load the model: "
          + (out.isEmpty() ? String.valueOf(e.getMessage()) : out.lines().filter(l -> !l.isBlank()).findFirst()
              .orElse(e.toString())));
    }
    java.util.List<String> actionConstraints = new java.util.ArrayList<>();
    tlc2.util.Vect<?> names = tool.getModelConfig().getActionConstraints();
    for (int i = 0; i < names.size(); i++) {
      actionConstraints.add(String.valueOf(names.elementAt(i)));
    }
    return new ModelFacts(Arrays.asList(tool.getImpliedTemporalNames()), actionConstraints,
        tool.getModelConfig().getCheckDeadlock());
  }
}
