package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.conformance.TraceException;
import spectrace.conformance.TraceSpec;
import spectrace.tlc.Specs;

/**
 * Every claim an event makes is checked, by the engine and by the TLC trace specification
 * alike: hand-written edits of conforming sample traces, one class of false claim each, must
 * diverge at the edited line (exit 1, both verdicts agreeing) or be refused as bad input at it
 * (exit 2, by both). Each of these traces conformed before the claims were checked (issue 11).
 */
class EveryClaimIT {

  private static final Path TRACES = Path.of(System.getProperty("spectrace.specs")).resolveSibling("traces");

  @TempDir Path tmp;
  private StringWriter out;
  private StringWriter err;

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** Sample {@code sample} with {@code edit} applied to its lines (index 0 is the header, line 1). */
  private Path edited(String sample, String name, UnaryOperator<List<String>> edit) throws Exception {
    List<String> lines = edit.apply(new ArrayList<>(Files.readAllLines(TRACES.resolve(sample))));
    return Files.write(tmp.resolve(name + ".ndjson"), lines);
  }

  /** Line {@code line} (from 1) of the list, with {@code from} replaced by {@code to}, which must occur. */
  private static UnaryOperator<List<String>> replace(int line, String from, String to) {
    return l -> {
      assertTrue(l.get(line - 1).contains(from), () -> "line " + line + " has no " + from + ": " + l.get(line - 1));
      l.set(line - 1, l.get(line - 1).replace(from, to));
      return l;
    };
  }

  /** Inserts {@code text} as line {@code line}, and renumbers every event's seq from 0. */
  private static UnaryOperator<List<String>> insert(int line, String text) {
    return l -> {
      l.add(line - 1, text);
      return renumber(l);
    };
  }

  /** Deletes line {@code line} and renumbers every event's seq from 0. */
  private static UnaryOperator<List<String>> delete(int line) {
    return l -> {
      l.remove(line - 1);
      return renumber(l);
    };
  }

  private static List<String> renumber(List<String> l) {
    for (int i = 1; i < l.size(); i++) {
      l.set(i, l.get(i).replaceFirst("^\\{\"seq\":\\d+,", "{\"seq\":" + (i - 1) + ","));
    }
    return l;
  }

  /** Both verdicts: a divergence at {@code line}, whose report says {@code why}. */
  private void diverges(Path trace, int line, String why) {
    int code = run("validate", trace.toString(), "--tlc");
    assertEquals(1, code, () -> out + "" + err);
    assertTrue(out.toString().startsWith(trace + ":" + line + ": divergence"), out::toString);
    assertTrue(out.toString().contains(why), () -> "the report does not say '" + why + "':\n" + out);
    assertTrue(out.toString().contains("TLC trace spec: diverges at " + trace + ":" + line), out::toString);
    assertTrue(out.toString().contains("the two verdicts agree"), out::toString);
  }

  /** Both verdicts: bad input at {@code line}, with a message that says {@code why}. */
  private void refused(Path trace, int line, String why) {
    int code = run("validate", trace.toString(), "--tlc");
    assertEquals(2, code, () -> out + "" + err);
    assertTrue(err.toString().contains(trace + ":" + line + ": "), err::toString);
    assertTrue(err.toString().contains(why), () -> "the error does not say '" + why + "':\n" + err);
    assertEquals(1, err.toString().strip().lines().count(), err::toString);
    TraceException e = assertThrows(TraceException.class, () -> TraceSpec.check(trace, Specs.locate().root()));
    assertTrue(e.getMessage().startsWith(trace + ":" + line + ": "), e::getMessage);
  }

  // ---- the acting node ----

  @Test
  void anRmCannotLogTheTmsAbort() throws Exception {
    Path t = edited("twophase/conforming-seed7.ndjson", "rm-aborts-for-tm",
        replace(8, "\"node\":\"tm\",\"action\":\"TMAbort\"", "\"node\":\"rm1\",\"action\":\"TMAbort\""));
    diverges(t, 8, "rm1 logs TMAbort, which is tm's step");
  }

