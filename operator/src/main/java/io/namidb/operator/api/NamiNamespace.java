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
 * A NamiDB namespace run on Kubernetes (DESIGN §9, contract): the operator keeps one writer
 * Deployment and Service for it, schedules its backups and handles its deletion.
 *
 * <p>The name becomes the prefix of every object the operator creates ({@code <name>-writer},
 * {@code <name>-backup}, {@code <name>-purge}, {@code <name>-final-backup}); the API server limits
 * it so that all of them stay valid Kubernetes names.
 */
@Group(NamiNamespace.GROUP)
@Version(NamiNamespace.VERSION)
@Kind(NamiNamespace.KIND)
@Plural(NamiNamespace.PLURAL)
@Singular("naminamespace")
@ShortNames("nns")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Epoch",
    jsonPath = ".status.writer.epoch",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Last Backup",
    jsonPath = ".status.lastBackup.time",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
    value =
        "self.metadata.name.size() <= 45 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name of a NamiNamespace must start with a letter, contain only lowercase letters,"
            + " digits and '-', and be at most 45 characters: the operator names its objects"
            + " <name>-writer, <name>-backup and <name>-final-backup after it")
public class NamiNamespace extends CustomResource<NamiNamespaceSpec, NamiNamespaceStatus>
    implements Namespaced {
  public static final String GROUP = "namidb.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "NamiNamespace";
  public static final String PLURAL = "naminamespaces";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  @Override
  protected NamiNamespaceStatus initStatus() {
    return null;
  }
}
