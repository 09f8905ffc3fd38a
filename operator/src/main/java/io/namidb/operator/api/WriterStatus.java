package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** {@code status.writer}: where the writer listens and what it last reported on /v1/status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WriterStatus {
  @JsonPropertyDescription("In-cluster URL of the writer Service (https when spec.writer.tls).")
  private String endpoint;

  @JsonPropertyDescription(
      "The Secret holding the writer's bearer tokens: clients read their token from it (keys"
          + " read-token and write-token of a generated Secret; tokens otherwise).")
  private String authSecret;

  @JsonPropertyDescription("Writer epoch last read from the writer's /v1/status.")
  private Long epoch;

  @JsonPropertyDescription("Manifest version last read from the writer's /v1/status.")
  private Long manifestVersion;

  public WriterStatus() {}

  public WriterStatus(String endpoint, Long epoch, Long manifestVersion) {
    this.endpoint = endpoint;
    this.epoch = epoch;
    this.manifestVersion = manifestVersion;
  }

  public String getAuthSecret() {
    return authSecret;
  }

  public void setAuthSecret(String authSecret) {
    this.authSecret = authSecret;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public Long getEpoch() {
    return epoch;
  }

  public void setEpoch(Long epoch) {
    this.epoch = epoch;
  }

  public Long getManifestVersion() {
    return manifestVersion;
  }

  public void setManifestVersion(Long manifestVersion) {
    this.manifestVersion = manifestVersion;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriterStatus that
        && Objects.equals(endpoint, that.endpoint)
        && Objects.equals(authSecret, that.authSecret)
        && Objects.equals(epoch, that.epoch)
        && Objects.equals(manifestVersion, that.manifestVersion);
  }

  @Override
  public int hashCode() {
    return Objects.hash(endpoint, authSecret, epoch, manifestVersion);
  }
}
