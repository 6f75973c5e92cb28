package spectrace.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a spec is checked against traces: {@code conformance.json} in the spec folder, declared
 * once per spec. Besides the module and its initial predicate and next-state relation, it says
 * what the trace's claims mean in the spec's terms, so that every claim is checked:
 *
 * <pre>{@code
 * { "module": "TwoPhase", "init": "Init", "next": "Next", "sequences": [], "silent": [],
 *   "maxFrontier": 10000,
 *   "invariants": ["TypeOK", "ConsistencyInv"],
 *   "network": { "variable": "msgs", "shape": "set", "elements": "messages" },
 *   "actors": { "TMCommit": { "node": "tm" }, "RMPrepare": { "param": "rm" }, ... },
 *   "recover": ["TMRecover"],
 *   "faults": { "duplicate": null, "loss": { "action": "LoseInTransit",
 *                                            "params": { "q": "from", "p": "to", "m": "msg" } } } }
 * }</pre>
 *
 * A folder that holds the specs of several protocols (the broadcast family shares one, with
 * its shared definitions) declares one such object per protocol, by the protocol's name:
 * {@code { "protocols": { "beb": { ... }, "erb": { ... } } }}. A trace names its protocol;
 * {@link #forProtocol} looks for {@code specs/<protocol>/} first, then for the folder whose
 * {@code protocols} lists it.
 *
 * @param dir         the spec folder
 * @param module      the module whose actions the traces name
 * @param init        its initial predicate
 * @param next        its next-state relation (the actions of a trace must be among its disjuncts' names)
 * @param sequences   names (variables, parameters, record fields) whose JSON arrays are TLA+
 *                    sequences; every other array is a set
 * @param silent      actions that no node logs and that may happen, any number of times,
 *                    between logged events wherever the spec allows them
 * @param maxFrontier the most candidate states kept before the search gives up
 * @param invariants  state predicates of the module that every state a run reaches satisfies:
 *                    evaluated on every candidate state after every event
 * @param network     the variable that holds the messages in transit, or null for a spec whose
 *                    processes exchange no messages
 * @param actors      for every action of Next, the process that takes it
 * @param recover     the actions by which a node that crashed with {@code crash-recovery}
 *                    comes back (its first step after the crash must be one of them); empty
 *                    when the spec has none, and a node's next step then is its recovery
 * @param faults      the fault events the spec's system model allows, each with the spec
 *                    action that models it, if any; a fault event of another kind diverges
 */
public record ConformanceSpec(Path dir, String module, String init, String next, Set<String> sequences,
                              List<String> silent, int maxFrontier, List<String> invariants, Network network,
                              Map<String, Actor> actors, Set<String> recover, Map<String, FaultAction> faults) {

  /**
   * Where a spec keeps the messages in transit, and how it encodes them.
   *
   * @param variable the spec variable
   * @param shape    {@code set} (each message once), {@code bag} (a function from messages to
   *                 their number of copies, as the standard module Bags has them) or
   *                 {@code channels} ({@code v[from][to]}, the sequence in transit on each link)
   * @param packets  whether the elements are packets, records {@code [from, to, msg]}, rather
   *                 than the messages themselves (channels always hold messages)
   * @param consumes whether a receipt removes the message it consumes (a set that holds every
   *                 message ever sent does not)
   */
  public record Network(String variable, String shape, boolean packets, boolean consumes) {}

  /**
   * The process that takes an action.
   *
   * @param kind {@code param} (the value of the action's parameter {@code name}), {@code node}
   *             (the node {@code name}) or {@code constant} (the value of constant {@code name})
   * @param name the parameter, node or constant
   */
  public record Actor(String kind, String name) {}

  /**
   * The spec action that a fault event stands for, or none.
   *
   * @param action the action's name, or null when the fault changes nothing in the spec's state
   * @param params each parameter of the action, bound to a field of the fault event: {@code from},
   *               {@code to}, {@code node}, {@code msg}, or a path into the message ({@code msg.m})
   */
  public record FaultAction(String action, Map<String, String> params) {}

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
    if (root.has("sentIn")) {
      throw new TraceException(file + ": field 'sentIn' is no longer read: declare the network instead"
          + " (\"network\": {\"variable\": ..., \"shape\": \"set\" | \"bag\" | \"channels\", ...})");
    }
    for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new TraceException(file + ": unknown field '" + f + "' (fields: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
      }
    }
    if (!root.has("network")) {
      throw new TraceException(file + ": field 'network' is missing: name the variable that holds the messages in"
          + " transit, or write \"network\": null for a spec without messages");
    }
    return new ConformanceSpec(dir, module, text(file, root, "init"), text(file, root, "next"),
        Set.copyOf(strings(file, root, "sequences")),
        List.copyOf(strings(file, root, "silent")),
        root.has("maxFrontier") ? root.get("maxFrontier").asInt(10_000) : 10_000,
        List.copyOf(strings(file, root, "invariants")),
        network(file, root.get("network")),
        actors(file, root.get("actors")),
        Set.copyOf(strings(file, root, "recover")),
        faults(file, root.get("faults")));
  }

  private static final Set<String> FIELDS = Set.of("module", "init", "next", "sequences", "silent", "maxFrontier",
      "invariants", "network", "actors", "recover", "faults");
  private static final Set<String> SHAPES = Set.of("set", "bag", "channels");
  private static final Set<String> FAULT_FIELDS = Set.of("from", "to", "node", "msg");

  private static Network network(Path file, JsonNode n) throws TraceException {
    if (n == null || n.isNull()) {
      return null;
    }
    String where = file + ": network";
    if (!n.isObject()) {
      throw new TraceException(where + " must be an object {\"variable\", \"shape\", \"elements\"} or null");
    }
    String variable = text(file, n, "variable");
    String shape = text(file, n, "shape");
    if (!SHAPES.contains(shape)) {
      throw new TraceException(where + ": shape '" + shape + "' is none of set, bag, channels");
    }
    String elements = n.has("elements") ? text(file, n, "elements") : "messages";
    if (!elements.equals("messages") && !elements.equals("packets")) {
      throw new TraceException(where + ": elements '" + elements + "' is neither messages nor packets");
    }
    if (shape.equals("channels") && elements.equals("packets")) {
      throw new TraceException(where + ": channels hold messages: their link is the channel's index");
    }
    boolean consumes = !shape.equals("set");
    if (n.has("consumes")) {
      if (!n.get("consumes").isBoolean()) {
        throw new TraceException(where + ": consumes must be true or false");
      }
      consumes = n.get("consumes").asBoolean();
    }
    return new Network(variable, shape, elements.equals("packets"), consumes);
  }

  private static Map<String, Actor> actors(Path file, JsonNode n) throws TraceException {
    if (n == null || !n.isObject()) {
      throw new TraceException(file + ": field 'actors' must be an object naming, for every action of Next, the"
          + " process that takes it ({\"param\": p}, {\"node\": id} or {\"constant\": C})");
    }
    Map<String, Actor> out = new java.util.LinkedHashMap<>();
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode a = e.getValue();
      String kind = a.isObject() && a.size() == 1 ? a.fieldNames().next() : null;
      if (kind == null || !Set.of("param", "node", "constant").contains(kind) || !a.get(kind).isTextual()) {
        throw new TraceException(file + ": actors." + e.getKey() + " must be {\"param\": p}, {\"node\": id}"
            + " or {\"constant\": C}");
      }
      out.put(e.getKey(), new Actor(kind, a.get(kind).asText()));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  private static Map<String, FaultAction> faults(Path file, JsonNode n) throws TraceException {
    Map<String, FaultAction> out = new java.util.LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw new TraceException(file + ": field 'faults' must be an object: fault kind to null or"
          + " {\"action\": A, \"params\": {param: field}}");
    }
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode f = e.getValue();
      if (f.isNull()) {
        out.put(e.getKey(), new FaultAction(null, Map.of()));
        continue;
      }
      String where = file + ": faults." + e.getKey();
      if (!f.isObject() || !f.has("action") || !f.get("action").isTextual()) {
        throw new TraceException(where + " must be null or {\"action\": A, \"params\": {param: field}}");
      }
      Map<String, String> params = new java.util.LinkedHashMap<>();
      JsonNode ps = f.get("params");
      if (ps != null) {
        for (java.util.Iterator<Map.Entry<String, JsonNode>> pi = ps.fields(); pi.hasNext(); ) {
          Map.Entry<String, JsonNode> p = pi.next();
          String field = p.getValue().asText();
          if (!p.getValue().isTextual() || !FAULT_FIELDS.contains(field.split("\\.")[0])
              || (!field.startsWith("msg") && field.contains("."))) {
            throw new TraceException(where + ".params." + p.getKey() + ": '" + p.getValue().asText()
                + "' is none of from, to, node, msg, msg.<field>...");
          }
          params.put(p.getKey(), field);
        }
      }
      out.put(e.getKey(), new FaultAction(f.get("action").asText(), java.util.Collections.unmodifiableMap(params)));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * The node that takes action {@code action} with parameters {@code params}, or null when
   * this declaration does not say (the caller reports that), with constants from {@code header}.
   */
  public String actorOf(String action, Map<String, Object> params, Header header) {
    Actor a = actors.get(action);
    if (a == null) {
      return null;
    }
    Object v = switch (a.kind()) {
      case "param" -> params.get(a.name());
      case "constant" -> header.constants().get(a.name());
      default -> a.name();
    };
    return v == null ? null : v instanceof String s ? s : String.valueOf(v);
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
   *
   * @param where the {@code file:line} that names the protocol (a trace's header), for the
   *              error when no spec declares it
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
    throw new TraceException(where + ": no spec for protocol '" + protocol + "': no folder " + dir
        + ", and no conformance.json under " + specsRoot + " lists it under 'protocols'");
  }

  /**
   * The declaration for the spec a trace's header names: its protocol's, checked to be of the
   * module the header names. Errors are located at the header, line 1 of the trace.
   */
  public static ConformanceSpec forHeader(Path specsRoot, Header header) throws TraceException {
    ConformanceSpec spec = forProtocol(specsRoot, header.protocol(), header.file() + ":1");
    if (!spec.module().equals(header.module())) {
      throw new TraceException(header.file() + ":1: the trace names module " + header.module() + ", but "
          + spec.dir().resolve(FILE) + " checks module " + spec.module());
    }
    return spec;
  }

  /**
   * The declaration in {@code dir} for the model module {@code model} (a spec's MC module):
   * the folder's only one, or of the protocols it declares the one whose module the model's
   * name contains (the longest, {@code MCEagerReliableBroadcast}: EagerReliableBroadcast).
   */
  public static ConformanceSpec forModel(Path dir, String model) throws TraceException {
    JsonNode root = read(dir.resolve(FILE));
    if (!root.has("protocols")) {
      return load(dir);
    }
    ConformanceSpec best = null;
    for (java.util.Iterator<String> it = root.get("protocols").fieldNames(); it.hasNext(); ) {
      ConformanceSpec c = load(dir, it.next());
      if (model.contains(c.module()) && (best == null || c.module().length() > best.module().length())) {
        best = c;
      }
    }
    if (best == null) {
      throw new TraceException(dir.resolve(FILE) + ": no protocol's module is part of the model's name " + model);
    }
    return best;
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
