package spectrace.protocols.pbft;

import java.util.ArrayList;
import java.util.List;
import spectrace.core.Adversary;
import spectrace.core.Adversary.Out;
import spectrace.core.Effects;
import spectrace.core.Message;
import spectrace.kv.Command;
import spectrace.protocols.pbft.PbftMessage.Checkpoint;
import spectrace.protocols.pbft.PbftMessage.Commit;
import spectrace.protocols.pbft.PbftMessage.PrePrepare;
import spectrace.protocols.pbft.PbftMessage.Prepare;
import spectrace.protocols.pbft.PbftMessage.ViewChange;

/**
 * What a Byzantine PBFT replica sends, the menu a run picks from by seed. Each adversary runs
 * the replica's own code (so that its state stays plausible) and changes what leaves: it signs
 * what it makes with its own key, which is all a faulty replica holds. None can sign as another
 * replica; {@code forge} tries, and the authenticated links reject it.
 *
 * <ul>
 *   <li>{@code silent}: sends nothing.
 *   <li>{@code equivocate}: as primary, sends some backups a PRE-PREPARE for another request
 *   at the same sequence number (one it saw in a message), and some both.
 *   <li>{@code conflict}: sends PREPAREs and COMMITs for other requests than its own code would,
 *   to some replicas.
 *   <li>{@code wrong-digest}: sends PRE-PREPAREs whose digest is another request's, PREPAREs
 *   that carry the signature of its PREPARE of another request, and other messages with a
 *   corrupted signature: each is rejected on receipt.
 *   <li>{@code forge}: sends its messages under other replicas' names (the runtime rejects them).
 *   <li>{@code replay}: sends, besides its own, a message it received or sent before, an old
 *   view's included.
 *   <li>{@code lie-view-change}: its VIEW-CHANGEs leave out what it prepared, or claim requests
 *   prepared without the proof (rejected), or a checkpoint it cannot prove (rejected).
 * </ul>
 */
public final class PbftAdversaries {

  /** The adversaries, in the order a run picks from. */
  public static final List<Adversary> ALL = List.of(
      Adversary.SILENT,
      revealing(Adversary.of("equivocate", PbftAdversaries::equivocate)),
      revealing(Adversary.of("conflict", PbftAdversaries::conflict)),
      revealing(Adversary.of("wrong-digest", PbftAdversaries::wrongDigest)),
      revealing(Adversary.FORGE),
      revealing(Adversary.REPLAY),
      revealing(Adversary.of("lie-view-change", PbftAdversaries::lieViewChange)));

  private PbftAdversaries() {}

  /**
   * {@code a}, sending first, on its own, every message it signed that a VIEW-CHANGE or
   * NEW-VIEW it sends carries inside. A faulty replica's own code signs messages that its
   * adversary may never send (a PREPARE it replaced with a conflicting one); a proof it relays
   * reveals them, and from then on they exist: PBFT.tla's msgs holds every signed message, and a
   * correct replica that checks the proof acts on them. Sent on their own, they enter the trace
   * as what they are, the faulty replica's messages, before the proof that carries them.
   */
  static Adversary revealing(Adversary a) {
    return Adversary.of(a.name(), (v, honest) -> {
      List<Out> out = new ArrayList<>();
      for (Out o : a.corrupt(v, honest)) {
        if (o.msg() instanceof PbftMessage m) {
          for (PbftMessage inside : embedded(m)) {
            if (inside.from().equals(v.node())) {
              out.add(new Out(v.node(), o.to(), inside));
            }
          }
        }
        out.add(o);
      }
      return out;
    });
  }

  /** The signed messages {@code m} carries inside it, its proofs and their proofs. */
  static List<PbftMessage> embedded(PbftMessage m) {
    List<PbftMessage> in = new ArrayList<>();
    if (m instanceof ViewChange c) {
      in.addAll(c.ckptProof());
      for (PbftMessage.PreparedProof p : c.proofs()) {
        if (p.prePrepare() != null) {
          in.add(p.prePrepare());
        }
        in.addAll(p.prepares());
      }
    } else if (m instanceof PbftMessage.NewView n) {
      for (ViewChange c : n.vcs()) {
        in.addAll(embedded(c));
        in.add(c);
      }
      in.addAll(n.prePrepares());
    }
    return in;
  }

  /** The faulty replica's own keys: its code's (over TCP, derived from the run's secret). */
  private static PbftKeys keys(Adversary.View v) {
    return v.code().get() instanceof PbftReplica r ? r.keys() : PbftKeys.simulated(v.nodes(), v.node());
  }

  @SuppressWarnings("unchecked")
  private static <T extends PbftMessage> T resign(Adversary.View v, T m) {
    return (T) m.withSig(keys(v).sign(m.body()));
  }

