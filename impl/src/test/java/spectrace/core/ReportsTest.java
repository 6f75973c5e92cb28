package spectrace.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import spectrace.protocols.Protocols;
import spectrace.protocols.broadcast.reliable.BroadcastRequest;
import spectrace.protocols.broadcast.reliable.Msg;
import spectrace.protocols.maekawa.Want;
import spectrace.protocols.twophase.Vote;

/**
 * What a real cluster's driver judges from its nodes' reports ({@link Workloads#awaiting},
 * {@link Workloads#violations}): each protocol's check finds what is missing and what is
 * wrong, and passes a run that served its workload.
 */
class ReportsTest {

  private static final List<String> P = List.of("p1", "p2", "p3");
  private static final Msg A = new Msg("p1", 1);
  private static final Msg B = new Msg("p1", 2);
  private static final Msg C = new Msg("p2", 1);

  /** p1 was asked for two broadcasts and p2 for one; each node's deliveries as given. */
  private static Reports broadcast(Set<String> crashed, List<Object> d1, List<Object> d2, List<Object> d3) {
    Map<String, List<Object>> requests = new LinkedHashMap<>();
    requests.put("p1", List.of(new BroadcastRequest(), new BroadcastRequest()));
    requests.put("p2", List.of(new BroadcastRequest()));
    return new Reports(P, requests, Map.of("p1", d1, "p2", d2, "p3", d3), Map.of(), crashed);
  }

  @Test
  void aBroadcastRoundIsOverWhenEveryLiveProcessDeliveredEveryMessage() {
    Protocol<?> erb = Protocols.get("erb");
    assertNull(erb.awaiting(broadcast(Set.of(), List.of(A, B, C), List.of(C, A, B), List.of(A, C, B))));
    assertEquals("p1 broadcast Msg[src=p1, sn=2] and is live, but live p3 never delivered it",
        erb.awaiting(broadcast(Set.of(), List.of(A, B, C), List.of(C, A, B), List.of(A, C))));
    // p1 crashed: its second message is owed to no one, unless a live process delivered it (agreement).
    assertNull(erb.awaiting(broadcast(Set.of("p1"), List.of(A, B), List.of(C, A), List.of(A, C))));
    assertEquals("p2 delivered [Msg[src=p1, sn=2]], which live p3 never delivered",
        erb.awaiting(broadcast(Set.of("p1"), List.of(A, B), List.of(C, A, B), List.of(A, C))));
    // Best effort promises no agreement; uniform reliable broadcast counts the crashed process's deliveries too.
    assertNull(Protocols.get("beb").awaiting(broadcast(Set.of("p1"), List.of(A, B), List.of(C, A, B), List.of(A, C))));
    assertEquals("p1 (crashed) delivered [Msg[src=p1, sn=2]], which live p2 never delivered",
        Protocols.get("urb").awaiting(broadcast(Set.of("p1"), List.of(A, B), List.of(C, A), List.of(A, C))));
  }

  @Test
  void duplicationCreationAndOrderAreViolations() {
    Reports fine = broadcast(Set.of(), List.of(A, B, C), List.of(A, C, B), List.of(A, B, C));
    for (String p : List.of("beb", "erb", "urb", "lrb", "fifo", "causal", "gossip")) {
      assertEquals(List.of(), Protocols.get(p).violations(fine), p);
    }
    assertEquals(List.of("NoDuplicationInv: p2 delivered Msg[src=p2, sn=1] twice: [Msg[src=p2, sn=1], Msg[src=p2, sn=1]]"),
        Protocols.get("erb").violations(broadcast(Set.of(), List.of(), List.of(C, C), List.of())));
    assertEquals(List.of("NoCreationInv: p3 delivered Msg[src=p2, sn=2], but p2 has broadcast 1 messages"),
        Protocols.get("beb").violations(broadcast(Set.of(), List.of(), List.of(), List.of(new Msg("p2", 2)))));
    assertEquals(List.of("FifoOrderInv: p2 delivered Msg[src=p1, sn=2] before message 1 of p1: [Msg[src=p1, sn=2],"
        + " Msg[src=p1, sn=1]]"), Protocols.get("fifo").violations(broadcast(Set.of(), List.of(A, B), List.of(B, A),
        List.of())));
    // p2 delivered A before broadcasting C: p3 must not deliver C before A.
    List<String> causal = Protocols.get("causal").violations(broadcast(Set.of(), List.of(A), List.of(A, C),
        List.of(C, A)));
    assertEquals(1, causal.size(), causal::toString);
    assertTrue(causal.get(0).startsWith("CausalOrderInv: p3 delivered Msg[src=p2, sn=1] before Msg[src=p1, sn=1]"),
        causal::toString);
    assertEquals(List.of(), Protocols.get("total").violations(broadcast(Set.of(), List.of(A, C), List.of(A, C),
        List.of(A))));
    assertEquals(List.of("TotalOrderInv: p1 and p2 deliver in different orders: [Msg[src=p1, sn=1], Msg[src=p2, sn=1]]"
        + " and [Msg[src=p2, sn=1], Msg[src=p1, sn=1]]"),
        Protocols.get("total").violations(broadcast(Set.of(), List.of(A, C), List.of(C, A), List.of())));
  }

