package io.namidb.operator.crd;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.namidb.operator.api.NamiNamespaceBackup;
import java.util.Comparator;
import java.util.List;

/**
 * Runs at build time (quarkus-operator-sdk, {@code quarkus.operator-sdk.crd.post-processor}) on the
 * generated CRDs: puts the printer columns in the order DESIGN §9 lists them (phase, epoch, last
 * backup, age; a NamiNamespaceBackup's in the order declared) instead of the generator's order by
 * JSON path, requires a spec and bounds the name so that derived object names stay valid.
 */
public class CrdPostProcessor implements CRDPostProcessor {
  private static final List<String> COLUMN_ORDER =
      List.of("NamiNamespace", "Phase", "Epoch", "Last Backup", "Bytes", "Location", "Age");

  /** Longest NamiNamespace name: {@code <name>-backup} must fit a CronJob name (52). */
  public static final long MAX_NAME_LENGTH = 45;

  /** Longest NamiNamespaceBackup name: its Job {@code <name>-ondemand} must fit a label (63). */
  public static final long MAX_BACKUP_NAME_LENGTH = 54;

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (crd instanceof CustomResourceDefinition definition) {
      long maxName =
          NamiNamespaceBackup.KIND.equals(definition.getSpec().getNames().getKind())
              ? MAX_BACKUP_NAME_LENGTH
              : MAX_NAME_LENGTH;
      for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
        List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
        if (columns != null) {
          columns.sort(Comparator.comparingInt(CrdPostProcessor::rank));
        }
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        // spec.storage is required; without a spec nothing can be reconciled or deleted cleanly
        root.setRequired(List.of("spec"));
        root.getProperties()
            .put(
                "metadata",
                new JSONSchemaPropsBuilder()
                    .withType("object")
                    .addToProperties(
                        "name",
                        new JSONSchemaPropsBuilder()
                            .withType("string")
                            .withMaxLength(maxName)
                            .build())
                    .build());
      }
    }
    return crd;
  }

  private static int rank(CustomResourceColumnDefinition column) {
    int at = COLUMN_ORDER.indexOf(column.getName());
    return at < 0 ? COLUMN_ORDER.size() : at;
  }
}
