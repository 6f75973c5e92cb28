package spectrace.tlc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The models of one spec folder and what TLC must find in each: {@code manifest.json}.
 *
 * <pre>{@code
 * { "spec": "TwoPhase",
 *   "models": [
 *     { "name": "MCTwoPhase", "module": "MCTwoPhase", "config": "MCTwoPhase.cfg",
 *       "purpose": "...", "ci": true,
 *       "expect": { "result": "ok", "distinct": 395, "depth": 13 } } ] }
 * }</pre>
 *
 * <p>{@code result} is one of {@code ok}, {@code safety}, {@code deadlock}, {@code liveness};
 * a violation may name its {@code property} and the {@code traceLength} of its
 * counterexample. Models with {@code "ci": false} are too large for CI; their figures were
 * measured once, and {@code seconds} and {@code note} say how.
 *
 * <p>A model too large to exhaust is checked by TLC's simulation mode, which a {@code simulate}
 * object gives: {@code { "traces": 30000, "depth": 100, "seed": 1 }}, random behaviours replayed
 * from the seed. Its expectation records no distinct states (simulation counts none).
 *
 * @param dir    the spec folder
 * @param spec   the name of the protocol's main module
 * @param models the models, in the order the manifest lists them
 */
public record Manifest(Path dir, String spec, List<Model> models) {

  /** The manifest's file name in a spec folder. */
  public static final String FILE = "manifest.json";

  /**
   * One model of the spec.
   *
   * @param name    the model's name, unique in its folder (by convention the .cfg's base name)
   * @param module  the TLA+ module TLC loads
   * @param config  the .cfg file, relative to the folder
   * @param purpose what the model shows, in a sentence
   * @param ci      whether CI and {@code check --all} run it
   * @param expect  what TLC must find
   * @param simulate the simulation that checks it, or null for an exhaustive check
   */
  public record Model(String name, String module, String config, String purpose, boolean ci, Expectation expect,
                      TlcRunner.Simulation simulate) {}

  /**
   * What TLC must find in a model.
   *
   * @param result      the expected kind of result
   * @param property    the invariant or property a violation must name, or null
   * @param distinct    distinct states, or -1 when not recorded
   * @param depth       search depth, or -1 when not recorded
   * @param traceLength states in the counterexample, or -1 when not recorded
   * @param seconds     the time measured once (informative, never compared), or -1
   * @param note        how the figures were measured, or null
   */
  public record Expectation(Verdict.Kind result, String property, long distinct, int depth,
                            int traceLength, double seconds, String note) {

    /** The differences between this expectation and {@code got}; empty when they agree. */
    public List<String> mismatches(Verdict got) {
      List<String> out = new ArrayList<>();
      if (got.kind() != result) {
        out.add("result " + got.kind().word() + ", expected " + result.word());
        return out;
      }
      if (property != null && !property.equals(got.property())) {
        out.add("violated " + got.property() + ", expected " + property);
      }
      if (distinct >= 0 && got.distinct() != distinct) {
        out.add("distinct states " + got.distinct() + ", expected " + distinct);
      }
      if (depth >= 0 && got.depth() != depth) {
        out.add("depth " + got.depth() + ", expected " + depth);
      }
      if (traceLength >= 0 && got.counterexample().size() != traceLength) {
        out.add("counterexample of " + got.counterexample().size() + " states, expected " + traceLength);
      }
      return out;
    }

    /** The expectation in words, e.g. {@code safety (ConsistencyInv)}. */
    public String describe() {
      return property == null ? result.word() : result.word() + " (" + property + ")";
    }
  }

  /** The model named {@code name}, if the manifest lists it. */
  public Optional<Model> model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The model {@code check} runs when none is named: the first CI model. */
  public Model defaultModel() {
    return models.stream().filter(Model::ci).findFirst().orElse(models.get(0));
  }

  /** The folder's name, which is how the CLI names the spec. */
  public String name() {
    return dir.getFileName().toString();
  }

