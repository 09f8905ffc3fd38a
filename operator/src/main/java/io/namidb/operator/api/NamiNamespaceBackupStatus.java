package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** {@code status} of a {@link NamiNamespaceBackup}: where the one backup stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamiNamespaceBackupStatus {
  /** Where a backup stands. */
  public enum BackupPhase {
    /** Waiting for the NamiNamespace (missing, or without a backup destination). */
    Pending,
    /** The Job runs. */
    Running,
    Succeeded,
    Failed
  }

  @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
  private BackupPhase phase;

  @JsonPropertyDescription("Why the backup is in this phase, in words.")
  private String message;

  @JsonPropertyDescription("The Job that runs nami backup.")
  private String job;

  @JsonPropertyDescription(
      "Where the backup was written (what spec.restore.from of a NamiNamespace takes).")
  private String location;

  @JsonPropertyDescription("How many bytes the backup copied.")
  private Long bytes;

  @JsonPropertyDescription("When the Job started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the Job finished (RFC 3339).")
  private String completionTime;

  public BackupPhase getPhase() {
    return phase;
  }

  public void setPhase(BackupPhase phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public Long getBytes() {
    return bytes;
  }

  public void setBytes(Long bytes) {
    this.bytes = bytes;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  /** Whether the backup has ended, either way: nothing runs for it again. */
  public boolean finished() {
    return phase == BackupPhase.Succeeded || phase == BackupPhase.Failed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamiNamespaceBackupStatus that
        && phase == that.phase
        && Objects.equals(message, that.message)
        && Objects.equals(job, that.job)
        && Objects.equals(location, that.location)
        && Objects.equals(bytes, that.bytes)
        && Objects.equals(startTime, that.startTime)
        && Objects.equals(completionTime, that.completionTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, message, job, location, bytes, startTime, completionTime);
  }
}