  @Test
  void aNodeCannotLogAnotherNodesPrepare() throws Exception {
    Path t = edited("twophase/conforming-seed7.ndjson", "rm3-prepares-for-rm1",
        replace(2, "\"node\":\"rm1\"", "\"node\":\"rm3\""));
    diverges(t, 2, "rm3 logs RMPrepare, which is the step of its parameter rm = rm1");
  }

  // ---- sent, exactly ----

  @Test
  void aPrepareThatSendsNoVoteDiverges() throws Exception {
    Path t = edited("twophase/conforming-seed7.ndjson", "silent-prepare",
        replace(2, "\"sent\":[{\"to\":\"tm\",\"msg\":{\"type\":\"Prepared\",\"rm\":\"rm1\"}}]", "\"sent\":[]"));
    diverges(t, 2, "msgs: the spec has [type |-> \"Prepared\", rm |-> \"rm1\"] added, the trace logged no such message in 'sent'");
  }

  @Test
  void anAbortThatSendsACommitToOneRmDiverges() throws Exception {
    Path t = edited("twophase/conforming-seed7.ndjson", "abort-and-commit",
        replace(8, "{\"to\":\"rm3\",\"msg\":{\"type\":\"Abort\"}}", "{\"to\":\"rm3\",\"msg\":{\"type\":\"Commit\"}}"));
    diverges(t, 8, "sent {\"type\":\"Commit\"} to rm3");
  }

  @Test
  void aRequestWithAnotherTimestampOnOneChannelDiverges() throws Exception {
    // Maekawa's network is a channel per link: the message to n2 must be the one the spec appends.
    Path t = edited("maekawa/conforming-grid4.ndjson", "wrong-clock-to-n2",
        replace(2, "{\"to\":\"n2\",\"msg\":{\"type\":\"Request\",\"ts\":{\"clock\":1,",
            "{\"to\":\"n2\",\"msg\":{\"type\":\"Request\",\"ts\":{\"clock\":2,"));
    diverges(t, 2, "sent {\"type\":\"Request\",\"ts\":{\"clock\":2,\"node\":\"n4\"}} to n2");
  }

  @Test
  void aRequestThatSkipsOneMemberOfTheQuorumDiverges() throws Exception {
    Path t = edited("maekawa/conforming-grid4.ndjson", "skips-n3",
        replace(2, ",{\"to\":\"n3\",\"msg\":{\"type\":\"Request\",\"ts\":{\"clock\":1,\"node\":\"n4\"}}}", ""));
    diverges(t, 2, "no such message in 'sent'");
  }

  @Test
  void aBroadcastWithAnotherSequenceNumberToOneProcessDiverges() throws Exception {
    // Best-effort broadcast's network is a bag of [from, to, msg] packets.
    Path t = edited("broadcast/beb/conforming-sender-crash.ndjson", "sn2-to-p3",
        replace(2, "{\"to\":\"p3\",\"msg\":{\"type\":\"Data\",\"m\":{\"src\":\"p2\",\"sn\":1}}}",
            "{\"to\":\"p3\",\"msg\":{\"type\":\"Data\",\"m\":{\"src\":\"p2\",\"sn\":2}}}"));
    diverges(t, 2, "sent {\"type\":\"Data\",\"m\":{\"src\":\"p2\",\"sn\":2}} to p3");
  }

  @Test
  void aRelayThatSkipsOneProcessDiverges() throws Exception {
    // Eager reliable broadcast: p1 relays p4's message to every other process on first receipt.
    Path t = edited("broadcast/erb/conforming-crashes.ndjson", "relay-skips-p3",
        replace(6, "{\"to\":\"p3\",\"msg\":{\"type\":\"Data\",\"m\":{\"src\":\"p4\",\"sn\":1}}},", ""));
    diverges(t, 6, "net: the spec has p1 -> p3: [m |-> [src |-> \"p4\", sn |-> 1], type |-> \"Data\"] added,"
        + " the trace logged no such message in 'sent'");
  }

  // ---- recv ----

