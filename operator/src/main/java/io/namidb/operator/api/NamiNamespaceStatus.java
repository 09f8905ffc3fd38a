package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The observed state of a {@link NamiNamespace}, written only by the operator's status aggregator.
 * Condition types are fixed: {@code Ready}, {@code WriterAvailable}, {@code BackupScheduled},
 * {@code LastBackupSucceeded}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamiNamespaceStatus {
  @JsonPropertyDescription("Pending, Restoring, Ready, Suspended, Degraded, Deleting or Failed.")
  private Phase phase;

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, WriterAvailable, BackupScheduled and LastBackupSucceeded, each with a reason.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The writer's endpoint, epoch and manifest version.")
  private WriterStatus writer;

  @JsonPropertyDescription("The newest finished backup.")
  private LastBackupStatus lastBackup;

  @JsonPropertyDescription(
      "The newest backup that succeeded; kept while later ones fail. BackupStale compares its time"
          + " with the schedule.")
  private LastBackupStatus lastSuccessfulBackup;

  @JsonPropertyDescription("Set once spec.restore.from has been restored.")
  private RestoreStatus restore;

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  /** The condition of {@code type}, if present. */
  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public WriterStatus getWriter() {
    return writer;
  }

  public void setWriter(WriterStatus writer) {
    this.writer = writer;
  }

  public LastBackupStatus getLastBackup() {
    return lastBackup;
  }

  public void setLastBackup(LastBackupStatus lastBackup) {
    this.lastBackup = lastBackup;
  }

  public LastBackupStatus getLastSuccessfulBackup() {
    return lastSuccessfulBackup;
  }

  public void setLastSuccessfulBackup(LastBackupStatus lastSuccessfulBackup) {
    this.lastSuccessfulBackup = lastSuccessfulBackup;
  }

  public RestoreStatus getRestore() {
    return restore;
  }

  public void setRestore(RestoreStatus restore) {
    this.restore = restore;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamiNamespaceStatus that
        && phase == that.phase
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(writer, that.writer)
        && Objects.equals(lastBackup, that.lastBackup)
        && Objects.equals(lastSuccessfulBackup, that.lastSuccessfulBackup)
        && Objects.equals(restore, that.restore);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase, observedGeneration, conditions, writer, lastBackup, lastSuccessfulBackup, restore);
  }
}
