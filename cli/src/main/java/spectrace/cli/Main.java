package spectrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./spectrace} command line. */
@Command(
    name = "spectrace",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Distributed protocols specified in TLA+, implemented in Java, checked against each other.",
    subcommands = {CheckCommand.class, SimulateCommand.class, ValidateCommand.class, ReportCommand.class, MutantsCommand.class, BenchCommand.class,
        NodeCommand.class, ClusterCommand.class, ClientCommand.class, LinearizableCommand.class,
        TlcServerCommand.class, TlcWorkerCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 success, 1 a violation or divergence was found, 2 bad input or usage.",
        "Run 'spectrace <command> --help' for a command's options."})
public final class Main implements Runnable {

  /** Exit code for success. */
  public static final int OK = 0;
  /** Exit code when the tool found what it was looking for: a violation, a divergence. */
  public static final int FOUND = 1;
  /** Exit code for bad input or usage. */
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    // Help texts are written as lines of at most 88 characters; keep them as written.
    cl.setUsageHelpWidth(100);
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println(cmd.getCommandName() + ": " + ex.getMessage());
      cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof UserError u) {
        cmd.getErr().println("error: " + u.getMessage());
        return USAGE;
      }
      cmd.getErr().println("internal error: " + ex);
      if (System.getenv("SPECTRACE_DEBUG") != null) {
        ex.printStackTrace(cmd.getErr());
      } else {
        cmd.getErr().println("(set SPECTRACE_DEBUG=1 for the stack trace)");
      }
      return USAGE;
    });
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      err.println("error: out of memory (" + e.getMessage() + "): give fewer nodes, steps or events, or the JVM more"
          + " heap, e.g. JAVA_TOOL_OPTIONS=-Xmx8g ./spectrace ...");
      return USAGE;
    } catch (StackOverflowError e) {
      if (System.getenv("SPECTRACE_DEBUG") != null) {
        StackTraceElement[] st = e.getStackTrace();
        // The innermost frames, then the outermost (where the recursion began).
        for (int k = 0; k < st.length; k++) {
          if (k < 40 || k >= st.length - 40) {
            err.println("  at " + st[k]);
          }
        }
      }
      err.println("error: out of stack: give the JVM a larger one, e.g. JAVA_TOOL_OPTIONS=-Xss16m ./spectrace ...");
      return USAGE;
    }
  }

  /**
   * A size in bytes as a user writes it: a number, optionally followed by K, M or G (powers
   * of 1,024; case and a trailing B or iB ignored).
   *
   * @throws UserError naming {@code option} when it is not a positive size
   */
  static long parseSize(String option, String text) {
    String t = text.strip().toUpperCase(java.util.Locale.ROOT);
    if (t.endsWith("IB")) {
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith("B")) {
      t = t.substring(0, t.length() - 1);
    }
    int shift = 0;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'K' -> shift = 10;
        case 'M' -> shift = 20;
        case 'G' -> shift = 30;
        case 'T' -> shift = 40;
        default -> shift = 0;
      }
    }
    String number = shift == 0 ? t : t.substring(0, t.length() - 1);
    long n;
    try {
      n = Long.parseLong(number.strip());
    } catch (NumberFormatException e) {
      throw new UserError(option + " must be a size such as 500M or 2G, not '" + text + "'");
    }
    if (n < 1 || n > (Long.MAX_VALUE >> shift)) {
      throw new UserError(option + " must be a positive size such as 500M or 2G, not '" + text + "'");
    }
    return n << shift;
  }

  /** The most nodes a run on the simulator may have: its links are a table of N x N. */
  static final int MAX_SIMULATED_NODES = 2_000;

  /**
   * Refuses, as a user error naming {@code option}, an output file that is a folder or whose
   * folder does not exist.
   */
  static void checkOutputFile(String option, Path file) {
    if (file.toString().isBlank()) {
      throw new UserError(option + " needs a file name");
    }
    if (Files.isDirectory(file)) {
      throw new UserError(option + " " + file + " is a folder: give the name of a file to write");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new UserError(option + " " + file + ": no such folder " + parent);
    }
  }

  /** Creates the folder {@code dir} for {@code option}, or refuses it as a user error saying why. */
  static Path createFolder(String option, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError(option + " " + dir + " is a file, not a folder");
    }
    try {
      return Files.createDirectories(dir);
    } catch (IOException | SecurityException e) {
      throw new UserError(option + " " + dir + ": cannot create the folder (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")");
    }
  }

  /** Refuses a number that is not finite, or below {@code min} (or at it, unless {@code orEqual}). */
  static void checkNumber(String option, double value, double min, boolean orEqual) {
    if (!Double.isFinite(value) || value < min || (!orEqual && value == min)) {
      throw new UserError(option + " must be a number " + (orEqual ? "of at least " : "greater than ") + number(min)
          + ", not " + number(value));
    }
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** Bad input that the user can fix: printed as one line, exit 2. */
  public static final class UserError extends RuntimeException {
    public UserError(String message) {
      super(message);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"spectrace " + (v == null ? "(development build)" : v)};
    }
  }
}
