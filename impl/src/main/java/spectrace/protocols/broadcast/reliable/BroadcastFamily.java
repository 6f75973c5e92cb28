package spectrace.protocols.broadcast.reliable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import spectrace.core.Message;
import spectrace.core.Protocol;
import spectrace.core.Reports;

/**
 * A protocol of the broadcast family: what every one of its specs says of a crash. A process
 * crashes by the spec's {@code Crash(p)}, an action of the trace that names the crashed process.
 *
 * <p>What a real run's nodes report is judged as the simulator judges the nodes' states
 * ({@link Deliveries}): its requests are {@link BroadcastRequest}s, its deliveries
 * {@link Msg}s; a run is over when every message a live process broadcast, and every message
 * any live process delivered, has been delivered by every live process (validity and
 * agreement), and its deliveries must have no duplicate and no creation.
 */
public interface BroadcastFamily<M extends Message> extends Protocol<M> {

  @Override
  default String crashAction(String node) {
    return "Crash";
  }

  @Override
  default String crashParam() {
    return "p";
  }

  @Override
  default List<Class<? extends Record>> requestTypes() {
    return List.of(BroadcastRequest.class);
  }

  @Override
  default List<Class<? extends Record>> reportTypes() {
    return List.of(Msg.class);
  }

  /** {@code MaxBcast} of a run of {@code nodes}: how many messages a process broadcasts at most. */
  default int maxBcast(List<String> nodes) {
    return ((Number) constants(nodes).get("MaxBcast")).intValue();
  }

  /** Validity, then agreement (uniform where the protocol promises it), over the live processes. */
  @Override
  default String awaiting(Reports r) {
    Map<String, List<Msg>> all = Deliveries.of(r);
    Map<String, List<Msg>> live = live(r, all);
    Map<String, Integer> broadcasts = Deliveries.broadcasts(r, maxBcast(r.nodes()));
    String missing = Deliveries.validity(live, broadcasts::get);
    return missing != null ? missing : Deliveries.uniformAgreement(uniform() ? all : live, live);
  }

  /** True when the protocol promises uniform agreement: what a crashed process delivered, every live one does. */
  default boolean uniform() {
    return false;
  }

  /** NoDuplicationInv and NoCreationInv of every process's deliveries. */
  @Override
  default List<String> violations(Reports r) {
    Map<String, List<Msg>> all = Deliveries.of(r);
    Map<String, Integer> broadcasts = Deliveries.broadcasts(r, maxBcast(r.nodes()));
    List<String> out = new ArrayList<>();
    all.forEach((p, d) -> {
      String dup = Deliveries.noDuplication(p, d);
      if (dup != null) {
        out.add("NoDuplicationInv: " + dup);
      }
      String created = Deliveries.noCreation(p, d, r.nodes(), broadcasts::get);
      if (created != null) {
        out.add("NoCreationInv: " + created);
      }
    });
    return out;
  }

  /** The deliveries of the live processes among {@code all}. */
  static Map<String, List<Msg>> live(Reports r, Map<String, List<Msg>> all) {
    Map<String, List<Msg>> live = new LinkedHashMap<>();
    for (String p : r.live()) {
      live.put(p, all.get(p));
    }
    return live;
  }
}
