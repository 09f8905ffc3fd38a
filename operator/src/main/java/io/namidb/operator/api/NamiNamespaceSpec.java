package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The desired state of a {@link NamiNamespace}. The operator never writes it (GitOps owns it). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.deletionPolicy) || self.deletionPolicy != 'BackupThenDelete' || has(self.backup)",
    message =
        "deletionPolicy BackupThenDelete needs spec.backup.destination: it is where the final backup"
            + " is written before the data is deleted")
@ValidationRule(
    value =
        "!has(self.restore) || (has(oldSelf.restore) && self.restore.from == oldSelf.restore.from)",
    message =
        "spec.restore can only be given when the NamiNamespace is created (it bootstraps an empty"
            + " namespace): it cannot be added or changed later, only removed")
@ValidationRule(
    value = NamiNamespaceSpec.BACKUP_OUTSIDE_STORAGE,
    messageExpression =
        "'backup.destination.uri ' + self.backup.destination.uri + ' lies inside '"
            + " + self.storage.uri.split('?')[0].find('^s3://.*[^/]') + '/, where storage.uri"
            + " keeps its namespaces: a purge would delete the backups. Use another bucket, or a"
            + " path outside it'")
public class NamiNamespaceSpec {
  /**
   * The backup destination is not at or below the storage URI's path in the same bucket and
   * endpoint: the tenant's backups ({@code <destination>/<ns>/}) would lie inside its own prefix or
   * a neighbour's, and a purge would delete them. Endpoints compare as written (field, else the
   * {@code endpoint=} of the URI); {@code nami backup} itself refuses a destination inside the
   * namespace's own prefix whatever the spelling.
   */
  static final String BACKUP_OUTSIDE_STORAGE =
      "!has(self.backup) || !has(self.backup.destination)"
          + " || (has(self.storage.endpoint) ? self.storage.endpoint"
          + " : self.storage.uri.matches('[?&]endpoint=')"
          + " ? self.storage.uri.find('[?&]endpoint=[^&]*').substring(10) : '')"
          + " != (has(self.backup.destination.endpoint) ? self.backup.destination.endpoint"
          + " : self.backup.destination.uri.matches('[?&]endpoint=')"
          + " ? self.backup.destination.uri.find('[?&]endpoint=[^&]*').substring(10) : '')"
          + " || !(self.backup.destination.uri.split('?')[0].find('^s3://.*[^/]') + '/')"
          + ".startsWith(self.storage.uri.split('?')[0].find('^s3://.*[^/]') + '/')";

  @Required
  @JsonPropertyDescription("Where the namespace's data lives, and how to reach it.")
  private StorageSpec storage;

  @JsonPropertyDescription(
      "The writer pod. Everything is optional; defaults come from the operator's configuration.")
  private WriterSpec writer;

  @JsonPropertyDescription("Scheduled backups with `nami backup`. Optional.")
  private BackupSpec backup;

  @JsonPropertyDescription(
      "The pods of the backup and purge Jobs: labels, annotations, scheduling. Optional; unset"
          + " scheduling fields take spec.writer's.")
  private JobsSpec jobs;

  @JsonPropertyDescription(
      "Bootstrap the namespace from a backup before the writer first starts (`nami restore`)."
          + " Only allowed when the NamiNamespace is created, and only into an empty namespace.")
  private RestoreSpec restore;

  @Default("Retain")
  @JsonPropertyDescription(
      "What happens to the data when this resource is deleted: Retain keeps it, Delete purges it,"
          + " BackupThenDelete takes a final backup to spec.backup.destination, then purges it.")
  private DeletionPolicy deletionPolicy;

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public WriterSpec getWriter() {
    return writer;
  }

  public void setWriter(WriterSpec writer) {
    this.writer = writer;
  }

  public JobsSpec getJobs() {
    return jobs;
  }

  public void setJobs(JobsSpec jobs) {
    this.jobs = jobs;
  }

  public BackupSpec getBackup() {
    return backup;
  }

  public void setBackup(BackupSpec backup) {
    this.backup = backup;
  }

  public RestoreSpec getRestore() {
    return restore;
  }

  public void setRestore(RestoreSpec restore) {
    this.restore = restore;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
