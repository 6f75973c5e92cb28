package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments to every command get one line on stderr that says what to fix, and exit 2:
 * never an "internal error" or a stack trace. Regression: each of these was an internal error
 * (an exception's class and message), an out-of-memory stack trace, or a run that went ahead.
 */
class UserErrorTest {

  @TempDir static Path tmp;

  private static final String PEERS = "tm=127.0.0.1:7301,rm1=127.0.0.1:7302";

  static Stream<Arguments> badArguments() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    String dir = tmp.toString();
    String missing = tmp.resolve("no/such/folder/t.ndjson").toString();
    String secret = tmp.resolve("secret").toString();
    spectrace.net.ClusterSecret.create(tmp.resolve("secret"));
    Path open = Files.writeString(tmp.resolve("open-secret"), "00112233445566778899aabbccddeeff");
    Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Path empty = Files.writeString(tmp.resolve("empty-secret"), "");
    Files.setPosixFilePermissions(empty, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Path shortSecret = Files.writeString(tmp.resolve("short-secret"), "abcdef");
    Files.setPosixFilePermissions(shortSecret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    String[] node = {"node", "twophase", "--id", "tm", "--peers", PEERS, "--data", tmp.resolve("d").toString(),
        "--trace", tmp.resolve("t.ndjson").toString(), "--secret"};
    return Stream.of(
        Arguments.of("Missing required option: '--secret=FILE'",
            java.util.Arrays.copyOf(node, node.length - 1)),
        Arguments.of("--secret " + tmp.resolve("none") + ": no such file", with(node, tmp.resolve("none").toString())),
        Arguments.of("--secret " + open + " is readable by its group and by other users (mode rw-r--r--): make it"
            + " readable by its owner only (chmod 600 " + open + ")", with(node, open.toString())),
        Arguments.of("--secret " + empty + " is empty", with(node, empty.toString())),
        Arguments.of("--secret " + shortSecret + ": the secret is too short, 3 bytes; at least 16",
            with(node, shortSecret.toString())),
        Arguments.of("--secret " + dir + " is a folder", with(node, dir)),
        Arguments.of("--sizes: each size must be from 1 to 10,000,000 steps (a trace of about 3 GB), not 0",
            new String[] {"bench", "validate", "--sizes", "0"}),
        Arguments.of("--sizes: each size must be from 1 to 10,000,000 steps (a trace of about 3 GB), not -5",
            new String[] {"bench", "validate", "--sizes", "10,-5"}),
        Arguments.of("--sizes: each size must be from 1 to 10,000,000 steps (a trace of about 3 GB), not 99,999,999,999",
            new String[] {"bench", "validate", "--sizes", "99999999999"}),
        Arguments.of("--tick-ms must be from 1 to 1000, not 100000",
            new String[] {"cluster", "twophase", "--tick-ms", "100000"}),
        Arguments.of("--svg " + missing + ": no such folder", new String[] {"bench", "gossip", "--svg", missing}),
        Arguments.of("--svg " + dir + " is a folder", new String[] {"bench", "gossip", "--svg", dir}),
        Arguments.of("--round-seconds must be a number greater than 0, not NaN",
            new String[] {"bench", "simulator", "--round-seconds", "NaN"}),
        Arguments.of("--nodes must be from 2 to 2,000, not 100,000", new String[] {"bench", "validate", "--nodes", "100000"}),
        Arguments.of("--trace " + dir + " is a folder: give the name of a file to write",
            new String[] {"node", "twophase", "--id", "tm", "--peers", PEERS, "--data", tmp.resolve("d").toString(),
                "--trace", dir, "--secret", secret}),
        Arguments.of("--trace " + missing + ": no such folder",
            new String[] {"node", "twophase", "--id", "tm", "--peers", PEERS, "--data", tmp.resolve("d").toString(),
                "--trace", missing, "--secret", secret}),
        Arguments.of("--data " + file + " is a file, not a folder",
            new String[] {"node", "twophase", "--id", "tm", "--peers", PEERS, "--data", file.toString(),
                "--trace", tmp.resolve("t.ndjson").toString(), "--secret", secret}),
        Arguments.of("--peers: tm and rm1 have the same address 127.0.0.1:7301: give each node a port of its own",
            new String[] {"node", "twophase", "--id", "tm", "--peers", "tm=127.0.0.1:7301,rm1=127.0.0.1:7301", "--data",
                tmp.resolve("d").toString(), "--trace", tmp.resolve("t.ndjson").toString(), "--secret", secret}),
        Arguments.of("--dir " + file + " is a file, not a folder", new String[] {"cluster", "twophase", "--dir", file.toString()}),
        Arguments.of("--dir " + dir + " is not empty: give a new or empty folder", new String[] {"cluster", "twophase", "--dir", dir}),
        Arguments.of("--nodes: a cluster runs at most 64 node processes, not 100000",
            new String[] {"cluster", "twophase", "--nodes", "100000"}),
        Arguments.of("--duration must be a number greater than 0, not NaN", new String[] {"cluster", "twophase", "--duration", "NaN"}),
        Arguments.of("--round-timeout must be a number greater than 0, not Infinity",
            new String[] {"cluster", "twophase", "--round-timeout", "Infinity"}),
        Arguments.of("--nodes: the simulator runs at most 2,000 nodes, not 100,000",
            new String[] {"simulate", "twophase", "--nodes", "100000"}),
        Arguments.of("--nodes: the simulator runs at most 2,000 nodes, not 5,000",
            new String[] {"mutants", "twophase", "--nodes", "5000", "--seeds", "1"}),
        Arguments.of("--faults none means no faults: give it alone", new String[] {"simulate", "twophase", "--faults", "none,loss"}),
        Arguments.of("--trace needs a file name", new String[] {"simulate", "twophase", "--trace", ""}),
        Arguments.of("--trace " + dir + " is a folder", new String[] {"simulate", "twophase", "--trace", dir}),
        Arguments.of(dir + ": no manifest.json in this folder", new String[] {"check", dir}),
        Arguments.of("--workers must be a number from 1 to 1000, or 'auto', not '9999'",
            new String[] {"check", "twophase", "--workers", "9999"}));
  }

  private static String[] with(String[] args, String last) {
    String[] a = java.util.Arrays.copyOf(args, args.length + 1);
    a[args.length] = last;
    return a;
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badArguments")
  void aBadArgumentIsOneLineThatSaysWhatToFix(String expected, String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(2, Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args), () -> out + "\n" + err);
    String e = err.toString();
    assertTrue(e.startsWith("error: " + expected) || e.startsWith(args[0] + ": " + expected), e);
    // A usage error adds where to read the usage; an error of the input is its one line.
    assertEquals(e.startsWith("error: ") ? 1 : 2, e.strip().lines().count(), e);
    assertFalse(e.contains("internal error") || e.contains("\tat "), e);
  }
}
