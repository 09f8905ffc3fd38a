package io.namidb.bench.harness;

import io.namidb.engine.graph.NamespaceWriter;

/**
 * A reading of a writer's group-commit clocks ({@link NamespaceWriter.Stats}): timed WAL PUTs and
 * their time, groups formed and their waits. Two readings give the means between them.
 */
public record GroupCommitTimes(long puts, long putNanos, long groups, long waitNanos) {

  /** The clocks of {@code stats} now. */
  public static GroupCommitTimes of(NamespaceWriter.Stats stats) {
    return new GroupCommitTimes(
        stats.walPuts.get(),
        stats.walPutNanos.get(),
        stats.groupsFormed.get(),
        stats.groupWaitNanos.get());
  }

  /** Mean milliseconds of one WAL segment's PUT since {@code before}, 0 without PUTs. */
  public double putMillisSince(GroupCommitTimes before) {
    return perEventMillis(putNanos - before.putNanos, puts - before.puts);
  }

  /** Mean milliseconds a group waited for more batches since {@code before}, 0 without groups. */
  public double waitMillisSince(GroupCommitTimes before) {
    return perEventMillis(waitNanos - before.waitNanos, groups - before.groups);
  }

  private static double perEventMillis(long nanos, long events) {
    return events == 0 ? 0 : nanos / 1e6 / events;
  }
}
