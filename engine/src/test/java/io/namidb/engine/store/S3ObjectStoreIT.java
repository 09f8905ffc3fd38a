package io.namidb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/** The contract against a real MinIO (never a mock), plus what only S3 has. */
@WithMinio
class S3ObjectStoreIT extends ObjectStoreContract {
  private final MinioBucket minio;

  S3ObjectStoreIT(MinioBucket minio) {
    this.minio = minio;
  }

  private StoreLocation at(String path) {
    return location(minio.bucket(), path);
  }

  private StoreLocation location(String bucket, String path) {
    return StoreLocation.parse(
        "s3://"
            + bucket
            + "/"
            + path
            + "?endpoint="
            + URLEncoder.encode(minio.endpoint().toString(), StandardCharsets.UTF_8)
            + "&region="
            + minio.region()
            + "&pathStyle=true");
  }

  private StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(minio.accessKey(), minio.secretKey()));
  }

  /** MinIO stores an object as a directory and cannot list keys below another key. */
  @Override
  protected boolean keysMayAlsoBePrefixes() {
    return false;
  }

  @Override
  protected ObjectStore openAt(String path) {
    return S3ObjectStore.builder(at(path)).credentials(credentials()).build();
  }

  @Test
  void keysLiveUnderTheRootPrefixOfTheBucket() {
    assertThat(store.putsAreLocal()).isFalse(); // a caller never waits out a PUT to S3
    store.putIfAbsent("manifest/00000000000000000001.json", bytes("m"));

    try (S3Client s3 = minio.client()) {
      String stored =
          s3.getObject(
                  b ->
                      b.bucket(minio.bucket())
                          .key(
                              "c-keysliveundertherootprefixofthebucket/main/manifest/"
                                  + "00000000000000000001.json"),
                  ResponseTransformer.toBytes())
              .asUtf8String();
      assertThat(stored).isEqualTo("m");
    }
    assertThat(store.location())
        .isEqualTo("s3://" + minio.bucket() + "/c-keysliveundertherootprefixofthebucket/main");
  }

  @Test
  void objectsOutsideTheRootAreInvisible() {
    try (S3Client s3 = minio.client()) {
      s3.putObject(
          b -> b.bucket(minio.bucket()).key("c-objectsoutsidetherootareinvisible/mainx/k"),
          RequestBody.fromString("neighbour"));
      s3.putObject(
          b -> b.bucket(minio.bucket()).key("c-objectsoutsidetherootareinvisible/main"),
          RequestBody.fromString("the root's own name"));
    }

    assertThat(store.list("")).isEmpty();
    assertThat(store.head("k")).isEmpty();
  }

  @Test
  void etagsAreUnquotedMd5sForSinglePartUploads() throws Exception {
    store.putIfAbsent("e", bytes("hello"));
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes("hello")));

    assertThat(store.head("e").orElseThrow().etag()).isEqualTo(md5);
    assertThat(store.list("").get(0).etag()).isEqualTo(md5);
  }

  @Test
  void namespaceUrisOpenStoresWithTheDefaultCredentialChain() {
    String uriA = minio.namespaceUri("data", "tenant-a");
    String uriB = minio.namespaceUri("data", "tenant-b");
    String oldKey = System.getProperty("aws.accessKeyId");
    String oldSecret = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.accessKeyId", minio.accessKey());
    System.setProperty("aws.secretAccessKey", minio.secretKey());
    try (ObjectStore a = ObjectStores.open(NamespaceUri.parse(uriA));
        ObjectStore b = ObjectStores.open(NamespaceUri.parse(uriB));
        S3Client s3 = minio.client()) {
      a.putIfAbsent("wal/00000000000000000001.wal", bytes("a"));
      b.putIfAbsent("wal/00000000000000000001.wal", bytes("b"));

      assertThat(
              s3.getObjectAsBytes(
                      r ->
                          r.bucket(minio.bucket())
                              .key("data/tenant-a/wal/00000000000000000001.wal"))
                  .asUtf8String())
          .isEqualTo("a");
      assertThat(a.list(""))
          .extracting(ObjectInfo::key)
          .containsExactly("wal/00000000000000000001.wal");
      b.delete("wal/00000000000000000001.wal");
      assertThat(a.get("wal/00000000000000000001.wal")).isEqualTo(bytes("a"));
      assertThat(a.location()).isEqualTo("s3://" + minio.bucket() + "/data/tenant-a");
    } finally {
      restore("aws.accessKeyId", oldKey);
      restore("aws.secretAccessKey", oldSecret);
    }
  }

  private static void restore(String property, String old) {
    if (old == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, old);
    }
  }

  @Test
  void aMissingBucketIsAConfigurationError() {
    StoreLocation missing = location("no-such-bucket-42", "data");
    try (ObjectStore s = S3ObjectStore.builder(missing).credentials(credentials()).build()) {
      assertThatThrownBy(() -> s.putIfAbsent("k", bytes("v")))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(NamiException.Kind.CONFIGURATION);
                assertThat(e.getMessage()).contains("code=NoSuchBucket", "key=k");
              });
      assertThat(s.stats().errors(StoreOp.PUT_IF_ABSENT)).isEqualTo(1);
    }
  }

  @Test
  void wrongCredentialsAreAConfigurationError() {
    try (ObjectStore s =
        S3ObjectStore.builder(at("creds"))
            .credentials(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("nobody", "wrong-secret")))
            .maxAttempts(1)
            .build()) {
      assertThatThrownBy(() -> s.get("k"))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> assertThat(e.kind()).isEqualTo(NamiException.Kind.CONFIGURATION));
    }
  }

  @Test
  void aClosedStoreRefusesCalls() {
    ObjectStore s = open("closing");
    s.close();
    s.close();

    assertThatThrownBy(() -> s.get("k"))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> assertThat(e.getMessage()).startsWith("object store closed."));
  }
}
