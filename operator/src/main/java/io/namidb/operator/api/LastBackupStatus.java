package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * {@code status.lastBackup}: the newest finished backup Job of this namespace; also the shape of
 * {@code status.lastSuccessfulBackup}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LastBackupStatus {
  @JsonPropertyDescription("When the backup Job finished (RFC 3339).")
  private String time;

  @JsonPropertyDescription(
      "Where the backup was written (s3://BUCKET/PATH/<timestamp>-v<version>, the store's endpoint"
          + " and region being those of spec.backup.destination): what spec.restore.from takes.")
  private String location;

  @JsonPropertyDescription("Whether the backup Job succeeded.")
  private Boolean succeeded;

  @JsonPropertyDescription("The backup Job.")
  private String job;

  @JsonPropertyDescription("When the backup Job started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("How many bytes the backup copied, as `nami backup` reported it.")
  private Long bytes;

  public LastBackupStatus() {}

  public LastBackupStatus(String time, String location, Boolean succeeded, String job) {
    this.time = time;
    this.location = location;
    this.succeeded = succeeded;
    this.job = job;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public Boolean getSucceeded() {
    return succeeded;
  }

  public void setSucceeded(Boolean succeeded) {
    this.succeeded = succeeded;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public Long getBytes() {
    return bytes;
  }

  public void setBytes(Long bytes) {
    this.bytes = bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LastBackupStatus that
        && Objects.equals(time, that.time)
        && Objects.equals(location, that.location)
        && Objects.equals(succeeded, that.succeeded)
        && Objects.equals(job, that.job)
        && Objects.equals(startTime, that.startTime)
        && Objects.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(time, location, succeeded, job, startTime, bytes);
  }
}
