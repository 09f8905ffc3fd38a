package io.namidb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryObjectStoreTest extends ObjectStoreContract {
  private final MemoryObjectStore backend = new MemoryObjectStore();

  @Override
  protected ObjectStore openAt(String path) {
    return backend.rootedAt(path);
  }

  @Test
  void etagIsTheMd5OfTheContentLikeS3() {
    store.putIfAbsent("k", bytes("hello"));

    assertThat(store.head("k").orElseThrow().etag()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
  }

  @Test
  void rootedStoresSeeTheirObjectsUnderTheirPrefixInTheParent() {
    MemoryObjectStore tenant = backend.rootedAt("data").rootedAt("tenant-a");
    tenant.putIfAbsent("manifest/1", bytes("m"));

    assertThat(backend.get("data/tenant-a/manifest/1")).isEqualTo(bytes("m"));
    assertThat(tenant.location()).isEqualTo("memory:/data/tenant-a");
    assertThat(backend.location()).isEqualTo("memory:/");
    assertThat(tenant.putsAreLocal()).isTrue();
  }
}
