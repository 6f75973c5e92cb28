package spectrace.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import spectrace.tlc.TempFolders;

/**
 * Loads TLC once per spec. TLC keeps the current spec, its variables, its string table and its
 * model values in static fields, so a second spec in the same class loader breaks the first
 * (TLC-NOTES.md). Each checker gets its own class loader that loads TLC and the adapter
 * ({@code spectrace.conformance.tlc}) itself, child first, and shares everything else (this
 * package, the JDK, Jackson) with the caller; several specs can thus be checked in one JVM.
 *
 * <p>TLC's standard modules are extracted once per JVM into a private folder put on the
 * resolver's path: TLC would otherwise copy them into the shared temporary folder, where
 * concurrent JVMs race.
 */
public final class SpecLoader {

  private static final List<String> ISOLATED = List.of(
      "tlc2.", "tla2sany.", "tla2tex.", "util.", "pcal.", "spectrace.conformance.tlc.");
  private static final String CHECKER = "spectrace.conformance.tlc.TlcStepChecker";
  private static final String COUNTEREXAMPLES = "spectrace.conformance.tlc.TlcCounterexample";
  private static final String FACTS = "spectrace.conformance.tlc.TlcModelFacts";
  private static Path stdlib;

  private SpecLoader() {}

  /** A checker of traces with {@code header} against {@code spec}, in a fresh class loader. */
  public static StepChecker open(ConformanceSpec spec, Header header) throws TraceException {
    ClassLoader loader = isolated();
    Path model;
    try {
      model = TempFolders.create("model");
    } catch (IOException e) {
      throw new TraceException("cannot write the model of " + spec.module() + ": " + e.getMessage());
    }
    boolean opened = false;
    try {
      Class<?> c = Class.forName(CHECKER, true, loader);
      StepChecker checker = (StepChecker) c.getConstructor(ConformanceSpec.class, Header.class, Path.class, Path.class)
          .newInstance(spec, header, standardModules(), model);
      opened = true;
      return checker;
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof TraceException t) {
        throw t;
      }
      throw new IllegalStateException("cannot start TLC on " + spec.module(), e.getCause());
    } catch (ReflectiveOperationException | IOException e) {
      throw new IllegalStateException("cannot start TLC on " + spec.module(), e);
    } finally {
      if (!opened) {
        TempFolders.delete(model); // a spec that does not load leaves no model folder
      }
    }
  }

  /**
   * Reads counterexamples of the model {@code module}/{@code config} in {@code dir} (a spec's
   * MC module and its .cfg) through {@code spec}'s settings, in a fresh class loader.
   */
  public static CounterexampleSteps counterexamples(ConformanceSpec spec, Path dir, String module, String config)
      throws TraceException {
    return (CounterexampleSteps) inIsolation(module, c -> Class.forName(COUNTEREXAMPLES, true, c)
        .getConstructor(ConformanceSpec.class, Path.class, String.class, String.class, Path.class)
        .newInstance(spec, dir, module, config, standardModules()));
  }

  /**
   * What TLC reads in the model {@code module}/{@code config} of {@code dir} before checking it
   * (its temporal properties, its deadlock setting), loaded in a fresh class loader.
   *
   * @throws TraceException when the model does not load (a parse or configuration error)
   */
  public static ModelFacts modelFacts(Path dir, String module, String config) throws TraceException {
    return (ModelFacts) inIsolation(module, c -> Class.forName(FACTS, true, c)
        .getMethod("read", Path.class, String.class, String.class, Path.class)
        .invoke(null, dir, module, config, standardModules()));
  }

  /** A step that reaches the adapter's classes by reflection. */
  @FunctionalInterface
  private interface Reflective {
    Object apply(ClassLoader loader) throws ReflectiveOperationException, IOException;
  }

  /**
   * Runs {@code step} on a fresh class loader: the adapter's TraceException (a model that does
   * not load) is rethrown as it is; anything else means TLC could not start on {@code module}.
   */
  private static Object inIsolation(String module, Reflective step) throws TraceException {
    try {
      return step.apply(isolated());
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof TraceException t) {
        throw t;
      }
      throw new IllegalStateException("cannot start TLC on " + module, e.getCause());
    } catch (ReflectiveOperationException | IOException e) {
      throw new IllegalStateException("cannot start TLC on " + module, e);
    }
  }

  /** A class loader of its own for TLC and the adapter. */
  private static ClassLoader isolated() {
    URL[] urls;
    try {
      urls = new URL[] {codeSource(SpecLoader.class), codeSource(tlc2.TLC.class)};
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot locate spectrace's or TLC's classes", e);
    }
    return new ChildFirst(urls, SpecLoader.class.getClassLoader());
  }

  private static URL codeSource(Class<?> c) throws URISyntaxException, IOException {
    return c.getProtectionDomain().getCodeSource().getLocation().toURI().toURL();
  }

  /** TLC's standard modules, extracted once per JVM into a private folder. */
  static synchronized Path standardModules() throws IOException {
    if (stdlib != null) {
      return stdlib;
    }
    Path dir = TempFolders.create("stdlib");
    for (String m : List.of("Naturals", "Integers", "Sequences", "FiniteSets", "TLC", "Bags", "Reals",
        "RealTime", "Randomization", "Toolbox", "TLCExt", "Json")) {
      try (InputStream in = tlc2.TLC.class.getResourceAsStream("/tla2sany/StandardModules/" + m + ".tla")) {
        if (in != null) {
          Files.copy(in, dir.resolve(m + ".tla"), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    stdlib = dir;
    return dir;
  }

  /** Loads TLC and the adapter itself; delegates everything else to the parent. */
  private static final class ChildFirst extends URLClassLoader {
    ChildFirst(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (ISOLATED.stream().noneMatch(name::startsWith)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try {
            c = findClass(name);
          } catch (ClassNotFoundException e) {
            c = super.loadClass(name, false);
          }
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}
