package io.namidb.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs the committed CRDs (crds/, what users install) on the test API server. */
public final class Crds {
  public static final String FILE_NAME = "naminamespaces.namidb.io-v1.yml";
  public static final String NAME = "naminamespaces.namidb.io";
  public static final String BACKUP_NAME = "naminamespacebackups.namidb.io";

  /** Every CRD file the operator ships, in crds/ and in the chart. */
  public static final List<String> FILE_NAMES = List.of(FILE_NAME, BACKUP_NAME + "-v1.yml");

  private Crds() {}

  /** Server-side applies the committed CRDs and waits until they are established. Idempotent. */
  public static synchronized void install(KubernetesClient client) {
    for (String file : FILE_NAMES) {
      CustomResourceDefinition crd;
      try (InputStream in = Files.newInputStream(RepoFiles.committedCrd(file))) {
        crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(crd)
          .forceConflicts()
          .serverSideApply();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(Crds::established, 60, TimeUnit.SECONDS);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