  @Test
  void aVoteReceivedFromAnRmThatDidNotSendItDiverges() throws Exception {
    Path t = edited("twophase/conforming-seed7.ndjson", "vote-from-rm3",
        replace(4, "\"recv\":{\"from\":\"rm1\"", "\"recv\":{\"from\":\"rm3\""));
    diverges(t, 4, "no copy of it is in transit from rm3 to tm");
  }

  @Test
  void aVoteNobodySentDiverges() throws Exception {
    // rm2 has not prepared yet at line 4.
    Path t = edited("twophase/conforming-seed7.ndjson", "vote-nobody-sent",
        replace(4, "\"params\":{\"rm\":\"rm1\"},\"recv\":{\"from\":\"rm1\",\"msg\":{\"type\":\"Prepared\",\"rm\":\"rm1\"}}",
            "\"params\":{\"rm\":\"rm2\"},\"recv\":{\"from\":\"rm2\",\"msg\":{\"type\":\"Prepared\",\"rm\":\"rm2\"}}"));
    diverges(t, 4, "tm receives {\"type\":\"Prepared\",\"rm\":\"rm2\"} from rm2, but no copy of it is in transit");
  }

  @Test
  void aMessageReceivedTwiceWithoutADuplicateDiverges() throws Exception {
    String again = "{\"seq\":0,\"time\":370,\"kind\":\"action\",\"node\":\"rm2\",\"action\":\"RMRcvAbortMsg\","
        + "\"params\":{\"rm\":\"rm2\"},\"recv\":{\"from\":\"tm\",\"msg\":{\"type\":\"Abort\"}},\"sent\":[],"
        + "\"vars\":{\"rmState\":{\"rm2\":\"aborted\"}},\"vc\":{\"tm\":3,\"rm1\":1,\"rm2\":3,\"rm3\":1}}";
    Path t = edited("twophase/conforming-seed7.ndjson", "abort-twice", insert(14, again));
    diverges(t, 14, "no copy of it is in transit from tm to rm2");
  }

  // ---- rejections ----

  @Test
  void aRejectionOfAMessageNobodySentOnThatLinkDiverges() throws Exception {
    // Line 23: r2 rejects r1's PRE-PREPARE of a wrong digest; r4 sent r2 no such message.
    Path t = edited("pbft/conforming-wrong-digest-seed20.ndjson", "rejected-from-r4",
        replace(23, "\"fault\":\"rejected\",\"from\":\"r1\"", "\"fault\":\"rejected\",\"from\":\"r4\""));
    diverges(t, 23, "from r4, but no copy of it is in transit from r4 to r2");
  }

  @Test
  void aRejectionWithoutItsReasonIsRefused() throws Exception {
    Path t = edited("pbft/conforming-wrong-digest-seed20.ndjson", "rejected-no-reason",
        replace(23, ",\"reason\":\"digest\"", ""));
    refused(t, 23, "a rejected fault needs field 'reason'");
  }

  // ---- faults ----

  @Test
  void withoutItsDuplicateTheSecondReceiptDiverges() throws Exception {
    // Line 9 duplicates the Commit to rm1, which rm1 receives at lines 10 and 13.
    Path t = edited("twophase/conforming-crash-recovery.ndjson", "no-duplicate", delete(9));
    diverges(t, 12, "no copy of it is in transit from tm to rm1");
  }

