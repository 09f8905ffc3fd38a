package io.namidb.operator.api;

/** What happens to a namespace's data when its {@link NamiNamespace} is deleted. */
public enum DeletionPolicy {
  /** Remove the Kubernetes objects only; the data stays in object storage. */
  Retain,
  /** Stop the writer, then purge the namespace's objects ({@code nami purge --yes}). */
  Delete,
  /** Stop the writer, take a final backup, then purge. */
  BackupThenDelete
}
