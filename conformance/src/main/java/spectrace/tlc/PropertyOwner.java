package spectrace.tlc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model's property that a violation belongs to when TLC gives only a location.
 *
 * <p>TLC names a violated property by its name when the property is a single formula
 * ({@code Rising == [][x' > x]_x}), but by the source location of the conjunct when the
 * property is a conjunction, as every refinement is ({@code Spec == Init /\ [][Next]_v}):
 * {@code Action property line 47, col 21 to line 47, col 38 of module TCommit is violated}.
 * The property is then the one of the configuration's {@code PROPERTY}/{@code PROPERTIES}
 * whose definitions, followed from name to name through the modules of the spec folder, reach
 * the top-level definition that holds that line. This reads the text only (no SANY): a name
 * reached by more than one property, or by none, leaves the violation unnamed.
 */
final class PropertyOwner {

  private PropertyOwner() {}

  // A top-level definition at the start of a line: "Name ==", "Name(a, b) ==", "f[x \in S] ==".
  private static final Pattern DEFINITION = Pattern.compile(
      "^([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\([^)]*\\)|\\[[^\\]]*\\])?\\s*==");
  // A line at the start of which a definition's body ends.
  private static final Pattern BOUNDARY = Pattern.compile(
      "^(?:-{4,}|={4,}|VARIABLES?\\b|CONSTANTS?\\b|ASSUME\\b|THEOREM\\b|EXTENDS\\b|INSTANCE\\b|LOCAL\\b)");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> CFG_KEYWORDS = Set.of("INIT", "NEXT", "SPECIFICATION", "INVARIANT",
      "INVARIANTS", "PROPERTY", "PROPERTIES", "CONSTANT", "CONSTANTS", "CONSTRAINT", "CONSTRAINTS",
      "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "SYMMETRY", "VIEW", "CHECK_DEADLOCK", "ALIAS", "POSTCONDITION");

  /**
   * The property of configuration {@code config} (in {@code specDir}) whose definition reaches
   * line {@code line} of module {@code module}, or null when the text does not tell one.
   */
  static String of(Path specDir, String config, String module, int line) {
    try {
      List<String> properties = properties(Files.readString(specDir.resolve(config)));
      Map<String, Set<String>> uses = new HashMap<>();
      String enclosing = null;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(specDir, "*.tla")) {
        for (Path f : files) {
          String name = f.getFileName().toString();
          String d = definitions(Files.readString(f), uses, name.equals(module + ".tla") ? line : -1);
          if (d != null) {
            enclosing = d;
          }
        }
      }
      if (enclosing == null) {
        return null;
      }
      if (properties.contains(enclosing)) {
        return enclosing;
      }
      List<String> owners = new ArrayList<>();
      for (String p : properties) {
        if (reaches(p, enclosing, uses)) {
          owners.add(p);
        }
      }
      return owners.size() == 1 ? owners.get(0) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The names a .cfg lists after PROPERTY or PROPERTIES. */
  static List<String> properties(String cfg) {
    List<String> out = new ArrayList<>();
    boolean listing = false;
    for (String line : cfg.split("\n")) {
      int comment = line.indexOf("\\*");
      for (String word : (comment < 0 ? line : line.substring(0, comment)).trim().split("\\s+")) {
        if (word.isEmpty()) {
          continue;
        }
        if (CFG_KEYWORDS.contains(word)) {
          listing = word.equals("PROPERTY") || word.equals("PROPERTIES");
        } else if (listing) {
          out.add(word);
        }
      }
    }
    return out;
  }

  /**
   * Adds each top-level definition of {@code tla} to {@code uses}, with the names its body
   * mentions, and returns the definition that holds line {@code line} (1-based; -1 for none).
   */
  private static String definitions(String tla, Map<String, Set<String>> uses, int line) {
    String[] lines = TlaText.withoutComments(tla).split("\n", -1);
    String current = null;
    String holding = null;
    for (int i = 0; i < lines.length; i++) {
      Matcher d = DEFINITION.matcher(lines[i]);
      if (d.find()) {
        current = d.group(1);
        uses.computeIfAbsent(current, k -> new HashSet<>());
        mentions(lines[i].substring(d.end()), uses.get(current));
      } else if (BOUNDARY.matcher(lines[i]).find()) {
        current = null;
      } else if (current != null) {
        mentions(lines[i], uses.get(current));
      }
      if (i + 1 == line) {
        holding = current;
      }
    }
    return holding;
  }

  private static void mentions(String text, Set<String> names) {
    Matcher m = IDENTIFIER.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
  }

  private static boolean reaches(String from, String target, Map<String, Set<String>> uses) {
    Deque<String> todo = new ArrayDeque<>(List.of(from));
    Set<String> seen = new HashSet<>(todo);
    while (!todo.isEmpty()) {
      for (String n : uses.getOrDefault(todo.pop(), Set.of())) {
        if (n.equals(target)) {
          return true;
        }
        if (seen.add(n)) {
          todo.push(n);
        }
      }
    }
    return false;
  }
}
