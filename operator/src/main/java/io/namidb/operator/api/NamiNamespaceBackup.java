package io.namidb.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One backup of a {@link NamiNamespace}, asked for declaratively (CloudNativePG's Backup is the
 * model): creating it runs {@code nami backup} once, in Job {@code <name>-ondemand}, to the
 * NamiNamespace's {@code spec.backup.destination}, with or without a schedule. The status says how
 * it went; the operator never writes the spec. Deleting the resource deletes its Job, not the
 * backup it wrote.
 */
@Group(NamiNamespace.GROUP)
@Version(NamiNamespace.VERSION)
@Kind(NamiNamespaceBackup.KIND)
@Plural(NamiNamespaceBackup.PLURAL)
@Singular("naminamespacebackup")
@ShortNames("nnsb")
@AdditionalPrinterColumn(
    name = "NamiNamespace",
    jsonPath = ".spec.naminamespace",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Bytes",
    jsonPath = ".status.bytes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Location",
    jsonPath = ".status.location",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
    value =
        "self.metadata.name.size() <= 54 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name of a NamiNamespaceBackup must start with a letter, contain only lowercase"
            + " letters, digits and '-', and be at most 54 characters: its Job is <name>-ondemand")
public class NamiNamespaceBackup
    extends CustomResource<NamiNamespaceBackupSpec, NamiNamespaceBackupStatus>
    implements Namespaced {
  public static final String KIND = "NamiNamespaceBackup";
  public static final String PLURAL = "naminamespacebackups";

  @Override
  protected NamiNamespaceBackupStatus initStatus() {
    return null;
  }
}