  @Test
  void aLostCopyCannotBeReceived() throws Exception {
    // Line 12 drops rm2's vote at the crashed TM; let the TM recover instead, and read it.
    List<String> extra = List.of(
        "{\"seq\":0,\"time\":360,\"kind\":\"action\",\"node\":\"tm\",\"action\":\"TMRecover\",\"params\":{},"
            + "\"sent\":[],\"vars\":{\"tmState\":\"aborted\",\"tmPrepared\":[]},\"vc\":{\"tm\":5,\"rm1\":1,\"rm3\":1}}",
        "{\"seq\":0,\"time\":361,\"kind\":\"action\",\"node\":\"tm\",\"action\":\"TMRcvPrepared\",\"params\":{\"rm\":\"rm2\"},"
            + "\"recv\":{\"from\":\"rm2\",\"msg\":{\"type\":\"Prepared\",\"rm\":\"rm2\"}},\"sent\":[],"
            + "\"vars\":{\"tmState\":\"aborted\",\"tmPrepared\":[\"rm2\"]},\"vc\":{\"tm\":6,\"rm1\":1,\"rm2\":1,\"rm3\":1}}");
    Path t = edited("twophase/conforming-seed7.ndjson", "lost-then-received", l -> {
      l.set(10, l.get(10).replace("\"fault\":\"crash-stop\"", "\"fault\":\"crash-recovery\""));
      l.addAll(12, extra);
      return renumber(l);
    });
    diverges(t, 14, "tm receives {\"type\":\"Prepared\",\"rm\":\"rm2\"} from rm2, but no copy of it is in transit");
  }

  @Test
  void aNodeThatCrashedForGoodTakesNoFurtherStep() throws Exception {
    // The spec's TMRecover is enabled once the TM is down: only the crash-stop claim rules it out.
    String recover = "{\"seq\":0,\"time\":360,\"kind\":\"action\",\"node\":\"tm\",\"action\":\"TMRecover\",\"params\":{},"
        + "\"sent\":[],\"vars\":{\"tmState\":\"aborted\",\"tmPrepared\":[]},\"vc\":{\"tm\":5,\"rm1\":1,\"rm3\":1}}";
    Path t = edited("twophase/conforming-seed7.ndjson", "stopped-tm-recovers", insert(13, recover));
    diverges(t, 13, "tm crashed for good (crash-stop) at ");
  }

  @Test
  void aRecoveryNeedsACrashBeforeIt() throws Exception {
    // Without its crash (line 14), the TM's recovery (line 15) follows nothing.
    Path t = edited("twophase/conforming-crash-recovery.ndjson", "recovery-without-crash", delete(14));
    diverges(t, 14, "tm logs the recovery TMRecover, but it has not crashed");
  }

  @Test
  void aRecoveringNodesFirstStepIsItsRecovery() throws Exception {
    // After its crash (line 14) the TM aborts before it has recovered.
    String abort = "{\"seq\":0,\"time\":200,\"kind\":\"action\",\"node\":\"tm\",\"action\":\"TMAbort\",\"params\":{},"
        + "\"sent\":[],\"vars\":{\"tmState\":\"aborted\",\"tmPrepared\":[]},\"vc\":{\"tm\":6,\"rm1\":1,\"rm2\":1,\"rm3\":1}}";
    Path t = edited("twophase/conforming-crash-recovery.ndjson", "abort-while-down", insert(15, abort));
    diverges(t, 15, "tm is down since its crash at ");
  }

  @Test
  void aFaultTheSystemModelDoesNotHaveDiverges() throws Exception {
    // Two-phase commit's links never lose a message.
    Path t = edited("twophase/conforming-seed7.ndjson", "loss", replace(12,
        "\"fault\":\"lost-at-crashed\"", "\"fault\":\"loss\""));
    diverges(t, 12, "the system model of TwoPhase has no loss faults");
  }

  @Test
  void aPerfectLinkLosesAMessageOnlyOnceItsSenderHasCrashed() throws Exception {
    // The loss of p2's message to p3 (line 5) moved before p2's crash (line 4): the spec's
    // LoseInTransit, which the loss stands for, is not enabled while p2 is alive.
    Path t = edited("broadcast/beb/conforming-sender-crash.ndjson", "loss-before-crash", l -> {
      String loss = l.remove(4);
      l.add(3, loss);
      return renumber(l);
    });
    diverges(t, 4, "LoseInTransit with these parameters is not enabled");
  }

  @Test
  void aMessageDroppedAtACrashedNodeNamesANodeThatIsDown() throws Exception {
    // Move the drop of rm2's vote before the TM's crash.
    Path t = edited("twophase/conforming-seed7.ndjson", "dropped-at-live-tm", l -> {
      String drop = l.remove(11);
      l.add(10, drop.replace("\"time\":353", "\"time\":340"));
      return renumber(l);
    });
    diverges(t, 11, "is said to be dropped at a crashed node, but tm is up");
  }

