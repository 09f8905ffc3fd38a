package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The desired state of a {@link NamiNamespaceBackup}: which NamiNamespace to back up, once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message =
        "the spec of a NamiNamespaceBackup cannot change: it describes one backup; create another"
            + " NamiNamespaceBackup for another one")
public class NamiNamespaceBackupSpec {
  @Required
  @Size(max = 45)
  @ValidationRule(
      value = "self.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
      messageExpression =
          "'naminamespace must be the name of a NamiNamespace in this namespace, got ' + self")
  @JsonPropertyDescription(
      "The NamiNamespace to back up, in this Kubernetes namespace. The backup goes to its"
          + " spec.backup.destination, next to its scheduled backups.")
  private String naminamespace;

  public String getNaminamespace() {
    return naminamespace;
  }

  public void setNaminamespace(String naminamespace) {
    this.naminamespace = naminamespace;
  }
}
