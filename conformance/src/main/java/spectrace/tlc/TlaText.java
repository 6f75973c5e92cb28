package spectrace.tlc;

/** Reading a TLA+ module's text without a parser: what the spec tools need of it. */
public final class TlaText {

  private TlaText() {}

  /**
   * {@code tla} with its comments ({@code (* *)}, nested, and {@code \\*} to the end of the
   * line) and its string literals blanked out: every other character, and every line break,
   * stays where it was, so that positions in the result are positions in the module.
   */
  public static String withoutComments(String tla) {
    StringBuilder out = new StringBuilder(tla.length());
    int depth = 0;
    boolean lineComment = false;
    boolean string = false;
    for (int i = 0; i < tla.length(); i++) {
      char c = tla.charAt(i);
      char next = i + 1 < tla.length() ? tla.charAt(i + 1) : 0;
      if (c == '\n') {
        lineComment = false;
        string = false;
        out.append(c);
      } else if (lineComment) {
        out.append(' ');
      } else if (depth > 0) {
        if (c == '*' && next == ')') {
          depth--;
          out.append("  ");
          i++;
        } else if (c == '(' && next == '*') {
          depth++;
          out.append("  ");
          i++;
        } else {
          out.append(' ');
        }
      } else if (string) {
        string = c != '"' || tla.charAt(i - 1) == '\\';
        out.append(' ');
      } else if (c == '"') {
        string = true;
        out.append(' ');
      } else if (c == '\\' && next == '*') {
        lineComment = true;
        out.append("  ");
        i++;
      } else if (c == '(' && next == '*') {
        depth++;
        out.append("  ");
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