  /** Reads {@code dir/manifest.json}. */
  public static Manifest load(Path dir) throws ManifestException {
    Path file = dir.resolve(FILE);
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new ManifestException(file + ":" + e.getLocation().getLineNr() + ": not JSON: "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read: " + e.getMessage());
    }
    Reader r = new Reader(file);
    String spec = r.text(root, "spec", true);
    JsonNode models = root.get("models");
    if (models == null || !models.isArray() || models.isEmpty()) {
      throw r.error("models", "must be a non-empty array");
    }
    List<Model> list = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      list.add(r.model(models.get(i), "models[" + i + "]", dir));
    }
    long names = list.stream().map(Model::name).distinct().count();
    if (names != list.size()) {
      throw r.error("models", "two models have the same name");
    }
    return new Manifest(dir, spec, List.copyOf(list));
  }

  /** A manifest that cannot be read, with its file in the message. */
  public static final class ManifestException extends Exception {
    public ManifestException(String message) {
      super(message);
    }
  }

  private record Reader(Path file) {

    Model model(JsonNode m, String at, Path dir) throws ManifestException {
      if (m == null || !m.isObject()) {
        throw error(at, "must be an object");
      }
      String name = text(m, at + ".name", "name", true);
      String module = text(m, at + ".module", "module", true);
      String config = text(m, at + ".config", "config", true);
      String purpose = text(m, at + ".purpose", "purpose", true);
      JsonNode ci = m.get("ci");
      if (ci == null || !ci.isBoolean()) {
        throw error(at + ".ci", "must be true or false");
      }
      if (!Files.isRegularFile(dir.resolve(config))) {
        throw error(at + ".config", "names no file: there is no " + dir.resolve(config));
      }
      if (!Files.isRegularFile(dir.resolve(module + ".tla"))) {
        throw error(at + ".module", "names no file: there is no " + dir.resolve(module + ".tla"));
      }
      Expectation expect = expectation(m.get("expect"), at + ".expect");
      TlcRunner.Simulation sim = simulation(m.get("simulate"), at + ".simulate");
      if (sim != null && expect.distinct() >= 0) {
        throw error(at + ".expect.distinct", "a simulation counts no distinct states: leave it out");
      }
      return new Model(name, module, config, purpose, ci.booleanValue(), expect, sim);
    }

    TlcRunner.Simulation simulation(JsonNode s, String at) throws ManifestException {
      if (s == null) {
        return null;
      }
      if (!s.isObject()) {
        throw error(at, "must be an object: { \"traces\": N, \"depth\": D, \"seed\": S }");
      }
      long traces = number(s, at, "traces");
      long depth = number(s, at, "depth");
      JsonNode seed = s.get("seed");
      if (traces < 1 || depth < 1 || depth > Integer.MAX_VALUE || seed == null || !seed.canConvertToLong()) {
        throw error(at, "needs \"traces\" and \"depth\", each at least 1, and a whole \"seed\"");
      }
      return new TlcRunner.Simulation(traces, (int) depth, seed.asLong());
    }

    Expectation expectation(JsonNode e, String at) throws ManifestException {
      if (e == null || !e.isObject()) {
        throw error(at, "must be an object with at least \"result\"");
      }
      String word = text(e, at + ".result", "result", true);
      Verdict.Kind kind = Verdict.Kind.ofWord(word);
      if (kind == null || !(kind == Verdict.Kind.OK || kind.isViolation())) {
        throw error(at + ".result", "unknown result \"" + word + "\" (one of "
            + Arrays.stream(Verdict.Kind.values()).filter(k -> k == Verdict.Kind.OK || k.isViolation())
                .map(Verdict.Kind::word).collect(Collectors.joining(", ")) + ")");
      }
      return new Expectation(kind, text(e, at + ".property", "property", false),
          number(e, at, "distinct"), (int) number(e, at, "depth"), (int) number(e, at, "traceLength"),
          e.has("seconds") ? e.get("seconds").asDouble(-1) : -1, text(e, at + ".note", "note", false));
    }

    long number(JsonNode e, String at, String field) throws ManifestException {
      JsonNode n = e.get(field);
      if (n == null) {
        return -1;
      }
      if (!n.canConvertToLong() || n.asLong() < 0) {
        throw error(at + "." + field, "must be a whole number");
      }
      return n.asLong();
    }

    String text(JsonNode n, String field, boolean required) throws ManifestException {
      return text(n, field, field, required);
    }

    String text(JsonNode n, String at, String field, boolean required) throws ManifestException {
      JsonNode v = n.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          throw error(at, "is missing");
        }
        return null;
      }
      if (!v.isTextual() || v.asText().isBlank()) {
        throw error(at, "must be a non-empty string");
      }
      return v.asText();
    }

    ManifestException error(String at, String what) {
      return new ManifestException(file + ": " + at + " " + what);
    }
  }
}
