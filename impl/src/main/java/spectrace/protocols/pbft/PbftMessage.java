package spectrace.protocols.pbft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import spectrace.core.Message;
import spectrace.core.SpecValue;
import spectrace.kv.Command;
import spectrace.kv.Op;

/**
 * The messages of PBFT.tla (Castro and Liskov, OSDI 1999, sec. 4; the signature variant of
 * TOCS 2002, sec. 2.3), each signed by the replica it names in {@code from}.
 *
 * <p>A message is what the spec's record is ({@link #specValue}: {@code [type |-> "Prepare",
 * view |-> 0, seq |-> 1, req |-> ..., from |-> "r2"]}), and carries besides what the spec
 * keeps in {@code msgs} and a real replica must carry: its signature ({@code sig}, Ed25519 over
 * {@link #body}, Base64), and the signed messages that back a claim. A VIEW-CHANGE carries,
 * for its checkpoint, 2f+1 CHECKPOINTs, and for each request of P, the PRE-PREPARE and 2f
 * PREPAREs that prepared it; a NEW-VIEW carries the VIEW-CHANGEs it is built on (the spec's
 * V) and the PRE-PREPAREs of O. The spec evaluates a certificate over {@code msgs}; a replica
 * checks the signatures of the messages it holds, which is the same once every message that
 * verifies was sent.
 *
 * <p>The trace writes a message as its spec value, so that neither signatures nor proofs enter
 * the trace: what the spec cannot see, it need not be told.
 */
public sealed interface PbftMessage extends Message, SpecValue {

  /** The replica that signed the message. */
  String from();

  /** The signature of {@link #body} by {@link #from}, Base64. */
  String sig();

  /** The text that is signed: every field the spec sees, in a fixed order. */
  String body();

  /** This message with another signature (what a forger or a corrupting link makes of it). */
  PbftMessage withSig(String sig);

  /**
   * {@code <PRE-PREPARE, v, n, d>} with the request (OSDI sec. 4.2): the primary of view
   * {@code view} assigns sequence number {@code seq} to {@code req}. {@code digest} is the
   * request's digest, which a backup checks against the request it carries.
   *
   * <p>The pre-prepare assigns {@code seq} to the digest; the request rides with it. PBFT.tla
   * has requests where the paper has digests (a digest names one request), so the spec value's
   * {@code req} is the request the digest names: {@code req} when the digest is its own, and
   * otherwise {@link #unnamed}, a request no client sent. A replica that took the request
   * carried for the one the digest names would act on an assignment the primary did not sign.
   */
  record PrePrepare(int view, long seq, Command req, String digest, String from, String sig) implements PbftMessage {

    /**
     * What a PRE-PREPARE whose digest is not its request's assigns, for the spec: a request of
     * that digest, which no client sent (its client is the digest).
     */
    public static Command unnamed(String digest) {
      return new Command("digest " + digest, 1, Op.GET, "-", 0, 0);
    }

    @Override
    public String body() {
      return "PrePrepare|" + view + "|" + seq + "|" + req + "|" + digest + "|" + from;
    }

    @Override
    public Object specValue() {
      Command named = PbftKeys.digest(req).equals(digest) ? req : unnamed(digest);
      return spec("PrePrepare", "view", view, "seq", seq, "req", named, "from", from);
    }

    @Override
    public PrePrepare withSig(String s) {
      return new PrePrepare(view, seq, req, digest, from, s);
    }

    /** The entry {@code [view, seq, req]} this assigns. */
    public Entry entry() {
      return new Entry(view, seq, req);
    }
  }

  /** {@code <PREPARE, v, n, d, i>} (OSDI sec. 4.2): backup {@code from} accepted the pre-prepare. */
  record Prepare(int view, long seq, Command req, String from, String sig) implements PbftMessage {
    @Override
    public String body() {
      return "Prepare|" + view + "|" + seq + "|" + req + "|" + from;
    }

    @Override
    public Object specValue() {
      return spec("Prepare", "view", view, "seq", seq, "req", req, "from", from);
    }

    @Override
    public Prepare withSig(String s) {
      return new Prepare(view, seq, req, from, s);
    }

    public Entry entry() {
      return new Entry(view, seq, req);
    }
  }

