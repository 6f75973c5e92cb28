package spectrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network that keeps every message sent grows with the trace; the engine forgets a message
 * once no copy of it is in transit, but only for a spec whose actions cannot be enabled by a
 * message's absence. Here {@code SendOnce} sends only a message never sent before: forgetting
 * the first copy after its receipt would let the second send conform, which the spec forbids.
 */
class ForgottenMessagesTest {

  @TempDir Path dir;
  private Path specs;

  @BeforeEach
  void spec() throws Exception {
    specs = dir.resolve("specs");
    Path net = Files.createDirectories(specs.resolve("net"));
    Files.writeString(net.resolve("Net.tla"), """
        ---- MODULE Net ----
        EXTENDS Naturals
        VARIABLES msgs, got
        Init == msgs = {} /\\ got = 0
        P(i, j, v) == [from |-> i, to |-> j, msg |-> [v |-> v]]
        \\* i sends v to j.
        Send(i, j, v) == msgs' = msgs \\cup {P(i, j, v)} /\\ UNCHANGED got
        \\* i sends v to j, unless it ever did: a guard on a message's absence.
        SendOnce(i, j, v) == P(i, j, v) \\notin msgs /\\ Send(i, j, v)
        \\* i receives m from j.
        Recv(i, j, m) == [from |-> j, to |-> i, msg |-> m] \\in msgs /\\ got' = got + 1 /\\ UNCHANGED msgs
        N == {"a", "b"}
        Next == \\E i, j \\in N : \\E v \\in {1} : Send(i, j, v) \\/ SendOnce(i, j, v) \\/ \\E m \\in {[v |-> 1]} : Recv(i, j, m)
        ====
        """);
    Files.writeString(net.resolve("conformance.json"), """
        {"module": "Net", "init": "Init", "next": "Next", "invariants": [],
         "network": {"variable": "msgs", "shape": "set", "elements": "packets", "consumes": false},
         "actors": {"Send": {"param": "i"}, "SendOnce": {"param": "i"}, "Recv": {"param": "i"}}}
        """);
  }

  /** a sends 1 to b with {@code send}, b receives it, a sends it again with {@code send}. */
  private Path trace(String send) throws Exception {
    String h = "{\"format\":\"spectrace-trace/2\",\"protocol\":\"net\",\"module\":\"Net\",\"constants\":{},"
        + "\"nodes\":[\"a\",\"b\"],\"seed\":0,\"variables\":{}}\n";
    String sent = "\"sent\":[{\"to\":\"b\",\"msg\":{\"v\":1}}]";
    String e0 = "{\"seq\":0,\"time\":0,\"kind\":\"action\",\"node\":\"a\",\"action\":\"" + send + "\",\"params\":{\"i\":\"a\","
        + "\"j\":\"b\",\"v\":1}," + sent + ",\"vars\":{},\"vc\":{\"a\":1}}\n";
    String e1 = "{\"seq\":1,\"time\":1,\"kind\":\"action\",\"node\":\"b\",\"action\":\"Recv\",\"params\":{\"i\":\"b\","
        + "\"j\":\"a\",\"m\":{\"v\":1}},\"recv\":{\"from\":\"a\",\"msg\":{\"v\":1}},\"sent\":[],\"vars\":{},"
        + "\"vc\":{\"a\":1,\"b\":1}}\n";
    String e2 = "{\"seq\":2,\"time\":2,\"kind\":\"action\",\"node\":\"a\",\"action\":\"" + send + "\",\"params\":{\"i\":\"a\","
        + "\"j\":\"b\",\"v\":1}," + sent + ",\"vars\":{},\"vc\":{\"a\":2,\"b\":1}}\n";
    return Files.writeString(dir.resolve(send + ".ndjson"), h + e0 + e1 + e2);
  }

  @Test
  void aMessageWhoseAbsenceEnablesAnActionIsNotForgotten() throws Exception {
    Path t = trace("SendOnce");
    Divergence d = new Validator(specs).validate(List.of(t), Validator.Progress.NONE).divergence();
    assertNotNull(d, "the second SendOnce conformed: the received message was forgotten");
    assertEquals(t + ":4", d.where(), d.toString());
  }

  @Test
  void resendingAfterTheLastCopyWasReceivedConformsWhereTheSpecAllowsIt() throws Exception {
    Divergence d = new Validator(specs).validate(List.of(trace("Send")), Validator.Progress.NONE).divergence();
    assertNull(d, String.valueOf(d));
  }
}
