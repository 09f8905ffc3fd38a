package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.store.LocalObjectStore;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A namespace moves between the embedded default and S3 by copying files to objects one for one, as
 * {@code aws s3 sync} / {@code mc mirror} do, with no NamiDB tool in between.
 */
@WithMinio
class LocalS3CopyIT {
  @TempDir Path dir;

  @Test
  void aLocalNamespaceCopiedFileByFileToMinioServesThere(MinioBucket s3) throws Exception {
    Path local = dir.resolve("tenant-a");
    LocalLayoutTest.Contents written;
    try (ObjectStore store =
        ObjectStores.open(NamespaceUri.parse("file://" + dir + "?ns=tenant-a"))) {
      written = LocalLayoutTest.writeSample(store, 11);
    }

    // aws s3 sync DIR/tenant-a s3://BUCKET/moved/tenant-a/
    int copied = 0;
    try (S3Client client = s3.client();
        Stream<Path> files = Files.walk(local)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String key = "moved/tenant-a/" + local.relativize(file);
        client.putObject(b -> b.bucket(s3.bucket()).key(key), RequestBody.fromFile(file));
        copied++;
      }
    }
    assertThat(copied).isGreaterThan(5);

    try (ObjectStore store =
        ObjectStores.open(NamespaceUri.parse(s3.namespaceUri("moved", "tenant-a")))) {
      assertThat(store.list("")).hasSize(copied);
      LocalLayoutTest.assertServes(store, written, 12);
    }
  }

  @Test
  void aMinioNamespaceDownloadedObjectByObjectServesLocally(MinioBucket s3) throws Exception {
    LocalLayoutTest.Contents written;
    try (ObjectStore store =
        ObjectStores.open(NamespaceUri.parse(s3.namespaceUri("source", "tenant-b")))) {
      written = LocalLayoutTest.writeSample(store, 21);
    }

    // aws s3 sync s3://BUCKET/source/tenant-b/ DIR/tenant-b
    Path local = dir.resolve("tenant-b");
    String prefix = "source/tenant-b/";
    int copied = 0;
    try (S3Client client = s3.client()) {
      List<S3Object> objects =
          client
              .listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix(prefix))
              .contents()
              .stream()
              .toList();
      for (S3Object object : objects) {
        Path file = local.resolve(object.key().substring(prefix.length()));
        Files.createDirectories(file.getParent());
        client.getObject(
            b -> b.bucket(s3.bucket()).key(object.key()), ResponseTransformer.toFile(file));
        copied++;
      }
    }
    assertThat(copied).isGreaterThan(5);

    try (LocalObjectStore store = new LocalObjectStore(local)) {
      assertThat(store.list("")).hasSize(copied);
      LocalLayoutTest.assertServes(store, written, 22);
    }
    try (ObjectStore store =
        ObjectStores.open(NamespaceUri.parse("file://" + dir + "?ns=tenant-b"))) {
      assertThat(store.list("manifest/")).isNotEmpty();
    }
  }
}
