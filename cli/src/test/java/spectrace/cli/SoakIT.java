package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.core.Fault;
import spectrace.core.Protocol;
import spectrace.protocols.Protocols;

/**
 * A soak: clusters of real processes, round after round for a fixed time, under the crashes
 * each protocol's system model allows, a SIGKILL every second ({@code --kill-every 1}): with a
 * restart where nodes recover (two-phase commit's TM), for good where they crash-stop (up to
 * the model's bound a round), none where the model has no failures we can run (lrb's fail-stop
 * needs a perfect failure detector; Maekawa's nodes never fail).
 * Every round must finish, keep the protocol's properties on what its nodes reported (a
 * decision reversed or missing after a recovery fails its round) and conform to the spec.
 *
 * <p>In {@code mvn verify} it runs its short form: two-phase commit, the one protocol whose
 * nodes are killed and restarted, for {@value #SHORT_SECONDS} s with a kill every second. The
 * long form, whose figures the README gives, runs every protocol:
 * {@code mvn -o verify -pl cli -Dit.test=SoakIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dspectrace.soak.seconds=60 -Dspectrace.soak.protocols=all}.
 */
class SoakIT {

  static final int SHORT_SECONDS = 12;

  @TempDir Path tmp;

  /** One protocol's soak: its summary line's figures. */
  private record Soaked(String protocol, int rounds, int kills, int recoveries, long events, String line) {}

  private static final Pattern SUMMARY = Pattern.compile(
      "(\\d+) rounds: .*; (\\d+) kills, (\\d+) recoveries; ([\\d,]+) events validated; every round finished, kept its"
          + " properties and conforms");

  @Test
  void everyRoundFinishesKeepsItsPropertiesAndConformsUnderTheCrashesItsModelAllows() {
    int seconds = Integer.getInteger("spectrace.soak.seconds", SHORT_SECONDS);
    List<String> protocols = System.getProperty("spectrace.soak.protocols", "twophase").equals("all")
        ? Protocols.names() : List.of(System.getProperty("spectrace.soak.protocols", "twophase").split(","));
    List<Soaked> all = new ArrayList<>();
    for (String p : protocols) {
      all.add(soak(p, seconds));
    }
    for (Soaked s : all) {
      System.out.printf("soak %-8s %3d s: %s%n", s.protocol(), seconds, s.line());
    }
    Soaked twophase = all.stream().filter(s -> s.protocol().equals("twophase")).findFirst().orElse(null);
    if (twophase != null) {
      assertTrue(twophase.kills() > 0 && twophase.recoveries() == twophase.kills(),
          "the TM was killed and recovered each time: " + twophase.line());
    }
  }

  private Soaked soak(String name, int seconds) {
    Protocol<?> protocol = Protocols.get(name);
    List<String> args = new ArrayList<>(List.of("cluster", name, "--duration", Integer.toString(seconds),
        "--seed", "1", "--round-timeout", "30", "--dir", tmp.resolve(name).toString()));
    if (protocol.model().allows(Fault.CRASH_RECOVERY)
        || protocol.model().allows(Fault.CRASH_STOP) && protocol.model().maxFaulty() > 0) {
      args.addAll(List.of("--kill-every", "1"));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    String o = out.toString();
    assertEquals(0, code, () -> String.join(" ", args) + "\n" + o + err);
    List<String> lines = o.strip().lines().toList();
    String last = lines.get(lines.size() - 1);
    Matcher m = SUMMARY.matcher(last);
    assertTrue(m.matches(), last);
    int rounds = Integer.parseInt(m.group(1));
    assertTrue(rounds >= 1, last);
    assertEquals(rounds, lines.stream().filter(l -> l.startsWith("round ")).filter(l -> l.contains(" conform;")).count(),
        () -> "each round's traces conform: " + o);
    return new Soaked(name, rounds, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
        Long.parseLong(m.group(4).replace(",", "")), last);
  }
}
