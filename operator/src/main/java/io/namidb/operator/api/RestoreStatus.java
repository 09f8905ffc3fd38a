package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * {@code status.restore}: set once {@code spec.restore.from} has been restored. From then on the
 * writer pod runs without the restore init container (restore only ever targets an empty namespace,
 * so running it again on a pod restart would fail).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreStatus {
  @JsonPropertyDescription("The backup that was restored.")
  private String from;

  @JsonPropertyDescription("When the operator saw the restored writer become ready (RFC 3339).")
  private String completionTime;

  public RestoreStatus() {}

  public RestoreStatus(String from, String completionTime) {
    this.from = from;
    this.completionTime = completionTime;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RestoreStatus that
        && Objects.equals(from, that.from)
        && Objects.equals(completionTime, that.completionTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, completionTime);
  }
}
