package spectrace.trace;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal JSON writer for trace lines: UTF-8 bytes into a buffer of its own, handed to the
 * stream when it fills, on {@link #flush()} and on {@link #close()}. It writes what it is told
 * in the order told and checks no structure: {@link TraceWriter} builds every line the same
 * way, and its tests parse what comes out.
 *
 * <p>It exists for speed: tracing every event of the simulator must cost little, and a general
 * generator's bookkeeping (a context per nesting level, a check per value) cost more than the
 * bytes themselves (see the README's "Tracing costs little"). Its output is byte for byte
 * Jackson's for the same calls: the same escapes ({@code \"}, {@code \\}, {@code \b \t \n \f \r},
 * other control characters as {@code \}{@code u00XX}, a character beyond the Basic
 * Multilingual Plane as its two surrogates escaped), other characters as UTF-8.
 *
 * <p>Names that recur (field names, node ids, action names) are {@link Text}s: encoded once,
 * quotes and all, and copied as bytes.
 *
 * <p>Not thread-safe.
 */
final class JsonOut implements Closeable {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

  /** A string encoded once: its JSON form with the quotes, as UTF-8 bytes. */
  static final class Text {
    final String value;
    final byte[] quoted;

    Text(String value) {
      this.value = value;
      JsonOut j = new JsonOut(null, 32 + value.length() * 6);
      try {
        j.string(value);
      } catch (IOException e) {
        throw new IllegalStateException("cannot happen: the buffer holds the whole string", e);
      }
      this.quoted = java.util.Arrays.copyOf(j.buf, j.pos);
    }

    @Override
    public String toString() {
      return value;
    }
  }

  private static final byte[] DIGIT_TENS = new byte[100];
  private static final byte[] DIGIT_ONES = new byte[100];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_TENS[i] = (byte) ('0' + i / 10);
      DIGIT_ONES[i] = (byte) ('0' + i % 10);
    }
  }

  private final OutputStream out;
  private byte[] buf;
  private final byte[] scratch = new byte[20];
  private int pos;
  /** Bytes handed to the stream so far. */
  private long drained;
  /** True when the next field or element needs a comma before it. */
  private boolean comma;

  /** A writer onto {@code out} (which it closes) with a buffer of {@code buffer} bytes, at least 32. */
  JsonOut(OutputStream out, int buffer) {
    if (buffer < 32) {
      throw new IllegalArgumentException("a buffer of " + buffer + " bytes; at least 32");
    }
    this.out = out;
    this.buf = new byte[buffer];
  }

  /** Makes room for {@code n} bytes, at most 32. */
  private void room(int n) throws IOException {
    if (pos + n > buf.length) {
      drain();
    }
  }

  /** Copies {@code b}, through the buffer or, when it is larger, straight to the stream. */
  private void bytes(byte[] b) throws IOException {
    if (pos + b.length > buf.length) {
      if (out == null) {
        grow(pos + b.length);
      } else {
        drain();
        if (b.length > buf.length) {
          out.write(b);
          drained += b.length;
          return;
        }
      }
    }
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  /** Empties the buffer into the stream; with no stream (a scratch writer), makes it larger instead. */
  private void drain() throws IOException {
    if (out == null) {
      grow(buf.length + 32);
    } else if (pos > 0) {
      out.write(buf, 0, pos);
      drained += pos;
      pos = 0;
    }
  }

  private void grow(int atLeast) {
    buf = java.util.Arrays.copyOf(buf, Math.max(atLeast, buf.length * 2));
  }

  private void separate() throws IOException {
    if (comma) {
      room(1);
      buf[pos++] = ',';
    }
  }

  void startObject() throws IOException {
    separate();
    room(1);
    buf[pos++] = '{';
    comma = false;
  }

  void endObject() throws IOException {
    room(1);
    buf[pos++] = '}';
    comma = true;
  }

  void startArray() throws IOException {
    separate();
    room(1);
    buf[pos++] = '[';
    comma = false;
  }

  void endArray() throws IOException {
    room(1);
    buf[pos++] = ']';
    comma = true;
  }

  /** A field name, encoded once. */
  void field(Text name) throws IOException {
    separate();
    bytes(name.quoted);
    room(1);
    buf[pos++] = ':';
    comma = false;
  }

  /** A field name. */
  void field(String name) throws IOException {
    separate();
    string(name);
    room(1);
    buf[pos++] = ':';
    comma = false;
  }

  /** A string value encoded once. */
  void value(Text s) throws IOException {
    separate();
    bytes(s.quoted);
    comma = true;
  }

  /** A string value. */
  void value(String s) throws IOException {
    separate();
    string(s);
    comma = true;
  }

  void value(long n) throws IOException {
    separate();
    room(20);
    if (n >= 0 && n < 10) {
      buf[pos++] = (byte) ('0' + n);
    } else if (n == Long.MIN_VALUE) {
      System.arraycopy(MIN_LONG, 0, buf, pos, MIN_LONG.length);
      pos += MIN_LONG.length;
    } else {
      if (n < 0) {
        buf[pos++] = '-';
        n = -n;
      }
      // Digits from the right into the scratch, two at a time, in int arithmetic once n fits.
      int at = scratch.length;
      while (n > Integer.MAX_VALUE) {
        long q = n / 100;
        int r = (int) (n - q * 100);
        scratch[--at] = DIGIT_ONES[r];
        scratch[--at] = DIGIT_TENS[r];
        n = q;
      }
      int i = (int) n;
      while (i >= 100) {
        int q = i / 100;
        int r = i - q * 100;
        scratch[--at] = DIGIT_ONES[r];
        scratch[--at] = DIGIT_TENS[r];
        i = q;
      }
      if (i >= 10) {
        scratch[--at] = DIGIT_ONES[i];
        scratch[--at] = DIGIT_TENS[i];
      } else {
        scratch[--at] = (byte) ('0' + i);
      }
      int len = scratch.length - at;
      System.arraycopy(scratch, at, buf, pos, len);
      pos += len;
    }
    comma = true;
  }

  void value(boolean b) throws IOException {
    separate();
    room(5);
    if (b) {
      buf[pos++] = 't';
      buf[pos++] = 'r';
      buf[pos++] = 'u';
      buf[pos++] = 'e';
    } else {
      buf[pos++] = 'f';
      buf[pos++] = 'a';
      buf[pos++] = 'l';
      buf[pos++] = 's';
      buf[pos++] = 'e';
    }
    comma = true;
  }

  /** One value given as the JSON text another writer wrote ({@link #take}). */
  void raw(byte[] json) throws IOException {
    separate();
    bytes(json);
    comma = true;
  }

  /**
   * JSON text another writer wrote, as is: a piece of a value, not necessarily a whole one.
   * {@code endsValue}: whether the text ends a value (so that what follows takes a comma).
   */
  void fragment(byte[] text, boolean endsValue) throws IOException {
    bytes(text);
    comma = endsValue;
  }

  /**
   * The text written so far by a scratch writer (one made with no stream), taken out of it:
   * what is written next continues it, a comma first where the JSON needs one.
   */
  byte[] take() {
    if (out != null) {
      throw new IllegalStateException("JsonOut: take() is for a writer with no stream behind it");
    }
    byte[] b = java.util.Arrays.copyOf(buf, pos);
    pos = 0;
    return b;
  }

  /** Starts afresh: the next value written is a first one, with no comma before it. */
  void restart() {
    comma = false;
  }

  /** Bytes written so far: handed to the stream, or in the buffer. */
  long size() {
    return drained + pos;
  }

  /** Ends a line: the next value starts a new root. */
  void newline() throws IOException {
    room(1);
    buf[pos++] = '\n';
    comma = false;
  }

  /** The quoted, escaped UTF-8 form of {@code s}, at the buffer's end. */
  private void string(String s) throws IOException {
    int n = s.length();
    room(1);
    buf[pos++] = '"';
    for (int i = 0; i < n; i++) {
      if (pos + 12 > buf.length) {
        drain();
      }
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        buf[pos++] = (byte) c;
      } else if (c == '"' || c == '\\') {
        buf[pos++] = '\\';
        buf[pos++] = (byte) c;
      } else if (c < 0x20) {
        buf[pos++] = '\\';
        switch (c) {
          case '\b' -> buf[pos++] = 'b';
          case '\t' -> buf[pos++] = 't';
          case '\n' -> buf[pos++] = 'n';
          case '\f' -> buf[pos++] = 'f';
          case '\r' -> buf[pos++] = 'r';
          default -> {
            buf[pos++] = 'u';
            buf[pos++] = '0';
            buf[pos++] = '0';
            buf[pos++] = HEX[c >> 4];
            buf[pos++] = HEX[c & 0xf];
          }
        }
      } else if (c < 0x800) {
        buf[pos++] = (byte) (0xc0 | c >> 6);
        buf[pos++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        // As Jackson writes a character beyond the Basic Multilingual Plane: its surrogates, escaped.
        escape(c);
        escape(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("a string with an unpaired surrogate (U+" + Integer.toHexString(c)
            + ") has no UTF-8 form");
      } else {
        buf[pos++] = (byte) (0xe0 | c >> 12);
        buf[pos++] = (byte) (0x80 | c >> 6 & 0x3f);
        buf[pos++] = (byte) (0x80 | c & 0x3f);
      }
    }
    room(1);
    buf[pos++] = '"';
  }

  private void escape(char c) {
    buf[pos++] = '\\';
    buf[pos++] = 'u';
    buf[pos++] = HEX[c >> 12 & 0xf];
    buf[pos++] = HEX[c >> 8 & 0xf];
    buf[pos++] = HEX[c >> 4 & 0xf];
    buf[pos++] = HEX[c & 0xf];
  }

  /** Hands what is buffered to the stream, and flushes it. */
  void flush() throws IOException {
    drain();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      drain();
    } finally {
      out.close();
    }
  }
}