  /** A request named in a message the node received or sent, other than {@code not}, or null. */
  private static Command otherRequest(Adversary.View v, Command not) {
    List<Command> seen = new ArrayList<>();
    for (List<Out> l : List.of(v.received(), v.sent())) {
      for (Out o : l) {
        Command c = request(o.msg());
        if (c != null && !c.equals(not) && !c.equals(Pbft.NULL_REQUEST)) {
          seen.add(c);
        }
      }
    }
    return seen.isEmpty() ? null : seen.get(v.random().nextInt(seen.size()));
  }

  private static Command request(Message m) {
    if (m instanceof PrePrepare p) {
      return p.req();
    } else if (m instanceof Prepare p) {
      return p.req();
    } else if (m instanceof Commit c) {
      return c.req();
    }
    return null;
  }

  private static List<Out> equivocate(Adversary.View v, Effects honest) {
    List<Out> out = new ArrayList<>();
    for (Effects.Send s : honest.sends()) {
      Message m = s.msg();
      int choice = v.random().nextInt(4);
      if (m instanceof PrePrepare p && choice > 0) {
        Command other = otherRequest(v, p.req());
        if (other != null) {
          if (choice == 3) {
            out.add(new Out(v.node(), s.to(), m)); // both, to the same backup
          }
          m = resign(v, new PrePrepare(p.view(), p.seq(), other, PbftKeys.digest(other), p.from(), null));
        }
      }
      out.add(new Out(v.node(), s.to(), m));
    }
    return out;
  }

  private static List<Out> conflict(Adversary.View v, Effects honest) {
    List<Out> out = new ArrayList<>();
    for (Effects.Send s : honest.sends()) {
      Message m = s.msg();
      if (v.random().nextInt(3) == 0) {
        if (m instanceof Prepare p) {
          Command other = otherRequest(v, p.req());
          if (other != null) {
            m = resign(v, new Prepare(p.view(), p.seq(), other, p.from(), null));
          }
        } else if (m instanceof Commit c) {
          Command other = otherRequest(v, c.req());
          if (other != null) {
            m = resign(v, new Commit(c.view(), c.seq(), other, c.from(), null));
          }
        } else if (m instanceof Checkpoint c && !c.digest().isEmpty()) {
          List<Command> lie = new ArrayList<>(c.digest());
          lie.set(0, Pbft.NULL_REQUEST);
          m = resign(v, new Checkpoint(c.seq(), lie, c.from(), null));
        }
      }
      out.add(new Out(v.node(), s.to(), m));
    }
    return out;
  }

  private static List<Out> wrongDigest(Adversary.View v, Effects honest) {
    List<Out> out = new ArrayList<>();
    for (Effects.Send s : honest.sends()) {
      Message m = s.msg();
      if (v.random().nextInt(3) == 0) {
        if (m instanceof PrePrepare p) {
          Command other = otherRequest(v, p.req());
          m = new PrePrepare(p.view(), p.seq(), p.req(), PbftKeys.digest(other == null ? Pbft.NULL_REQUEST : other),
              p.from(), null);
          m = resign(v, (PrePrepare) m);
        } else if (m instanceof Prepare p && v.random().nextBoolean() && otherRequest(v, p.req()) != null) {
          // Its signature, lifted onto a PREPARE of another request.
          m = new Prepare(p.view(), p.seq(), otherRequest(v, p.req()), p.from(), p.sig());
        } else if (m instanceof PbftMessage pm) {
          String sig = pm.sig();
          char c = sig.charAt(0) == 'A' ? 'B' : 'A';
          m = pm.withSig(c + sig.substring(1));
        }
      }
      out.add(new Out(v.node(), s.to(), m));
    }
    return out;
  }

  private static List<Out> lieViewChange(Adversary.View v, Effects honest) {
    List<Out> out = new ArrayList<>();
    for (Effects.Send s : honest.sends()) {
      Message m = s.msg();
      if (m instanceof ViewChange c) {
        switch (v.random().nextInt(3)) {
          case 0 -> m = resign(v, new ViewChange(c.view(), c.ckpt(), c.digest(), List.of(), c.ckptProof(), List.of(),
              c.from(), null));
          case 1 -> {
            Command other = otherRequest(v, null);
            if (other != null) {
              List<Entry> p = new ArrayList<>(c.prepared());
              p.add(new Entry(Math.max(0, c.view() - 1), c.ckpt() + 1 + c.prepared().size(), other));
              m = resign(v, new ViewChange(c.view(), c.ckpt(), c.digest(), p, c.ckptProof(), c.proofs(), c.from(),
                  null));
            }
          }
          default -> m = resign(v, new ViewChange(c.view(), c.ckpt() + PbftReplica.CHECKPOINT_PERIOD,
              c.digest(), List.of(), List.of(), List.of(), c.from(), null));
        }
      }
      out.add(new Out(v.node(), s.to(), m));
    }
    return out;
  }
}
