package io.namidb.engine.graph;

import io.namidb.engine.IdGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link NamespaceWriter}.
 *
 * @param ids source of the writer id, commit ids and segment nonces
 * @param clock time source (manifest timestamps, group-commit window)
 * @param groupCommitWindow how long the committer waits for more batches after the first one; zero
 *     commits at once with whatever is queued (batches arriving during a PUT form the next group)
 * @param groupCommitMaxBytes a group is written as soon as its batches reach this size
 * @param maxBatchBytes largest single encoded batch accepted
 * @param maxQueuedBatches batches waiting beyond this are refused as overload (TRANSIENT)
 * @param claimAttempts how often a claim is retried after losing a race
 * @param storeAttempts tries per object-store operation on transient failures
 * @param initialBackoff first retry delay for transient failures (doubles, jittered)
 * @param flushBytes the memtable is flushed to SSTs when it holds about this much
 * @param flushInterval ... or when its oldest write is this old
 * @param compactAfter SSTs of one label (or edge type) that trigger their compaction into one
 * @param retainVersions GC keeps what the newest this many manifest versions name ...
 * @param retainFor ... and what every manifest written within this time names
 * @param cacheBytes memory for cached SST blocks and footers
 * @param maxMemtableBytes while the active and frozen memtables hold more than this (flushes
 *     failing or falling behind), writes are refused as overload (TRANSIENT, HTTP 503)
 * @param epochCheckInterval while it commits, the writer looks this often (one GET of the manifest
 *     version after its own) whether a newer epoch claimed the namespace, and steps down if so: a
 *     writer taking over then waits at most about this long for one that keeps streaming writes
 *     (otherwise until the old writer's next manifest commit); zero turns the check off. The GET
 *     runs on a thread of its own, one at a time: a slow one holds up no commit
 * @param callerCommitsWhenIdle a write submitted while no other is queued or being committed is
 *     committed on the caller's thread (its future is complete when {@code write} returns), which
 *     saves the hand-off to the committer thread and back: about 0.1 ms of a 0.4 ms local write.
 *     Honoured where the store's PUTs are local ({@code ObjectStore.putsAreLocal}: a local
 *     directory, memory), without a fixed {@code groupCommitWindow} (which asks every write to wait
 *     for others); on S3 a PUT takes far longer than the hand-off, and every write goes through the
 *     committer thread
 */
