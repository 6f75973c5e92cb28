package spectrace.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names the trace-name tests compare: those a TLA+ module defines and declares, read from
 * its text, and those a trace's events use.
 */
public final class SpecNames {

  private static final Pattern DEFINITION = Pattern.compile("(?m)^([A-Za-z][A-Za-z0-9_]*)(\\([^)]*\\))? ==");
  private static final Pattern VARIABLES = Pattern.compile("(?s)(?:^|\\n)VARIABLES(.*?)\\n\\n");
  private static final Pattern VARIABLE = Pattern.compile("(?m)^\\s+([a-zA-Z]+),?\\s+\\\\\\*");
  private static final JsonFactory JSON = new JsonFactory();

  private SpecNames() {}

  /** The operators a module defines at the start of a line. */
  public static Set<String> definitions(String tla) {
    Set<String> out = new TreeSet<>();
    Matcher def = DEFINITION.matcher(tla);
    while (def.find()) {
      out.add(def.group(1));
    }
    return out;
  }

  /** The variables of a module's VARIABLES block, one per commented line; none without a block. */
  public static Set<String> variables(String tla) {
    Set<String> out = new TreeSet<>();
    Matcher block = VARIABLES.matcher(tla);
    if (block.find()) {
      Matcher v = VARIABLE.matcher(block.group(1));
      while (v.find()) {
        out.add(v.group(1));
      }
    }
    return out;
  }

  /** Adds a trace line's action, if any, to {@code actions} and the names under its vars to {@code vars}. */
  public static void collect(String line, Set<String> actions, Set<String> vars) throws IOException {
    try (JsonParser p = JSON.createParser(line)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("action")) {
          actions.add(p.getText());
        } else if (field.equals("vars") && t == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            vars.add(p.currentName());
            p.nextToken();
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
    }
  }

  /** The elements of {@code a} not in {@code b}, sorted. */
  public static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }
}
