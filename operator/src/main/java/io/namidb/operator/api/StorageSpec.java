package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** {@code spec.storage}: the namespace URI (DESIGN §2) and how to reach the object store. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.endpoint) || !self.uri.matches('[?&]endpoint=')",
    message =
        "set the endpoint either in storage.endpoint or as endpoint= in storage.uri, not both")
@ValidationRule(
    value = "!has(self.region) || !self.uri.matches('[?&]region=')",
    message = "set the region either in storage.region or as region= in storage.uri, not both")
public class StorageSpec {
  @Required
  @Size(max = 1024)
  @ValidationRule(
      value = "self.matches('^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^?# ]*)?[?][^# ]*$')",
      messageExpression =
          "'storage.uri must look like s3://BUCKET[/PATH]?ns=NAME[&endpoint=URL][&region=R]"
              + "[&pathStyle=true], got ' + self")
  @ValidationRule(
      value = "self.matches('[?&]ns=')",
      messageExpression =
          "'storage.uri must name the namespace with ns=NAME, as in s3://my-bucket/data?ns=tenant-acme,"
              + " got ' + self")
  @ValidationRule(
      value =
          "!self.matches('[?&]ns=') || self.matches('[?&]ns=[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(&|$)')",
      messageExpression =
          "'the ns of storage.uri must be a DNS label ([a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63"
              + " characters), got ns=' + self.find('[?&]ns=[^&]*').substring(4)")
  @ValidationRule(
      value = "self == oldSelf",
      message =
          "storage.uri is immutable: it names where the namespace's data lives; create a new"
              + " NamiNamespace to use another location")
  @JsonPropertyDescription(
      "The namespace URI, s3://BUCKET[/PATH]?ns=NAME[&endpoint=URL][&region=R][&pathStyle=true]."
          + " Immutable.")
  private String uri;

  @Size(max = 512)
  @ValidationRule(
      value = "self.matches('^https?://[^/?# ]+(/[^?# ]*)?$')",
      messageExpression =
          "'storage.endpoint must be an http:// or https:// URL such as http://minio.minio:9000,"
              + " got ' + self")
  @JsonPropertyDescription(
      "S3 endpoint of an S3-compatible store (MinIO, R2, ...). Added to the URI as"
          + " endpoint=...&pathStyle=true.")
  private String endpoint;

  @Size(max = 64)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
      messageExpression = "'storage.region must be a region name such as us-east-1, got ' + self")
  @JsonPropertyDescription("S3 region. Added to the URI as region=....")
  private String region;

  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$')",
      messageExpression =
          "'storage.credentialsSecret must be the name of a Secret in this namespace, got ' + self")
  @JsonPropertyDescription(
      "Name of a Secret in the same Kubernetes namespace with keys AWS_ACCESS_KEY_ID and"
          + " AWS_SECRET_ACCESS_KEY. Without it the AWS default chain applies (e.g. IRSA through"
          + " writer.serviceAccountName).")
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
