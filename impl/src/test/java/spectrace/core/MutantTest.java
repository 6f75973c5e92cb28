package spectrace.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import spectrace.protocols.Protocols;
import spectrace.protocols.twophase.ResourceManager;
import spectrace.protocols.twophase.TransactionManager;
import spectrace.protocols.twophase.TwoPhase;
import spectrace.protocols.twophase.TwoPhaseMessage;

/** A mutant is data: a name, a line, and nodes; applied to a protocol, it changes only those nodes and the variant. */
class MutantTest {

  /**
   * The applied mutant delegates every method of {@link Protocol} to the correct protocol: a
   * method added to the interface later, with a default, would otherwise run its default for a
   * mutant (and a mutant's run would no longer be the protocol's run with other nodes).
   */
  @Test
  void anAppliedMutantRunsItsNodesUnderTheProtocolsNameWithItsOwnAsVariant() {
    Mutant<TwoPhaseMessage> m = new Mutant<>("tm-only-test", "every node is a TM",
        (id, nodes) -> new TransactionManager(id, nodes.subList(1, nodes.size())));
    TwoPhase correct = new TwoPhase();
    Protocol<TwoPhaseMessage> p = m.applyTo(correct);
    assertEquals("twophase", p.name());
    assertEquals("tm-only-test", p.variant());
    assertNull(correct.variant());
    List<String> ids = p.nodeIds(3);
    assertEquals(correct.nodeIds(3), ids);
    assertEquals(correct.constants(ids), p.constants(ids));
    assertEquals(correct.specModule(), p.specModule());
    assertEquals(correct.model(), p.model());
    assertEquals(correct.messageType(), p.messageType());
    assertEquals(correct.workloads(), p.workloads());
    assertEquals(correct.crashAction("tm"), p.crashAction("tm"));
    assertInstanceOf(TransactionManager.class, p.newNode("rm1", ids), "the mutant's node, not the protocol's");
    assertInstanceOf(ResourceManager.class, correct.newNode("rm1", ids));
    List<String> requests = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    p.workload("one-no", ids, new SplittableRandom(3), (t, n, r) -> requests.add(t + " " + n + " " + r));
    correct.workload("one-no", ids, new SplittableRandom(3), (t, n, r) -> expected.add(t + " " + n + " " + r));
    assertEquals(expected, requests);
    assertFalse(requests.isEmpty());
  }

  @Test
  void aMutantsNameIsHyphenatedLowerCaseAndItsDescriptionOneLine() {
    assertThrows(IllegalArgumentException.class, () -> new Mutant<TwoPhaseMessage>("Grants Twice", "x", (i, n) -> null));
    assertThrows(IllegalArgumentException.class, () -> new Mutant<TwoPhaseMessage>("grants--twice", "x", (i, n) -> null));
    assertThrows(IllegalArgumentException.class, () -> new Mutant<TwoPhaseMessage>("(correct)", "x", (i, n) -> null));
    assertThrows(IllegalArgumentException.class, () -> new Mutant<TwoPhaseMessage>("a", " ", (i, n) -> null));
    assertThrows(IllegalArgumentException.class, () -> new Mutant<TwoPhaseMessage>("a", "two\nlines", (i, n) -> null));
    assertThrows(NullPointerException.class, () -> new Mutant<TwoPhaseMessage>("a", "x", null));
  }

  /**
   * A mutant that names adversaries runs its Byzantine nodes with those and no others; one that
   * names none keeps the protocol's; an empty list is refused, since a run with Byzantine nodes
   * and nothing for them to do is no run of the mutant.
   */
  @Test
  void aMutantsAdversariesReplaceTheProtocolsAndAnEmptyListIsRefused() {
    Adversary silent = Adversary.of("silent-test", (view, honest) -> List.of());
    TwoPhase correct = new TwoPhase();
    Mutant<TwoPhaseMessage> named = new Mutant<>("a", "x", correct::newNode, List.of(silent));
    assertEquals(List.of(silent), named.applyTo(correct).adversaries());
    Mutant<TwoPhaseMessage> unnamed = new Mutant<>("b", "y", correct::newNode);
    assertNull(unnamed.adversaries());
    assertEquals(correct.adversaries(), unnamed.applyTo(correct).adversaries());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Mutant<TwoPhaseMessage>("c", "z", correct::newNode, List.of()));
    assertEquals("mutant c: an empty list of adversaries (null for the protocol's)", e.getMessage());
  }

  @Test
  void namedFindsAMutantOrNamesTheKnownOnes() {
    Mutant<TwoPhaseMessage> a = new Mutant<>("a", "x", (i, n) -> null);
    Mutant<TwoPhaseMessage> b = new Mutant<>("b", "y", (i, n) -> null);
    assertEquals(b, Mutant.named("b", List.of(a, b)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mutant.named("c", List.of(a, b)));
    assertEquals("no mutant 'c' (mutants: a, b)", e.getMessage());
  }

  /** Every registered mutant is a well-formed record, and the registry hands out the mutant it lists. */
  @Test
  void everyRegisteredMutantHasADescriptionAndRunsAsItsProtocol() {
    int count = 0;
    for (String protocol : Protocols.names()) {
      for (String name : Protocols.mutants(protocol)) {
        Mutant<?> m = Protocols.mutant(protocol, name);
        assertEquals(name, m.name());
        assertFalse(m.description().isBlank());
        Protocol<?> p = Protocols.get(protocol, name);
        assertEquals(protocol, p.name());
        assertEquals(name, p.variant());
        count++;
      }
    }
    assertTrue(count >= 30, "the registry lists " + count + " mutants");
  }
}