  // ---- parameters ----

  @Test
  void aParameterOutsideTheSetsNextQuantifiesOverDivergesInBothVerdicts() throws Exception {
    Path t = edited("twophase/conforming-seed7.ndjson", "rm9", replace(4,
        "\"params\":{\"rm\":\"rm1\"},\"recv\":{\"from\":\"rm1\",\"msg\":{\"type\":\"Prepared\",\"rm\":\"rm1\"}}",
        "\"params\":{\"rm\":\"rm9\"}"));
    diverges(t, 4, "TMRcvPrepared");
  }

  @Test
  void aParameterOfTheWrongTypeDivergesInBothVerdicts() throws Exception {
    Path t = edited("twophase/conforming-seed7.ndjson", "rm-is-a-number", replace(4,
        "\"params\":{\"rm\":\"rm1\"},\"recv\":{\"from\":\"rm1\",\"msg\":{\"type\":\"Prepared\",\"rm\":\"rm1\"}}",
        "\"params\":{\"rm\":5}"));
    diverges(t, 4, "TMRcvPrepared");
  }

  // ---- names and numbering: bad input ----

  @Test
  void aMessageToANodeNotInTheHeaderIsRefused() throws Exception {
    refused(edited("twophase/conforming-seed7.ndjson", "to-rm9", replace(8, "{\"to\":\"rm3\"", "{\"to\":\"rm9\"")),
        8, "unknown node 'rm9' in sent.to");
  }

  @Test
  void aReceiptFromANodeNotInTheHeaderIsRefused() throws Exception {
    refused(edited("twophase/conforming-seed7.ndjson", "from-rm9", replace(4, "\"recv\":{\"from\":\"rm1\"",
        "\"recv\":{\"from\":\"rm9\"")), 4, "unknown node 'rm9' in recv.from");
  }

  @Test
  void aClockNamingANodeNotInTheHeaderIsRefused() throws Exception {
    refused(edited("twophase/conforming-seed7.ndjson", "vc-rm9", replace(4, "\"vc\":{\"tm\":1,",
        "\"vc\":{\"rm9\":1,\"tm\":1,")), 4, "vector clock names unknown node 'rm9'");
  }

  @Test
  void aFaultOnALinkToANodeNotInTheHeaderIsRefused() throws Exception {
    refused(edited("twophase/conforming-seed7.ndjson", "drop-at-rm9", replace(12, "\"to\":\"tm\"", "\"to\":\"rm9\"")),
        12, "unknown node 'rm9' in to");
  }

  @Test
  void aGapInSeqIsRefused() throws Exception {
    refused(edited("twophase/conforming-seed7.ndjson", "seq-gap", l -> {
      l.remove(4);
      return l;
    }), 5, "seq 4 follows seq 2: seq goes up by one");
  }

  @Test
  void timeGoingBackIsRefused() throws Exception {
    refused(edited("twophase/conforming-seed7.ndjson", "time-back", replace(6, "\"time\":97", "\"time\":40")),
        6, "time 40 is before the time 75 of line 5");
  }

  @Test
  void aNameTlaCannotHoldIsRefusedAtItsLineByBothVerdicts() throws Exception {
    refused(edited("twophase/conforming-seed7.ndjson", "check-mark",
        replace(8, "{\"type\":\"Abort\"}}]", "{\"type\":\"Abort\u2713\"}}]")), 8, "U+2713");
    refused(edited("twophase/conforming-seed7.ndjson", "accent",
        replace(8, "{\"type\":\"Abort\"}}]", "{\"type\":\"Abort\u00e9\"}}]")), 8, "U+00E9");
    refused(edited("twophase/conforming-seed7.ndjson", "newline",
        replace(8, "{\"type\":\"Abort\"}}]", "{\"type\":\"Ab\\nort\"}}]")), 8, "U+000A");
  }
}
