package spectrace.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a spec is checked against traces: {@code conformance.json} in the spec folder, declared
 * once per spec.
 *
 * <pre>{@code
 * { "module": "TwoPhase", "init": "Init", "next": "Next",
 *   "sequences": [], "sentIn": "msgs", "silent": [], "maxFrontier": 10000 }
 * }</pre>
 *
 * A folder that holds the specs of several protocols (the broadcast family shares one, with
 * its shared definitions) declares one such object per protocol, by the protocol's name:
 *
 * <pre>{@code
 * { "protocols": {
 *     "beb": { "module": "BestEffortBroadcast", "init": "Init", "next": "Next", ... },
 *     "erb": { "module": "EagerReliableBroadcast", ... } } }
 * }</pre>
 *
 * A trace names its protocol; {@link #forProtocol} looks for {@code specs/<protocol>/} first,
 * then for the folder whose {@code protocols} lists it.
 *
 * @param dir         the spec folder
 * @param module      the module whose actions the traces name
 * @param init        its initial predicate
 * @param next        its next-state relation (the actions of a trace must be among its disjuncts' names)
 * @param sequences   names (variables, parameters, record fields) whose JSON arrays are TLA+
 *                    sequences; every other array is a set
 * @param sentIn      a set-valued variable that must contain every message an action sends
 *                    (the JSON message read as a record), or null
 * @param silent      actions that no node logs (message loss, duplication) and that may
 *                    happen, any number of times, between logged events wherever the spec
 *                    allows them
 * @param maxFrontier the most candidate states kept before the search gives up
 */
public record ConformanceSpec(Path dir, String module, String init, String next, Set<String> sequences,
                              String sentIn, List<String> silent, int maxFrontier) {

  /** The declaration's file name in a spec folder. */
  public static final String FILE = "conformance.json";

  /** Reads {@code dir/conformance.json}, a folder of one protocol's spec. */
  public static ConformanceSpec load(Path dir) throws TraceException {
    return load(dir, null);
  }

  /**
   * Reads {@code dir/conformance.json}: the declaration for {@code protocol} when the file
   * lists several protocols, or its only declaration when {@code protocol} is null or the file
   * declares one spec.
   */
  public static ConformanceSpec load(Path dir, String protocol) throws TraceException {
    Path file = dir.resolve(FILE);
    JsonNode root = read(file);
    if (root.has("protocols")) {
      JsonNode all = root.get("protocols");
      if (!all.isObject()) {
        throw new TraceException(file + ": field 'protocols' must be an object, one declaration per protocol");
      }
      if (protocol == null || !all.has(protocol)) {
        List<String> names = new ArrayList<>();
        all.fieldNames().forEachRemaining(names::add);
        throw new TraceException(file + ": no declaration for protocol '" + protocol + "' (it declares: "
            + String.join(", ", names) + ")");
      }
      root = all.get(protocol);
      if (!root.isObject()) {
        throw new TraceException(file + ": the declaration of '" + protocol + "' must be an object");
      }
    }
    String module = text(file, root, "module");
    if (!Files.isRegularFile(dir.resolve(module + ".tla"))) {
      throw new TraceException(file + ": module " + module + " has no file " + dir.resolve(module + ".tla"));
    }
    return new ConformanceSpec(dir, module, text(file, root, "init"), text(file, root, "next"),
        Set.copyOf(strings(file, root, "sequences")),
        root.hasNonNull("sentIn") ? text(file, root, "sentIn") : null,
        List.copyOf(strings(file, root, "silent")),
        root.has("maxFrontier") ? root.get("maxFrontier").asInt(10_000) : 10_000);
  }

  private static JsonNode read(Path file) throws TraceException {
    try {
      return new ObjectMapper().readTree(Files.readString(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new TraceException(file + ": no such file: the spec declares no conformance checking");
    } catch (JsonProcessingException e) {
      throw new TraceException(file + ":" + e.getLocation().getLineNr() + ": not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new TraceException(file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /**
   * The conformance declaration of {@code protocol}: {@code specs/<protocol>/conformance.json},
   * or else the one folder under {@code specsRoot} whose conformance.json lists the protocol
   * under {@code protocols}.
   */
  public static ConformanceSpec forProtocol(Path specsRoot, String protocol) throws TraceException {
    return forProtocol(specsRoot, protocol, "");
  }

  /**
   * The conformance declaration of the protocol that a trace's header names: as
   * {@link #forProtocol(Path, String)}, but an unknown protocol is an error at the header,
   * whose location {@code where} (e.g. {@code "t.ndjson:1: "}) starts the message.
   */
  public static ConformanceSpec forProtocol(Path specsRoot, String protocol, String where) throws TraceException {
    Path dir = specsRoot.resolve(protocol);
    if (Files.isDirectory(dir)) {
      return load(dir, protocol);
    }
    List<Path> listing = new ArrayList<>();
    try (java.util.stream.Stream<Path> dirs = Files.list(specsRoot)) {
      dirs.filter(d -> Files.isRegularFile(d.resolve(FILE))).sorted().forEach(listing::add);
    } catch (IOException e) {
      throw new TraceException(specsRoot + ": cannot list the spec folders (" + e.getMessage() + ")");
    }
    for (Path d : listing) {
      JsonNode protocols = read(d.resolve(FILE)).get("protocols");
      if (protocols != null && protocols.has(protocol)) {
        return load(d, protocol);
      }
    }
    throw new TraceException(where + "no spec for protocol '" + protocol + "': no folder " + dir
        + ", and no conformance.json under " + specsRoot + " lists it under 'protocols'");
  }

  private static String text(Path file, JsonNode root, String field) throws TraceException {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw new TraceException(file + ": field '" + field + "' must be a non-empty string");
    }
    return n.asText();
  }

  private static List<String> strings(Path file, JsonNode root, String field) throws TraceException {
    List<String> out = new ArrayList<>();
    JsonNode n = root.get(field);
    if (n == null) {
      return out;
    }
    if (!n.isArray()) {
      throw new TraceException(file + ": field '" + field + "' must be an array of strings");
    }
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw new TraceException(file + ": field '" + field + "' must be an array of strings");
      }
      out.add(e.asText());
    }
    return out;
  }
}
