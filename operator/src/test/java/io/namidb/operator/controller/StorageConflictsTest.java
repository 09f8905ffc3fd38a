package io.namidb.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.StorageSpec;
import io.namidb.operator.testing.Tenants;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StorageConflictsTest {
  @Test
  void theSameNamespaceIsRecognisedHoweverItIsSpelled() {
    assertThat(identity("s3://b/data?ns=acme", null))
        .isEqualTo(identity("s3://b/data/?region=eu&ns=acme", null))
        .isEqualTo(identity("s3://b/data?ns=acme&endpoint=", null));
    assertThat(identity("s3://b/data?ns=acme", "http://MinIO:9000/"))
        .isEqualTo(identity("s3://b/data?ns=acme&endpoint=http%3A%2F%2Fminio%3A9000", null));
  }

  @Test
  void anotherBucketPathNamespaceOrStoreIsAnotherNamespace() {
    String acme = identity("s3://b/data?ns=acme", null);
    assertThat(identity("s3://c/data?ns=acme", null)).isNotEqualTo(acme);
    assertThat(identity("s3://b/other?ns=acme", null)).isNotEqualTo(acme);
    assertThat(identity("s3://b/data?ns=acme2", null)).isNotEqualTo(acme);
    assertThat(identity("s3://b/data?ns=acme", "http://minio:9000")).isNotEqualTo(acme);
  }

  @Test
  void theOldestResourceHoldsTheNamespace() {
    NamiNamespace old = tenant("old", "uid-1", "2026-01-01T00:00:00Z", "s3://b/data?ns=acme");
    NamiNamespace young = tenant("young", "uid-2", "2026-01-02T00:00:00Z", "s3://b/data/?ns=acme");
    NamiNamespace other = tenant("other", "uid-3", "2025-01-01T00:00:00Z", "s3://b/data?ns=x");

    assertThat(StorageConflicts.holderOtherThan(young, Stream.of(old, young, other)))
        .map(StorageConflicts::describe)
        .contains("tenants/old");
    assertThat(StorageConflicts.holderOtherThan(old, Stream.of(old, young, other))).isEmpty();
    assertThat(StorageConflicts.holderOtherThan(other, Stream.of(old, young, other))).isEmpty();
  }

  private static String identity(String uri, String endpoint) {
    StorageSpec storage = new StorageSpec();
    storage.setUri(uri);
    storage.setEndpoint(endpoint);
    return StorageUris.identity(storage);
  }

  private static NamiNamespace tenant(String name, String uid, String created, String uri) {
    NamiNamespace cr = Tenants.tenant(name);
    cr.getMetadata().setNamespace("tenants");
    cr.getMetadata().setUid(uid);
    cr.getMetadata().setCreationTimestamp(created);
    cr.getSpec().getStorage().setUri(uri);
    return cr;
  }
}
