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
 * @param groupCommitWindow how long the committer waits for more batches after the first one
 * @param groupCommitMaxBytes a group is written as soon as its batches reach this size
 * @param maxBatchBytes largest single encoded batch accepted
 * @param maxQueuedBatches batches waiting beyond this are refused as overload (TRANSIENT)
 * @param claimAttempts how often a claim is retried after losing a race
 * @param storeAttempts tries per object-store operation on transient failures
 * @param initialBackoff first retry delay for transient failures (doubles, jittered)
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
    Duration initialBackoff) {

  public WriterConfig {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(groupCommitWindow, "groupCommitWindow");
    if (groupCommitMaxBytes <= 0 || maxBatchBytes <= 0 || maxQueuedBatches <= 0) {
      throw new IllegalArgumentException("sizes must be positive");
    }
    if (claimAttempts <= 0 || storeAttempts <= 0) {
      throw new IllegalArgumentException("attempts must be positive");
    }
  }

  /** Production defaults: 2 ms window, 4 MiB groups, 16 MiB batches. */
  public static WriterConfig defaults() {
    return new WriterConfig(
        IdGenerator.secure(),
        Clock.systemUTC(),
        Duration.ofMillis(2),
        4 << 20,
        16 << 20,
        100_000,
        20,
        8,
        Duration.ofMillis(20));
  }

  public WriterConfig withIds(IdGenerator newIds) {
    return new WriterConfig(
        newIds,
        clock,
        groupCommitWindow,
        groupCommitMaxBytes,
        maxBatchBytes,
        maxQueuedBatches,
        claimAttempts,
        storeAttempts,
        initialBackoff);
  }

  public WriterConfig withGroupCommit(Duration window, int maxBytes) {
    return new WriterConfig(
        ids,
        clock,
        window,
        maxBytes,
        maxBatchBytes,
        maxQueuedBatches,
        claimAttempts,
        storeAttempts,
        initialBackoff);
  }

  public WriterConfig withRetries(int newStoreAttempts, Duration newInitialBackoff) {
    return new WriterConfig(
        ids,
        clock,
        groupCommitWindow,
        groupCommitMaxBytes,
        maxBatchBytes,
        maxQueuedBatches,
        claimAttempts,
        newStoreAttempts,
        newInitialBackoff);
  }
}
