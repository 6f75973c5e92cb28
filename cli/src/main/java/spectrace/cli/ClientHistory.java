package spectrace.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import spectrace.conformance.TraceException;
import spectrace.core.Clients;
import spectrace.history.History;
import spectrace.history.HistoryReader;
import spectrace.history.LinearizabilityChecker;

/**
 * A run's client history as the checker sees it: written by the clients in the history format
 * and read back by the same reader as a history file, so that every run checks the format end
 * to end. Shared by simulate, cluster, the mutant tables and the tests.
 */
final class ClientHistory {

  private ClientHistory() {}

  /** What {@code clients} saw, in the history format, saying it is of {@code source}. */
  static byte[] text(Clients clients, String source) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      clients.writeHistory(out, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return out.toByteArray();
  }

  /**
   * {@code text} read as the history named {@code name}.
   *
   * @throws IllegalStateException when the reader refuses what the clients wrote: a bug of ours
   */
  static History read(String name, byte[] text) {
    try {
      return HistoryReader.read(name, new StringReader(new String(text, StandardCharsets.UTF_8)));
    } catch (TraceException e) {
      throw new IllegalStateException("the clients' history does not read back: " + e.getMessage(), e);
    }
  }

  /** Whether what {@code clients} saw is linearizable (with the checker's default bound). */
  static LinearizabilityChecker.Result check(Clients clients, String source) {
    return LinearizabilityChecker.kv().check(read("the run's history", text(clients, source)));
  }
}