  /** {@code <COMMIT, v, n, D(m), i>} (OSDI sec. 4.2): {@code from} prepared the request. */
  record Commit(int view, long seq, Command req, String from, String sig) implements PbftMessage {
    @Override
    public String body() {
      return "Commit|" + view + "|" + seq + "|" + req + "|" + from;
    }

    @Override
    public Object specValue() {
      return spec("Commit", "view", view, "seq", seq, "req", req, "from", from);
    }

    @Override
    public Commit withSig(String s) {
      return new Commit(view, seq, req, from, s);
    }

    public Entry entry() {
      return new Entry(view, seq, req);
    }
  }

  /**
   * {@code <CHECKPOINT, n, d, i>} (OSDI sec. 4.3): {@code from} executed up to {@code seq}, and
   * {@code digest} is PBFT.tla's digest there: the requests executed since the checkpoint before.
   */
  record Checkpoint(long seq, List<Command> digest, String from, String sig) implements PbftMessage {
    public Checkpoint {
      digest = List.copyOf(digest);
    }

    @Override
    public String body() {
      return "Checkpoint|" + seq + "|" + digest + "|" + from;
    }

    @Override
    public Object specValue() {
      return spec("Checkpoint", "seq", seq, "digest", digest, "from", from);
    }

    @Override
    public Checkpoint withSig(String s) {
      return new Checkpoint(seq, digest, from, s);
    }
  }

  /** The signed messages that prepared {@code entry}: its PRE-PREPARE and 2f PREPAREs. */
  record PreparedProof(Entry entry, PrePrepare prePrepare, List<Prepare> prepares) {
    public PreparedProof {
      prepares = List.copyOf(prepares);
    }
  }

  /**
   * {@code <VIEW-CHANGE, v+1, n, C, P, i>} (OSDI sec. 4.4): {@code from} moves to view
   * {@code view}; its stable checkpoint ({@code ckpt}, {@code digest}) with its proof
   * ({@code ckptProof}, empty for checkpoint 0), and P ({@code prepared}), each with its proof.
   */
  record ViewChange(int view, long ckpt, List<Command> digest, List<Entry> prepared, List<Checkpoint> ckptProof,
                    List<PreparedProof> proofs, String from, String sig) implements PbftMessage {
    public ViewChange {
      digest = List.copyOf(digest);
      prepared = List.copyOf(prepared);
      ckptProof = List.copyOf(ckptProof);
      proofs = List.copyOf(proofs);
    }

    @Override
    public String body() {
      return "ViewChange|" + view + "|" + ckpt + "|" + digest + "|" + prepared + "|" + from;
    }

    @Override
    public Object specValue() {
      return spec("ViewChange", "view", view, "ckpt", ckpt, "digest", digest, "prepared",
          new java.util.LinkedHashSet<>(prepared), "from", from);
    }

    @Override
    public ViewChange withSig(String s) {
      return new ViewChange(view, ckpt, digest, prepared, ckptProof, proofs, from, s);
    }
  }

  /**
   * {@code <NEW-VIEW, v+1, V, O>} (OSDI sec. 4.4): the primary of {@code view} starts it on the
   * 2f+1 VIEW-CHANGEs {@code vcs} (V); {@code prePrepares} are O, which any replica computes
   * from V (the spec's NEW-VIEW is its view and V alone), signed by the primary.
   */
  record NewView(int view, List<ViewChange> vcs, List<PrePrepare> prePrepares, String from, String sig)
      implements PbftMessage {
    public NewView {
      vcs = List.copyOf(vcs);
      prePrepares = List.copyOf(prePrepares);
    }

    @Override
    public String body() {
      List<String> v = new ArrayList<>();
      for (ViewChange c : vcs) {
        v.add(c.body() + "#" + c.sig());
      }
      return "NewView|" + view + "|" + v + "|" + from;
    }

    @Override
    public Object specValue() {
      return spec("NewView", "view", view, "vcs", new java.util.LinkedHashSet<>(vcs), "from", from);
    }

    @Override
    public NewView withSig(String s) {
      return new NewView(view, vcs, prePrepares, from, s);
    }
  }

  /** The spec's record: {@code type}, then the fields given as name, value, name, value, ... */
  private static Map<String, Object> spec(String type, Object... fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    for (int i = 0; i < fields.length; i += 2) {
      m.put((String) fields[i], fields[i + 1]);
    }
    return m;
  }
}
