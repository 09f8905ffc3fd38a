package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * {@code spec.writer.auth}: the bearer tokens of the writer API. The writer always requires one; by
 * default the operator generates them into the Secret {@code <name>-writer-auth}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WriterAuthSpec {
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$')",
      messageExpression = "'writer.auth.secretName must be the name of a Secret, got ' + self")
  @JsonPropertyDescription(
      "A Secret of your own whose key 'tokens' holds the writer's token file: one 'read <token>'"
          + " or 'write <token>' per line. Default: the operator's Secret <name>-writer-auth with"
          + " a random read and write token (keys tokens, read-token, write-token).")
  private String secretName;

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriterAuthSpec that && Objects.equals(secretName, that.secretName);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(secretName);
  }
}