  @Test
  void aTotalOrderRoundWithoutItsSequencerAwaitsAgreementOnly() {
    Protocol<?> total = Protocols.get("total");
    assertTrue(total.awaiting(broadcast(Set.of(), List.of(A), List.of(A), List.of(A))).contains("never delivered"));
    assertNull(total.awaiting(broadcast(Set.of("p1"), List.of(A), List.of(A), List.of(A))));
    assertEquals("p2 delivered [Msg[src=p1, sn=1]], which live p3 never delivered",
        total.awaiting(broadcast(Set.of("p1"), List.of(A), List.of(A), List.of())));
  }

  @Test
  void gossipAwaitsOnlyEachSendersOwnDelivery() {
    Protocol<?> gossip = Protocols.get("gossip");
    assertNull(gossip.awaiting(broadcast(Set.of(), List.of(A, B), List.of(C), List.of())));
    assertEquals("p1 has not delivered its own Msg[src=p1, sn=2]",
        gossip.awaiting(broadcast(Set.of(), List.of(A), List.of(C), List.of())));
  }

  @Test
  void maekawaAwaitsEveryWantAndServesOnlyTheWantsGiven() {
    Protocol<?> maekawa = Protocols.get("maekawa");
    List<String> n = List.of("n1", "n2");
    Want w1 = new Want(3);
    Want w2 = new Want(5);
    Map<String, List<Object>> wants = Map.of("n1", List.of(w1, w2), "n2", List.of(w2));
    Reports half = new Reports(n, wants, Map.of("n1", List.of(w1), "n2", List.of(w2)), Map.of(), Set.of());
    assertEquals("n1 entered the critical section 1 of the 2 times it wanted it (waiting for Want[holdFor=5])",
        maekawa.awaiting(half));
    assertEquals(List.of(), maekawa.violations(half));
    Reports all = new Reports(n, wants, Map.of("n1", List.of(w1, w2), "n2", List.of(w2)), Map.of(), Set.of());
    assertNull(maekawa.awaiting(all));
    Reports extra = new Reports(n, wants, Map.of("n1", List.of(w1, w2), "n2", List.of(w2, w2)), Map.of(), Set.of());
    assertEquals(List.of("n2 entered the critical section for [Want[holdFor=5], Want[holdFor=5]], not for its wants"
        + " [Want[holdFor=5]]"), maekawa.violations(extra));
  }

  @Test
  void twoPhaseAwaitsEveryDecisionAndChecksThem() {
    Protocol<?> twophase = Protocols.get("twophase");
    List<String> n = List.of("tm", "rm1", "rm2");
    Map<String, List<Object>> votes = Map.of("rm1", List.of(new Vote(true)), "rm2", List.of(new Vote(false)));
    Reports undecided = new Reports(n, votes, Map.of(), Map.of("tm", List.of("aborted"), "rm2", List.of("aborted")),
        Set.of());
    assertEquals("not decided: rm1 (told to vote yes)", twophase.awaiting(undecided));
    assertEquals("not decided: tm, rm1 (it was told no vote yet), rm2 (told to vote no)",
        twophase.awaiting(new Reports(n, Map.of("rm2", List.of(new Vote(false))), Map.of(), Map.of(), Set.of())));
    Reports aborted = new Reports(n, votes, Map.of(), Map.of("tm", List.of("aborted"), "rm1", List.of("aborted"),
        "rm2", List.of("aborted")), Set.of());
    assertNull(twophase.awaiting(aborted));
    assertEquals(List.of(), twophase.violations(aborted));
    Reports split = new Reports(n, votes, Map.of(), Map.of("tm", List.of("committed"), "rm1", List.of("committed"),
        "rm2", List.of("aborted")), Set.of());
    List<String> v = twophase.violations(split);
    assertEquals(2, v.size(), v::toString);
    assertTrue(v.get(0).startsWith("the nodes decided differently: "), v::toString);
    assertEquals("CommitValidityInv: committed, but rm2 was told to vote no", v.get(1));
    Reports unasked = new Reports(n, Map.of("rm1", List.of(new Vote(true))), Map.of(), Map.of("tm", List.of("committed"),
        "rm1", List.of("committed"), "rm2", List.of("committed")), Set.of());
    assertEquals(List.of("CommitValidityInv: committed, but rm2 was never told to vote yes"),
        twophase.violations(unasked));
  }
}
