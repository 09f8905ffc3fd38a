package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** {@code spec.backup.destination}: an S3 location that receives one folder per backup. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.endpoint) || !self.uri.matches('[?&]endpoint=')",
    message =
        "set the endpoint either in backup.destination.endpoint or as endpoint= in"
            + " backup.destination.uri, not both")
public class BackupDestination {
  @Required
  @Size(max = 1024)
  @ValidationRule(
      value = "self.matches('^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^?# ]*)?([?][^# ]*)?$')",
      messageExpression =
          "'backup.destination.uri must look like s3://BUCKET[/PATH], e.g."
              + " s3://backups/tenant-acme, got ' + self")
  @JsonPropertyDescription(
      "Where backups go: s3://BUCKET[/PATH]. Each backup is a folder"
          + " <UTC timestamp>-v<manifest version> below it.")
  private String uri;

  @Size(max = 512)
  @ValidationRule(
      value = "self.matches('^https?://[^/?# ]+(/[^?# ]*)?$')",
      messageExpression =
          "'backup.destination.endpoint must be an http:// or https:// URL, got ' + self")
  @JsonPropertyDescription("S3 endpoint of the backup store, when it is S3-compatible.")
  private String endpoint;

  @Size(max = 64)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
      messageExpression =
          "'backup.destination.region must be a region name such as us-east-1, got ' + self")
  @JsonPropertyDescription("S3 region of the backup store.")
  private String region;

  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$')",
      messageExpression =
          "'backup.destination.credentialsSecret must be the name of a Secret in this namespace,"
              + " got ' + self")
  @JsonPropertyDescription(
      "Secret (keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) for the backup store, when it"
          + " differs from storage.credentialsSecret.")
  private String credentialsSecret;

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(String credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }
}
