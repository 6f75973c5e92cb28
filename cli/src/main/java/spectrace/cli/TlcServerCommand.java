package spectrace.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spectrace tlc-server}: a model on TLC's distributed mode, served to workers on other machines. */
@Command(
    name = "tlc-server",
    mixinStandardHelpOptions = true,
    description = {
        "Serve a model to TLC workers on other machines (TLC's distributed mode).",
        "",
        "The same as 'spectrace check SPEC --model M --distributed' with no local worker by",
        "default: the server computes the initial states, then waits; on each machine that",
        "is to work, run 'spectrace tlc-worker HOST:PORT'. Workers may join at any time and",
        "leave (a lost worker's states go back on the queue). The verdict, the counterexample",
        "and the distinct-state count are the server's, printed here.",
        "",
        "Java RMI carries the work unauthenticated: run it on a network you trust."},
    footer = {"", "Exit codes as 'spectrace check': 0 no error found, 1 a violation, 2 bad usage or an error."})
final class TlcServerCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SPEC", description = "The spec to check (a folder under specs/, or a .tla).")
  String specName;

  @Option(names = "--model", paramLabel = "NAME", description = "The model to check (default: the spec's first CI model).")
  String modelName;

  @Option(names = "--report", paramLabel = "FILE", description = "Write a counterexample as a sequence diagram (HTML).")
  Path report;

  @CommandLine.Mixin DistributedOptions dist = new DistributedOptions();

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    CheckCommand check = new CheckCommand();
    check.specName = specName;
    check.modelName = modelName;
    check.report = report;
    check.workers = "auto";
    check.distributed = true;
    check.dist = dist;
    check.defaultLocalWorkers = 0;
    check.command = command;
    return check.call();
  }
}
