package spectrace.kv;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Writes a client history as NDJSON, format {@value #FORMAT}: a header line
 * {@code {"format":"spectrace-history/1","model":"kv","source":"..."}}, then one line per
 * {@link HistoryEvent}, e.g. {@code {"process":"c1","type":"invoke","f":"put","key":"k1","value":3,"time":120}}.
 * The value is a put's integer, a get's integer or null, a cas's {@code [expected, new]}.
 *
 * <p>Each line is handed to the stream and the stream flushed before {@link #write} returns,
 * so that a runtime killed mid-run loses no event it had written (a file stream's flush puts
 * the bytes in the operating system's hands; surviving a power cut would need an fsync).
 *
 * <p>Not thread-safe: one writer per history, written from one thread.
 */
public final class HistoryWriter implements Closeable {

  /** The format name and version in every header. */
  public static final String FORMAT = "spectrace-history/1";

  /** The model the history's operations are checked against. */
  public static final String MODEL = "kv";

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final JsonGenerator g;
  private long lines;
  private long lastTime = Long.MIN_VALUE;

  /**
   * A writer onto {@code out}, which it closes; writes the header, naming where the history
   * comes from in {@code source} (free text: the protocol, the seed, the cluster).
   */
  public HistoryWriter(OutputStream out, String source) throws IOException {
    g = JSON.createGenerator(out, JsonEncoding.UTF8);
    g.setRootValueSeparator(null); // lines end with '\n', written below; nothing between them
    g.writeStartObject();
    g.writeStringField("format", FORMAT);
    g.writeStringField("model", MODEL);
    g.writeStringField("source", source);
    g.writeEndObject();
    endLine();
  }

  /**
   * One event, on its own line, flushed to the stream.
   *
   * @throws IllegalArgumentException for an event earlier than the one before (times are
   *                                  non-decreasing down a history); nothing is written
   */
  public void write(HistoryEvent e) throws IOException {
    if (e.time() < lastTime) {
      throw new IllegalArgumentException("history time goes back, from " + lastTime + " to " + e.time() + " at line "
          + (lines + 1) + " (" + e.process() + " " + e.type().lowerCase() + " " + e.f().lowerCase() + ")");
    }
    lastTime = e.time();
    g.writeStartObject();
    g.writeStringField("process", e.process());
    g.writeStringField("type", e.type().lowerCase());
    g.writeStringField("f", e.f().lowerCase());
    g.writeStringField("key", e.key());
    g.writeFieldName("value");
    if (e.f() == Op.CAS) {
      g.writeStartArray();
      g.writeNumber(e.expected());
      g.writeNumber(e.value());
      g.writeEndArray();
    } else if (e.present()) {
      g.writeNumber(e.value());
    } else {
      g.writeNull();
    }
    g.writeNumberField("time", e.time());
    g.writeEndObject();
    endLine();
  }

  /**
   * This writer as a listener for {@link KvClients}: each event written as it is recorded; a
   * failure to write is an {@link UncheckedIOException}.
   */
  public Consumer<HistoryEvent> listener() {
    return e -> {
      try {
        write(e);
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    };
  }

  /** Lines written so far, the header included. */
  public long lines() {
    return lines;
  }

  private void endLine() throws IOException {
    g.writeRaw('\n');
    g.flush();
    lines++;
  }

  @Override
  public void close() throws IOException {
    g.close();
  }
}
