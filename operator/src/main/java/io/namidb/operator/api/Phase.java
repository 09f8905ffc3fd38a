package io.namidb.operator.api;

/** {@code status.phase} of a {@link NamiNamespace} (DESIGN §9). */
public enum Phase {
  /** The writer has not been available yet. */
  Pending,
  /**
   * The writer pod is restoring {@code spec.restore.from}; it becomes Ready when it holds the
   * epoch.
   */
  Restoring,
  /** The writer holds the namespace's epoch and serves requests. */
  Ready,
  /** {@code spec.writer.suspend}: scaled to zero, data kept. */
  Suspended,
  /** The writer was available before and is not now, or the last backup failed. */
  Degraded,
  /** The resource is being deleted (writer stopped, final backup, purge). */
  Deleting,
  /** A step that needs a person failed (restore, final backup, purge); the conditions say which. */
  Failed
}
