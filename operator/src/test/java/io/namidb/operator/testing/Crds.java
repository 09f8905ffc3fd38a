package io.namidb.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** Installs the committed NamiNamespace CRD (crds/, what users install) on the test API server. */
public final class Crds {
  public static final String FILE_NAME = "naminamespaces.namidb.io-v1.yml";
  public static final String NAME = "naminamespaces.namidb.io";

  private Crds() {}

  /** Server-side applies the committed CRD and waits until it is established. Idempotent. */
  public static synchronized void install(KubernetesClient client) {
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(RepoFiles.committedCrd())) {
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
        .withName(NAME)
        .waitUntilCondition(Crds::established, 60, TimeUnit.SECONDS);
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
