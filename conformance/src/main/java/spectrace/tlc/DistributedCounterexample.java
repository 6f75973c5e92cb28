package spectrace.tlc;

import java.io.File;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tlc2.output.EC;
import tlc2.output.MP;
import tlc2.output.StatePrinter;
import tlc2.tool.ITool;
import tlc2.tool.TLCState;
import tlc2.tool.TLCStateInfo;
import tlc2.tool.WorkerException;
import tlc2.tool.distributed.TLCApp;
import tlc2.tool.distributed.TLCServer;
import tlc2.util.BufferedRandomAccessFile;

/**
 * Prints the counterexample that this build's distributed TLC leaves out, in the server's JVM,
 * once its run has ended: from a shutdown hook, since the server ends its JVM itself (its
 * fingerprint set's {@code exit} calls {@code System.exit} once the summary is printed).
 *
 * <p>When a worker finds a violation, this build's server prints neither what was violated
 * nor the behaviour: states reach it from workers without their level, so every one looks
 * initial to {@code TLCTrace.printTrace}, which then prints the violating state's predecessor as
 * "Initial predicate" and the violating state after it, and stops. What it needs is on the
 * server still: the violating state's predecessor ({@code errState}, with the location
 * {@code uid} of its record in the trace file), and the trace file itself, which the server
 * keeps after a violation. This reads the chain of fingerprints from that file (each record:
 * its predecessor's location, then its fingerprint; an initial state's predecessor is 1), has
 * TLC's tool turn the fingerprints back into states and actions ({@code ITool.getState}, as
 * TLC's own trace printing does), finds the violating successor by the server's own check
 * ({@code TLCApp.checkState}), and prints the violation and the behaviour as TLC's messages
 * 2110 (2112, 2114), 2121 and 2217, after the server's. {@link TlcOutput} reads those as it
 * reads a local run's: a new "behaviour up to this point" replaces the stub before it.
 *
 * <p>The server and its tool are reached through private fields, by reflection: this build
 * keeps them nowhere else.
 */
final class DistributedCounterexample {

  private static final Pattern INVARIANT = Pattern.compile("Invariant (\\S+) is violated");
  private static final Pattern IMPLIED_ACTION = Pattern.compile("Implied-action (\\S+) is violated");

  private DistributedCounterexample() {}

  /** Prints the counterexample of {@code server}'s run, if it ended with a violation found by a worker. */
  static void print(TLCServer server) {
    try {
      TLCState s1 = (TLCState) field(TLCServer.class, "errState").get(server);
      if (s1 == null) {
        return; // no violation, or one the server reported itself (in an initial state)
      }
      TLCApp app = (TLCApp) field(TLCServer.class, "work").get(server);
      ITool tool = app.tool;
      // The violation: the first successor of s1 that the server's check rejects, or a deadlock.
      TLCState s2 = null;
      String message = null;
      try {
        for (TLCState next : app.getNextStates(s1)) {
          if (!app.isInModel(next) || !app.isInActions(s1, next)) {
            continue;
          }
          try {
            app.checkState(s1, next);
          } catch (WorkerException e) {
            s2 = next;
            message = e.getMessage();
            break;
          }
        }
      } catch (WorkerException e) {
        message = e.getMessage(); // "Error: deadlock reached.": s1 has no successor
      }
      if (message == null) {
        MP.printWarning(EC.GENERAL, "spectrace: the violation the worker reported cannot be found again from its"
            + " state; the behaviour above is TLC's own, of two states");
        return;
      }
      List<TLCStateInfo> behaviour = behaviour(tool, s1);
      Matcher inv = INVARIANT.matcher(message);
      Matcher act = IMPLIED_ACTION.matcher(message);
      if (inv.find()) {
        MP.printError(EC.TLC_INVARIANT_VIOLATED_BEHAVIOR, inv.group(1));
      } else if (act.find()) {
        MP.printError(EC.TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR, act.group(1));
      } else if (s2 == null && message.contains("deadlock")) {
        MP.printError(EC.TLC_DEADLOCK_REACHED);
      } else {
        MP.printError(EC.GENERAL, message);
      }
      MP.printError(EC.TLC_BEHAVIOR_UP_TO_THIS_POINT);
      if (behaviour == null) {
        // The prefix cannot be read back: give the two states, as the server did.
        StatePrinter.printState(tool.getState(s1.fingerPrint()) != null ? tool.getState(s1.fingerPrint())
            : new TLCStateInfo(s1, "<state whose predecessors were not recovered>"), null, 1);
        if (s2 != null) {
          StatePrinter.printState(tool.getState(s2, s1), s1, 2);
        }
        return;
      }
      TLCState last = null;
      int n = 0;
      for (TLCStateInfo info : behaviour) {
        StatePrinter.printState(info, last, ++n);
        last = info.state;
      }
      if (s2 != null) {
        StatePrinter.printState(tool.getState(s2, last), last, ++n);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      MP.printWarning(EC.GENERAL, "spectrace: cannot rebuild the distributed run's counterexample: " + e);
    }
  }

  /**
   * The behaviour from an initial state to {@code s1}, read from the server's trace file, or
   * null when a fingerprint does not lead back to a state (the file disagrees with the spec).
   */
  private static List<TLCStateInfo> behaviour(ITool tool, TLCState s1) throws ReflectiveOperationException {
    String file = (String) field(tlc2.tool.TLCTrace.class, "filename").get(null);
    List<Long> fps = new ArrayList<>();
    try (BufferedRandomAccessFile raf = new BufferedRandomAccessFile(new File(file), "r")) {
      for (long loc = s1.uid; loc != 1; ) {
        raf.seek(loc);
        long prev = raf.readLongNat();
        fps.add(raf.readLong());
        loc = prev;
        if (fps.size() > 1_000_000) {
          return null; // a cycle: not a trace file of this run
        }
      }
    } catch (java.io.IOException e) {
      return null;
    }
    Collections.reverse(fps);
    if (fps.isEmpty() || fps.get(fps.size() - 1) != s1.fingerPrint()) {
      return null;
    }
    List<TLCStateInfo> states = new ArrayList<>();
    TLCStateInfo info = tool.getState(fps.get(0));
    for (int i = 0; info != null; ) {
      states.add(info);
      if (++i == fps.size()) {
        return states;
      }
      info = tool.getState(fps.get(i), info);
    }
    return null;
  }

  private static Field field(Class<?> c, String name) throws NoSuchFieldException {
    Field f = c.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
