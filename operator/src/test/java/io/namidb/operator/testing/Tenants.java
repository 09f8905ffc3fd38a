package io.namidb.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.BackupDestination;
import io.namidb.operator.api.BackupSpec;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.NamiNamespaceSpec;
import io.namidb.operator.api.StorageSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** NamiNamespaces for tests, and waiting for what the operator does with them. */
public final class Tenants {
  private Tenants() {}

  /** {@code name} in bucket {@code namidb} with namespace {@code name}. */
  public static NamiNamespace tenant(String name) {
    NamiNamespace cr = new NamiNamespace();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).build());
    NamiNamespaceSpec spec = new NamiNamespaceSpec();
    StorageSpec storage = new StorageSpec();
    storage.setUri("s3://namidb/data?ns=" + name);
    spec.setStorage(storage);
    cr.setSpec(spec);
    return cr;
  }

  public static BackupSpec backup(String schedule, String destination) {
    BackupSpec backup = new BackupSpec();
    backup.setSchedule(schedule);
    BackupDestination to = new BackupDestination();
    to.setUri(destination);
    backup.setDestination(to);
    return backup;
  }

  /**
   * A {@code NoExecute} toleration of taint {@code key} for {@code seconds} (null: forever), as for
   * {@code spec.writer.tolerations}.
   */
  public static Toleration noExecute(String key, Long seconds) {
    return new TolerationBuilder()
        .withKey(key)
        .withOperator("Exists")
        .withEffect("NoExecute")
        .withTolerationSeconds(seconds)
        .build();
  }

  public static NamiNamespace create(KubernetesClient client, NamiNamespace cr) {
    return client.resource(cr).create();
  }

  public static NamiNamespace get(KubernetesClient client, String name) {
    return client.resources(NamiNamespace.class).withName(name).get();
  }

  public static Optional<NamiNamespace> find(KubernetesClient client, String name) {
    return Optional.ofNullable(get(client, name));
  }

  /** Changes the spec as a user would (the operator never does). */
  /**
   * Edits the resource as a user would, read-modify-write; when the operator wrote its status in
   * between (409 Conflict), reads again and retries, as {@code kubectl edit} users do.
   */
  public static NamiNamespace edit(
      KubernetesClient client, String name, Consumer<NamiNamespace> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client
            .resources(NamiNamespace.class)
            .withName(name)
            .edit(
                cr -> {
                  change.accept(cr);
                  return cr;
                });
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 5) {
          throw e;
        }
      }
    }
  }

  /** Awaitility with the operator-test defaults: up to a minute, polling every 100 ms. */
  public static ConditionFactory eventually() {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions();
  }
}
