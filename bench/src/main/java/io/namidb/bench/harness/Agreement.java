package io.namidb.bench.harness;

import java.util.ArrayList;
import java.util.List;

/** Checks that every engine gave the reference answer to every probe. */
public final class Agreement {
  private Agreement() {}

  /** Thrown when an engine's answer differs from the reference. */
  public static final class MismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MismatchException(String message) {
      super(message);
    }
  }

  /**
   * Compares each engine's answers with {@code reference}, probe by probe.
   *
   * @throws MismatchException naming the engine, the probe and both values of every difference (the
   *     first 20)
   */
  public static void check(long[] probes, Answers reference, List<Answers> engines) {
    List<String> problems = new ArrayList<>();
    for (Answers a : engines) {
      if (a.oneHop().length != probes.length || a.twoHop().length != probes.length) {
        problems.add(
            a.column()
                + " answered "
                + a.oneHop().length
                + "/"
                + a.twoHop().length
                + " of "
                + probes.length
                + " probes");
        continue;
      }
      for (int p = 0; p < probes.length; p++) {
        compare(
            problems,
            "one-hop count",
            a,
            reference,
            probes[p],
            a.oneHop()[p],
            reference.oneHop()[p]);
        compare(
            problems,
            "two-hop distinct count",
            a,
            reference,
            probes[p],
            a.twoHop()[p],
            reference.twoHop()[p]);
      }
    }
    if (!problems.isEmpty()) {
      throw new MismatchException(
          "engines disagree ("
              + problems.size()
              + " differences): "
              + String.join("; ", problems.subList(0, Math.min(20, problems.size()))));
    }
  }

  private static void compare(
      List<String> problems,
      String what,
      Answers engine,
      Answers reference,
      long probe,
      long got,
      long expected) {
    if (got != expected) {
      problems.add(
          what
              + " of probe key="
              + probe
              + ": engine="
              + engine.column()
              + " answered "
              + got
              + ", "
              + reference.column()
              + " answered "
              + expected);
    }
  }
}
