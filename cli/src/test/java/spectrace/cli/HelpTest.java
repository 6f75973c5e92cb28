package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The help texts. */
class HelpTest {

  private static String help(String... args) {
    StringWriter out = new StringWriter();
    assertEquals(0, Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args));
    return out.toString();
  }

  /**
   * Regression: the top-level help lists each command with the first line of its description,
   * and four of those lines stopped mid-sentence ("... through TLC's").
   */
  @Test
  void theTopLevelHelpGivesEachCommandAWholeSentence() {
    String help = help("--help");
    List<String> commands = help.lines().dropWhile(l -> !l.equals("Commands:")).skip(1)
        .takeWhile(l -> !l.isBlank()).toList();
    assertEquals(13, commands.size(), help);
    for (String c : commands) {
      assertTrue(c.endsWith("."), "cut sentence: " + c);
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String c : List.of("check", "simulate", "validate", "report", "mutants", "bench", "node", "cluster", "client",
        "linearizable", "tlc-server", "tlc-worker")) {
      assertTrue(help(c, "--help").startsWith("Usage: spectrace " + c), c);
    }
  }
}
