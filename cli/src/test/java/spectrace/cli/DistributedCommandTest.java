package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import spectrace.conformance.ModelFacts;
import spectrace.conformance.SpecLoader;
import spectrace.tlc.Specs;

/**
 * {@code check --distributed}, {@code tlc-server} and {@code tlc-worker}: what they refuse,
 * each in one line, before any TLC server starts; and the model facts the refusals rest on.
 */
class DistributedCommandTest {

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void modelFactsNameTemporalPropertiesAndTheDeadlockSetting() throws Exception {
    java.nio.file.Path twophase = Specs.locate().root().resolve("twophase");
    ModelFacts liveness = SpecLoader.modelFacts(twophase, "MCTwoPhase", "MCTwoPhaseLiveness.cfg");
    assertEquals(List.of("TerminationProp"), liveness.temporalProperties());
    ModelFacts large = SpecLoader.modelFacts(twophase, "MCTwoPhase", "MCTwoPhaseLarge.cfg");
    assertEquals(new ModelFacts(List.of(), List.of(), false), large);
    // MCRaft's PROPERTIES is an action property ([][A]_v), which distributed TLC checks: not temporal.
    ModelFacts raft = SpecLoader.modelFacts(Specs.locate().root().resolve("raft"), "MCRaft", "MCRaft.cfg");
    assertEquals(List.of(), raft.temporalProperties());
    assertEquals(List.of("BoundConstraint", "FullBatchConstraint", "MsgConstraint"), raft.actionConstraints());
    assertEquals(List.of(), SpecLoader.modelFacts(Specs.locate().root().resolve("raft"), "MCRaft", "MCRaftLarge.cfg")
        .actionConstraints());
  }

  @Test
  void whatDistributedTlcCannotDoIsRefusedInOneLine() {
    String[][] cases = {
        {"check", "twophase", "--model", "MCTwoPhaseLiveness", "--distributed"},
        {"check", "twophase", "--distributed", "--simulate"},
        {"check", "raft", "--distributed"},
        {"check", "twophase", "--distributed", "--workers", "2"},
        {"check", "pbft", "--model", "MCPBFTLargeReachLaterView", "--distributed"},
        {"check", "twophase", "--local-workers", "2"},
        {"check", "--all", "--distributed"},
        {"check", "twophase", "--distributed", "--local-workers", "0", "--host", "127.0.0.1"},
        {"check", "twophase", "--distributed", "--local-workers", "-1"},
        {"check", "twophase", "--distributed", "--port", "70000"},
        {"check", "twophase", "--distributed", "--host", "no-such-host.invalid"},
        {"tlc-server", "twophase", "--host", "127.0.0.1"},
        {"tlc-server", "twophase", "--host", "example.invalid", "--worker-threads", "2"},
        {"tlc-worker", "localhost:x"},
        {"tlc-worker", "localhost:0"},
        {"tlc-worker", ":10997"},
        {"tlc-worker", "localhost", "--threads", "0"},
    };
    String[] expected = {
        "error: TLC's distributed mode checks no temporal property, and MCTwoPhase with MCTwoPhaseLiveness.cfg has"
            + " TerminationProp: check it without --distributed",
        "error: --distributed and --simulate: TLC's distributed mode explores every state; it does not simulate",
        "error: TLC's distributed mode applies ACTION_CONSTRAINTs after it has marked a state seen, and so misses"
            + " states (MCRaft: 7,607 of 8,417), and MCRaft with MCRaft.cfg has BoundConstraint, FullBatchConstraint,"
            + " MsgConstraint: check it without --distributed, or bound it with state CONSTRAINTs",
        "error: --workers sets the threads of a local run; with --distributed, give --local-workers and"
            + " --worker-threads",
        "error: pbft / MCPBFTLargeReachLaterView is checked by simulation (its manifest entry), and TLC's distributed"
            + " mode does not simulate: check it without --distributed",
        "check: --local-workers, --host, --port and --worker-threads need --distributed",
        "check: --distributed needs a SPEC",
        "error: a server on loopback (--host 127.0.0.1) can have local workers only, and --local-workers is 0:",
        "error: --local-workers must be from 0 to 64, not -1",
        "error: --port must be from 1 to 65535, not 70000",
        "error: --host no-such-host.invalid: no such host",
        "error: a server on loopback (--host 127.0.0.1) can have local workers only, and --local-workers is 0:",
        "error: --worker-threads sets the threads of local workers, and there are none (--local-workers 0);",
        "error: HOST[:PORT]: 'x' is not a port",
        "error: HOST[:PORT]: the port must be from 1 to 65535, not 0",
        "error: HOST[:PORT]: no host in ':10997'",
        "error: --threads must be from 1 to 1000, not 0",
    };
    for (int i = 0; i < cases.length; i++) {
      String what = String.join(" ", cases[i]);
      assertEquals(Main.USAGE, run(cases[i]), what + "\n" + out + err);
      assertTrue(err.toString().startsWith(expected[i]), what + ": " + err);
      assertTrue(!err.toString().contains("\tat "), what + ": a stack trace: " + err);
    }
  }
}
