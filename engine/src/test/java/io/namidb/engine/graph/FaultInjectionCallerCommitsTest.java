package io.namidb.engine.graph;

import java.time.Duration;

/**
 * {@link FaultInjectionWriterTest} with the production grouping (no fixed window): a write
 * submitted while the writer is idle is committed on its caller's thread, through the same faults.
 */
class FaultInjectionCallerCommitsTest extends FaultInjectionWriterTest {
  @Override
  WriterConfig config(long seed) {
    return Writes.config(seed).withGroupCommit(Duration.ZERO, 4 << 20);
  }
}
