package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** {@code spec.restore}: the backup an empty namespace is bootstrapped from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.endpoint) || !self.from.matches('[?&]endpoint=')",
    message =
        "set the endpoint either in restore.endpoint or as endpoint= in restore.from, not both")
public class RestoreSpec {
  @Required
  @Size(max = 1024)
  @ValidationRule(
      value = "self.matches('^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^?# ]+([?][^# ]*)?$')",
      messageExpression =
          "'restore.from must be the location of one backup, e.g."
              + " s3://backups/tenant-acme/20261123T120000Z-v42, got ' + self")
  @JsonPropertyDescription(
      "The backup to restore, as printed by `nami backup`, e.g."
          + " s3://backups/tenant-acme/20261123T120000Z-v42.")
  private String from;

  @Size(max = 512)
  @ValidationRule(
      value = "self.matches('^https?://[^/?# ]+(/[^?# ]*)?$')",
      messageExpression = "'restore.endpoint must be an http:// or https:// URL, got ' + self")
  @JsonPropertyDescription("S3 endpoint of the backup store, when it is S3-compatible.")
  private String endpoint;

  @Size(max = 64)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
      messageExpression = "'restore.region must be a region name such as us-east-1, got ' + self")
  @JsonPropertyDescription("S3 region of the backup store.")
  private String region;

  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$')",
      messageExpression =
          "'restore.credentialsSecret must be the name of a Secret in this namespace, got ' + self")
  @JsonPropertyDescription(
      "Secret (keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) for the backup store, when it"
          + " differs from storage.credentialsSecret.")
  private String credentialsSecret;

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
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
