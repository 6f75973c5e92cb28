package spectrace.conformance.tlc;

import java.util.ArrayList;
import java.util.List;

/**
 * A value as TLC prints it, in a form that two TLC processes agree on: TLC orders a record's
 * fields and a set's elements by the order in which it first saw the strings involved, which
 * differs from one process to another. Here record fields, set elements and the pairs of a
 * function ({@code k :> v @@ ...}) are sorted by their own canonical text, whitespace
 * outside strings is dropped, and tuples keep their order.
 */
final class TlaCanonical {

  private final String s;
  private int i;

  private TlaCanonical(String s) {
    this.s = s;
  }

  /** The canonical form of {@code text}; text that does not parse as a value is returned without its whitespace. */
  static String of(String text) {
    TlaCanonical p = new TlaCanonical(text);
    try {
      String v = p.value();
      p.space();
      if (p.i == text.length()) {
        return v;
      }
    } catch (RuntimeException e) {
      // not a printed value: compare it as text
    }
    return text.replaceAll("\\s+", "");
  }

  private String value() {
    space();
    char c = s.charAt(i);
    if (c == '"') {
      int start = i++;
      while (s.charAt(i) != '"') {
        i += s.charAt(i) == '\\' ? 2 : 1;
      }
      i++;
      return s.substring(start, i);
    }
    if (c == '{') {
      i++;
      List<String> items = list('}');
      items.sort(null);
      return "{" + String.join(",", items) + "}";
    }
    if (s.startsWith("<<", i)) {
      i += 2;
      List<String> items = new ArrayList<>();
      space();
      if (!s.startsWith(">>", i)) {
        while (true) {
          items.add(value());
          space();
          if (s.charAt(i) == ',') {
            i++;
            continue;
          }
          break;
        }
      }
      expect(">>");
      return "<<" + String.join(",", items) + ">>";
    }
    if (c == '[') {
      i++;
      List<String> fields = new ArrayList<>();
      while (true) {
        space();
        int start = i;
        while (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_') {
          i++;
        }
        String name = s.substring(start, i);
        space();
        expect("|->");
        fields.add(name + "|->" + value());
        space();
        if (s.charAt(i) == ',') {
          i++;
          continue;
        }
        break;
      }
      expect("]");
      fields.sort(null);
      return "[" + String.join(",", fields) + "]";
    }
    if (c == '(') {
      i++;
      List<String> pairs = new ArrayList<>();
      while (true) {
        String k = value();
        space();
        expect(":>");
        pairs.add(k + ":>" + value());
        space();
        if (s.startsWith("@@", i)) {
          i += 2;
          continue;
        }
        break;
      }
      expect(")");
      pairs.sort(null);
      return "(" + String.join("@@", pairs) + ")";
    }
    int start = i;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_-.".indexOf(s.charAt(i)) >= 0)) {
      i++;
    }
    if (i == start) {
      throw new IllegalArgumentException("no value at " + i);
    }
    return s.substring(start, i);
  }

  private List<String> list(char close) {
    List<String> items = new ArrayList<>();
    space();
    if (s.charAt(i) == close) {
      i++;
      return items;
    }
    while (true) {
      items.add(value());
      space();
      char c = s.charAt(i++);
      if (c == close) {
        return items;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected , or " + close);
      }
    }
  }

  private void expect(String token) {
    space();
    if (!s.startsWith(token, i)) {
      throw new IllegalArgumentException("expected " + token + " at " + i);
    }
    i += token.length();
  }

  private void space() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }
}