public record WriterConfig(
    IdGenerator ids,
    Clock clock,
    Duration groupCommitWindow,
    int groupCommitMaxBytes,
    int maxBatchBytes,
    int maxQueuedBatches,
    int claimAttempts,
    int storeAttempts,
    Duration initialBackoff,
    long flushBytes,
    Duration flushInterval,
    int compactAfter,
    int retainVersions,
    Duration retainFor,
    long cacheBytes,
    long maxMemtableBytes,
    Duration epochCheckInterval,
    boolean callerCommitsWhenIdle) {

  public WriterConfig {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(groupCommitWindow, "groupCommitWindow");
    Objects.requireNonNull(epochCheckInterval, "epochCheckInterval");
    if (epochCheckInterval.isNegative()) {
      throw new IllegalArgumentException("epochCheckInterval must not be negative");
    }
    if (groupCommitMaxBytes <= 0 || maxBatchBytes <= 0 || maxQueuedBatches <= 0) {
      throw new IllegalArgumentException("sizes must be positive");
    }
    if (claimAttempts <= 0 || storeAttempts <= 0) {
      throw new IllegalArgumentException("attempts must be positive");
    }
    if (maxMemtableBytes <= 0) {
      throw new IllegalArgumentException("maxMemtableBytes must be positive");
    }
    if (flushBytes <= 0 || compactAfter < 2 || retainVersions < 1 || cacheBytes <= 0) {
      throw new IllegalArgumentException(
          "flushBytes, cacheBytes and retainVersions must be positive, compactAfter at least 2");
    }
  }

  /**
   * Production defaults: no group-commit window (a segment holds whatever queued while the previous
   * PUT was in flight), 4 MiB groups, 16 MiB batches, flush at 64 MiB or 30 s, compact at 8 SSTs,
   * keep 10 manifest versions and 10 minutes, 256 MiB cache, refuse writes while memtables hold
   * over 256 MiB, look for a newer epoch's claim once a second while committing, commit a write on
   * its caller's thread when the writer is idle.
   */
  public static WriterConfig defaults() {
    return new WriterConfig(
        IdGenerator.secure(),
        Clock.systemUTC(),
        Duration.ZERO,
        4 << 20,
        16 << 20,
        100_000,
        20,
        8,
        Duration.ofMillis(20),
        64L << 20,
        Duration.ofSeconds(30),
        8,
        10,
        Duration.ofMinutes(10),
        256L << 20,
        256L << 20,
        Duration.ofSeconds(1),
        true);
  }

  public WriterConfig withIds(IdGenerator newIds) {
    return toBuilder().ids(newIds).build();
  }

  public WriterConfig withGroupCommit(Duration window, int maxBytes) {
    return toBuilder().groupCommitWindow(window).groupCommitMaxBytes(maxBytes).build();
  }

  public WriterConfig withRetries(int newStoreAttempts, Duration newInitialBackoff) {
    return toBuilder().storeAttempts(newStoreAttempts).initialBackoff(newInitialBackoff).build();
  }

  public WriterConfig withFlush(
      long newFlushBytes, Duration newFlushInterval, int newCompactAfter) {
    return toBuilder()
        .flushBytes(newFlushBytes)
        .flushInterval(newFlushInterval)
        .compactAfter(newCompactAfter)
        .build();
  }

  public WriterConfig withCallerCommits(boolean whenIdle) {
    return toBuilder().callerCommitsWhenIdle(whenIdle).build();
  }

  public WriterConfig withEpochCheck(Duration interval) {
    return toBuilder().epochCheckInterval(interval).build();
  }

  public WriterConfig withRetention(int newRetainVersions, Duration newRetainFor) {
    return toBuilder().retainVersions(newRetainVersions).retainFor(newRetainFor).build();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some settings of a {@link WriterConfig}; {@link #build} validates them. */
  public static final class Builder {
    private IdGenerator ids;
    private Clock clock;
    private Duration groupCommitWindow;
    private int groupCommitMaxBytes;
    private int maxBatchBytes;
    private int maxQueuedBatches;
    private int claimAttempts;
    private int storeAttempts;
    private Duration initialBackoff;
    private long flushBytes;
    private Duration flushInterval;
    private int compactAfter;
    private int retainVersions;
    private Duration retainFor;
    private long cacheBytes;
    private long maxMemtableBytes;
    private Duration epochCheckInterval;
    private boolean callerCommitsWhenIdle;

    private Builder(WriterConfig c) {
      ids = c.ids;
      clock = c.clock;
      groupCommitWindow = c.groupCommitWindow;
      groupCommitMaxBytes = c.groupCommitMaxBytes;
      maxBatchBytes = c.maxBatchBytes;
      maxQueuedBatches = c.maxQueuedBatches;
      claimAttempts = c.claimAttempts;
      storeAttempts = c.storeAttempts;
      initialBackoff = c.initialBackoff;
      flushBytes = c.flushBytes;
      flushInterval = c.flushInterval;
      compactAfter = c.compactAfter;
      retainVersions = c.retainVersions;
      retainFor = c.retainFor;
      cacheBytes = c.cacheBytes;
      maxMemtableBytes = c.maxMemtableBytes;
      epochCheckInterval = c.epochCheckInterval;
      callerCommitsWhenIdle = c.callerCommitsWhenIdle;
    }

    public Builder ids(IdGenerator v) {
      ids = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public Builder groupCommitWindow(Duration v) {
      groupCommitWindow = v;
      return this;
    }

    public Builder groupCommitMaxBytes(int v) {
      groupCommitMaxBytes = v;
      return this;
    }

    public Builder maxBatchBytes(int v) {
      maxBatchBytes = v;
      return this;
    }

    public Builder maxQueuedBatches(int v) {
      maxQueuedBatches = v;
      return this;
    }

    public Builder claimAttempts(int v) {
      claimAttempts = v;
      return this;
    }

    public Builder storeAttempts(int v) {
      storeAttempts = v;
      return this;
    }

    public Builder initialBackoff(Duration v) {
      initialBackoff = v;
      return this;
    }

    public Builder flushBytes(long v) {
      flushBytes = v;
      return this;
    }

    public Builder flushInterval(Duration v) {
      flushInterval = v;
      return this;
    }

    public Builder compactAfter(int v) {
      compactAfter = v;
      return this;
    }

    public Builder retainVersions(int v) {
      retainVersions = v;
      return this;
    }

    public Builder retainFor(Duration v) {
      retainFor = v;
      return this;
    }

    public Builder cacheBytes(long v) {
      cacheBytes = v;
      return this;
    }

    public Builder epochCheckInterval(Duration v) {
      epochCheckInterval = v;
      return this;
    }

    public Builder callerCommitsWhenIdle(boolean v) {
      callerCommitsWhenIdle = v;
      return this;
    }

    public Builder maxMemtableBytes(long v) {
      maxMemtableBytes = v;
      return this;
    }

    public WriterConfig build() {
      return new WriterConfig(
          ids,
          clock,
          groupCommitWindow,
          groupCommitMaxBytes,
          maxBatchBytes,
          maxQueuedBatches,
          claimAttempts,
          storeAttempts,
          initialBackoff,
          flushBytes,
          flushInterval,
          compactAfter,
          retainVersions,
          retainFor,
          cacheBytes,
          maxMemtableBytes,
          epochCheckInterval,
          callerCommitsWhenIdle);
    }
  }
}
