package spectrace.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** JsonOut writes, for the same calls, the bytes Jackson's generator writes. */
class JsonOutTest {

  /** One writer's calls, made on both. */
  private interface Both {
    void startObject() throws IOException;

    void endObject() throws IOException;

    void startArray() throws IOException;

    void endArray() throws IOException;

    void field(String name, boolean once) throws IOException;

    void string(String s, boolean once) throws IOException;

    void number(long n) throws IOException;

    void bool(boolean b) throws IOException;

    void newline() throws IOException;
  }

  private static final class Pair implements Both {
    final ByteArrayOutputStream jacksonBytes = new ByteArrayOutputStream();
    final ByteArrayOutputStream ourBytes = new ByteArrayOutputStream();
    final JsonGenerator g;
    final JsonOut j = new JsonOut(ourBytes, 64);

    Pair() throws IOException {
      g = new JsonFactory().createGenerator(jacksonBytes, JsonEncoding.UTF8);
      g.setRootValueSeparator(null);
    }

    public void startObject() throws IOException {
      g.writeStartObject();
      j.startObject();
    }

    public void endObject() throws IOException {
      g.writeEndObject();
      j.endObject();
    }

    public void startArray() throws IOException {
      g.writeStartArray();
      j.startArray();
    }

    public void endArray() throws IOException {
      g.writeEndArray();
      j.endArray();
    }

    public void field(String name, boolean once) throws IOException {
      g.writeFieldName(name);
      if (once) {
        j.field(new JsonOut.Text(name));
      } else {
        j.field(name);
      }
    }

    public void string(String s, boolean once) throws IOException {
      g.writeString(s);
      if (once) {
        j.value(new JsonOut.Text(s));
      } else {
        j.value(s);
      }
    }

    public void number(long n) throws IOException {
      g.writeNumber(n);
      j.value(n);
    }

    public void bool(boolean b) throws IOException {
      g.writeBoolean(b);
      j.value(b);
    }

    public void newline() throws IOException {
      g.writeRaw('\n');
      j.newline();
    }
  }

  private static String randomString(SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(r.nextInt(10) == 0 ? 200 : 12);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(8)) {
        case 0 -> b.append((char) r.nextInt(0x20));
        case 1 -> b.append(r.nextBoolean() ? '"' : '\\');
        case 2 -> b.append((char) (0x7f + r.nextInt(0x800 - 0x7f)));
        case 3 -> b.append((char) (0x800 + r.nextInt(0xd800 - 0x800)));
        case 4 -> b.appendCodePoint(0x10000 + r.nextInt(0x10ffff - 0x10000));
        default -> b.append((char) (0x20 + r.nextInt(0x5f)));
      }
    }
    return b.toString();
  }

  private static long randomNumber(SplittableRandom r) {
    return switch (r.nextInt(5)) {
      case 0 -> Long.MIN_VALUE + r.nextInt(3);
      case 1 -> Long.MAX_VALUE - r.nextInt(3);
      case 2 -> r.nextLong();
      default -> r.nextInt(-1000, 100_000);
    };
  }

  private static void value(Both w, SplittableRandom r, int depth) throws IOException {
    int k = depth > 4 ? r.nextInt(3) : r.nextInt(5);
    switch (k) {
      case 0 -> w.string(randomString(r), r.nextBoolean());
      case 1 -> w.number(randomNumber(r));
      case 2 -> w.bool(r.nextBoolean());
      case 3 -> {
        w.startArray();
        for (int i = r.nextInt(5); i > 0; i--) {
          value(w, r, depth + 1);
        }
        w.endArray();
      }
      default -> {
        w.startObject();
        for (int i = r.nextInt(5); i > 0; i--) {
          w.field(randomString(r), r.nextBoolean());
          value(w, r, depth + 1);
        }
        w.endObject();
      }
    }
  }

  @Test
  void tenThousandRandomLinesAreByteForByteJacksons() throws IOException {
    long seed = 20261201;
    SplittableRandom r = new SplittableRandom(seed);
    Pair p = new Pair();
    for (int line = 0; line < 10_000; line++) {
      p.startObject();
      for (int i = r.nextInt(6); i > 0; i--) {
        p.field(randomString(r), r.nextBoolean());
        value(p, r, 0);
      }
      p.endObject();
      p.newline();
    }
    p.g.flush();
    p.j.flush();
    byte[] expected = p.jacksonBytes.toByteArray();
    byte[] actual = p.ourBytes.toByteArray();
    for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
      if (expected[i] != actual[i]) {
        int from = Math.max(0, i - 40);
        throw new AssertionError("seed " + seed + ": first difference at byte " + i + ": Jackson wrote ..."
            + new String(expected, from, Math.min(80, expected.length - from), java.nio.charset.StandardCharsets.UTF_8)
            + "... and JsonOut ..."
            + new String(actual, from, Math.min(80, actual.length - from), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    assertEquals(expected.length, actual.length, "seed " + seed + ": lengths");
    assertArrayEquals(expected, actual, "seed " + seed);
    // And each line parses back.
    JsonFactory f = new JsonFactory();
    int lines = 0;
    for (String line : new String(actual, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      try (JsonParser parser = f.createParser(line)) {
        while (parser.nextToken() != null) {
          // reads every token: a malformed line throws
        }
      }
      lines++;
    }
    assertEquals(10_000, lines);
  }

  @Test
  void anUnpairedSurrogateIsRefused() {
    JsonOut j = new JsonOut(new ByteArrayOutputStream(), 64);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> j.value("a\ud800b"));
    assertEquals("a string with an unpaired surrogate (U+d800) has no UTF-8 form", e.getMessage());
  }
}
