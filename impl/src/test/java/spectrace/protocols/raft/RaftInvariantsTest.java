package spectrace.protocols.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import spectrace.core.Protocol;
import spectrace.kv.Command;
import spectrace.core.ProtocolNode;

/**
 * The simulator's checks of Raft on hand-made server states: each catches what it names, and
 * the checks that remember a run (two leaders of one term at different times) remember only it.
 */
class RaftInvariantsTest {

  private static final List<String> SERVERS = List.of("n1", "n2", "n3");

  private static RaftNode server(String id, int term, RaftState state, List<Entry> log) {
    RaftNode n = new RaftNode(id, SERVERS, false, false);
    n.currentTerm = term;
    n.state = state;
    log.forEach(n.log::append);
    return n;
  }

  private static Protocol.Invariant named(List<Protocol.Invariant> all, String name) {
    return all.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void electionSafetyRemembersALeaderOfATermAfterItIsGone() {
    Protocol.Invariant inv = named(new Raft().invariants(), "ElectionSafetyInv");
    Map<String, ProtocolNode<?>> view = new LinkedHashMap<>();
    view.put("n1", server("n1", 3, RaftState.LEADER, List.of()));
    view.put("n2", server("n2", 3, RaftState.FOLLOWER, List.of()));
    assertNull(inv.check().apply(view));
    // n1 crashes; later n2 leads the same term.
    view.put("n1", null);
    view.put("n2", server("n2", 3, RaftState.LEADER, List.of()));
    assertEquals("n1 and n2 were both leaders of term 3", inv.check().apply(view));

    // Another run (another view) starts with no memory of this one.
    Map<String, ProtocolNode<?>> next = new LinkedHashMap<>();
    next.put("n2", server("n2", 3, RaftState.LEADER, List.of()));
    assertNull(inv.check().apply(next));
  }

  @Test
  void logMatchingCatchesLogsThatAgreeOnATermButNotBeforeIt() {
    Protocol.Invariant inv = named(new Raft().invariants(), "LogMatchingInv");
    Entry a = new Entry(1, Command.put("c1", 1, "k", 1));
    Entry b = new Entry(1, Command.put("c1", 2, "k", 2));
    Entry c = new Entry(2, Command.put("c1", 3, "k", 3));
    Map<String, ProtocolNode<?>> view = new LinkedHashMap<>();
    view.put("n1", server("n1", 2, RaftState.FOLLOWER, List.of(a, c)));
    view.put("n2", server("n2", 2, RaftState.FOLLOWER, List.of(a)));
    assertNull(inv.check().apply(view), "a prefix matches");
    view.put("n3", server("n3", 2, RaftState.FOLLOWER, List.of(b, c)));
    String broken = inv.check().apply(view);
    assertTrue(broken != null && broken.contains("n1 and n3") && broken.contains("index 2"), String.valueOf(broken));
  }
}
