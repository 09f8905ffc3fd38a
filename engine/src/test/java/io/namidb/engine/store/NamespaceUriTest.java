package io.namidb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespaceUriTest {

  private static void rejected(String uri, String message) {
    assertThatThrownBy(() -> NamespaceUri.parse(uri))
        .as(uri)
        .isInstanceOfSatisfying(
            NamiException.class,
            e -> assertThat(e.kind()).isEqualTo(NamiException.Kind.INVALID_INPUT))
        .hasMessage(message);
  }

  // ---- good URIs ----

  @Test
  void aLocationEnclosesItselfAndWhatLiesBelowItInTheSameStoreOnly() {
    StoreLocation ns = NamespaceUri.parse("s3://b01/data?ns=acme&endpoint=http://m:9000").root();

    assertThat(ns.encloses(StoreLocation.parse("s3://b01/data/acme?endpoint=http://m:9000")))
        .isTrue();
    assertThat(ns.encloses(StoreLocation.parse("s3://b01/data/acme/bk?endpoint=http://m:9000")))
        .isTrue();
    assertThat(ns.encloses(StoreLocation.parse("s3://b01/data/acme-2?endpoint=http://m:9000")))
        .as("a sibling whose name starts the same")
        .isFalse();
    assertThat(ns.encloses(StoreLocation.parse("s3://b01/data?endpoint=http://m:9000"))).isFalse();
    assertThat(ns.encloses(StoreLocation.parse("s3://b01/data/acme/bk?endpoint=http://o:9000")))
        .as("another store")
        .isFalse();
    assertThat(ns.encloses(StoreLocation.parse("s3://c01/data/acme?endpoint=http://m:9000")))
        .isFalse();
    assertThat(
            NamespaceUri.parse("file:///tmp/x?ns=acme")
                .root()
                .encloses(StoreLocation.parse("file:///tmp/x/acme/backups")))
        .isTrue();
  }

  @Test
  void s3UriWithPathPutsTheNamespaceBelowThePath() {
    NamespaceUri uri = NamespaceUri.parse("s3://my-bucket/data?ns=tenant-acme");

    assertThat(uri.name()).isEqualTo("tenant-acme");
    assertThat(uri.location().scheme()).isEqualTo(StoreLocation.Scheme.S3);
    assertThat(uri.location().bucket()).isEqualTo("my-bucket");
    assertThat(uri.location().path()).isEqualTo("data");
    assertThat(uri.keyPrefix()).isEqualTo("data/tenant-acme/");
    assertThat(uri.root().keyPrefix()).isEqualTo("data/tenant-acme/");
    assertThat(uri.location().endpoint()).isEmpty();
    assertThat(uri.location().region()).isEmpty();
    assertThat(uri.location().pathStyle()).isFalse();
    assertThat(uri).hasToString("s3://my-bucket/data?ns=tenant-acme");
  }

  @Test
  void s3UriWithoutPathPutsTheNamespaceAtTheTopOfTheBucket() {
    NamespaceUri uri = NamespaceUri.parse("s3://my-bucket?ns=a");

    assertThat(uri.keyPrefix()).isEqualTo("a/");
    assertThat(uri.location().path()).isEmpty();
    assertThat(NamespaceUri.parse("s3://my-bucket/?ns=a").keyPrefix()).isEqualTo("a/");
    assertThat(NamespaceUri.parse("s3://my-bucket/x/y/?ns=a").keyPrefix()).isEqualTo("x/y/a/");
  }

  @Test
  void s3UriCarriesEndpointRegionAndPathStyleForCompatibleStores() {
    NamespaceUri uri =
        NamespaceUri.parse(
            "s3://t-bucket-1/data?ns=tenant-a&endpoint=http%3A%2F%2F127.0.0.1%3A9000"
                + "&region=us-east-1&pathStyle=true");

    assertThat(uri.location().endpoint()).hasValue(URI.create("http://127.0.0.1:9000"));
    assertThat(uri.location().region()).hasValue("us-east-1");
    assertThat(uri.location().pathStyle()).isTrue();
    assertThat(uri.keyPrefix()).isEqualTo("data/tenant-a/");
    assertThat(uri)
        .hasToString(
            "s3://t-bucket-1/data?ns=tenant-a&endpoint=http%3A%2F%2F127.0.0.1%3A9000"
                + "&region=us-east-1&pathStyle=true");
  }

  @Test
  void queryValuesAreUrlDecodedAndParametersMayComeInAnyOrder() {
    NamespaceUri uri =
        NamespaceUri.parse(
            "s3://b-1/data?pathStyle=false&endpoint=https://minio.minio:9000&ns=t&region=auto");

    assertThat(uri.location().endpoint()).hasValue(URI.create("https://minio.minio:9000"));
    assertThat(uri.location().pathStyle()).isFalse();
    assertThat(uri)
        .hasToString("s3://b-1/data?ns=t&endpoint=https%3A%2F%2Fminio.minio%3A9000&region=auto");
  }

  @Test
  void fileUriPutsTheNamespaceInASubdirectory() {
    NamespaceUri uri = NamespaceUri.parse("file:///var/lib/namidb?ns=demo");

    assertThat(uri.location().scheme()).isEqualTo(StoreLocation.Scheme.FILE);
    assertThat(uri.location().directory()).isEqualTo(Path.of("/var/lib/namidb"));
    assertThat(uri.root().directory()).isEqualTo(Path.of("/var/lib/namidb/demo"));
    assertThat(uri.keyPrefix()).isEqualTo("demo/");
    assertThat(uri).hasToString("file:///var/lib/namidb?ns=demo");
    assertThat(NamespaceUri.parse("file:///var/lib/namidb/?ns=demo")).isEqualTo(uri);
    assertThat(NamespaceUri.parse("file:/var/lib/namidb?ns=demo")).isEqualTo(uri);
    assertThat(NamespaceUri.parse("file:///?ns=demo").root().directory())
        .isEqualTo(Path.of("/demo"));
  }

  @Test
  void pathsArePercentDecodedAndCanonicallyReencoded() {
    NamespaceUri uri = NamespaceUri.parse("file:///srv/my%20data/%C3%A9t%C3%A9?ns=a");

    assertThat(uri.location().directory()).isEqualTo(Path.of("/srv/my data/été"));
    assertThat(uri).hasToString("file:///srv/my%20data/%C3%A9t%C3%A9?ns=a");
    assertThat(NamespaceUri.parse("s3://b-1/a+b?ns=x").keyPrefix()).isEqualTo("a+b/x/");
  }

  @Test
  void canonicalFormParsesBackToTheSameUri() {
    for (String s :
        List.of(
            "s3://my-bucket/data?ns=tenant-acme",
            "S3://my-bucket/?ns=a",
            "s3://b.with.dots/deep/er/path?ns=a-1&region=eu-west-1",
            "s3://bkt?ns=0&endpoint=http%3A%2F%2Flocalhost%3A9000%2F&pathStyle=true",
            "file:///tmp/x%20y?ns=z",
            "file:/abs?ns=q")) {
      NamespaceUri uri = NamespaceUri.parse(s);
      assertThat(NamespaceUri.parse(uri.toString())).as(s).isEqualTo(uri);
      assertThat(NamespaceUri.parse(uri.toString()).toString()).isEqualTo(uri.toString());
    }
    assertThat(NamespaceUri.parse("S3://my-bucket?ns=a")).hasToString("s3://my-bucket?ns=a");
  }

  @Test
  void namesUpToSixtyThreeCharactersAreDnsLabels() {
    String longest = "a" + "-".repeat(61) + "z";
    for (String ok : List.of("a", "0", "tenant-acme", "a-b-c", "123", longest)) {
      assertThat(NamespaceUri.parse("s3://bucket?ns=" + ok).name()).isEqualTo(ok);
    }
  }

  @Test
  void twoUrisDifferingOnlyInNsShareNothing(@TempDir Path dir) {
    for (String base : List.of("s3://shared/data", "file://" + dir)) {
      NamespaceUri a = NamespaceUri.parse(base + "?ns=tenant-a");
      NamespaceUri ab = NamespaceUri.parse(base + "?ns=tenant-ab");
      assertThat(a.location()).isEqualTo(ab.location());
      assertThat(a.keyPrefix()).doesNotStartWith(ab.keyPrefix());
      assertThat(ab.keyPrefix()).doesNotStartWith(a.keyPrefix());
      assertThat(a.root()).isNotEqualTo(ab.root());
    }
    try (ObjectStore a = ObjectStores.open(NamespaceUri.parse("file://" + dir + "?ns=tenant-a"));
        ObjectStore ab = ObjectStores.open(NamespaceUri.parse("file://" + dir + "?ns=tenant-ab"))) {
      a.putIfAbsent("manifest/1", "a".getBytes(StandardCharsets.UTF_8));
      ab.putIfAbsent("manifest/1", "ab".getBytes(StandardCharsets.UTF_8));

      assertThat(a.get("manifest/1")).asString(StandardCharsets.UTF_8).isEqualTo("a");
      assertThat(ab.list("")).extracting(ObjectInfo::key).containsExactly("manifest/1");
      assertThat(a.location()).isEqualTo("file://" + dir + "/tenant-a");
      assertThat(dir.resolve("tenant-a/manifest/1")).hasContent("a");
    }
  }

  @Test
  void locationUrisNameBackupDestinationsWithoutANamespace(@TempDir Path dir) {
    StoreLocation s3 =
        StoreLocation.parse("s3://backups/tenant-acme?endpoint=http%3A%2F%2Fminio%3A9000");
    assertThat(s3.bucket()).isEqualTo("backups");
    assertThat(s3.keyPrefix()).isEqualTo("tenant-acme/");
    assertThat(s3).hasToString("s3://backups/tenant-acme?endpoint=http%3A%2F%2Fminio%3A9000");
    assertThat(s3.resolve("20261123T120000Z-v42").keyPrefix())
        .isEqualTo("tenant-acme/20261123T120000Z-v42/");

    try (ObjectStore store = ObjectStores.openLocation("file://" + dir + "/backups")) {
      assertThat(store).isInstanceOf(LocalObjectStore.class);
      assertThat(store.location()).isEqualTo("file://" + dir + "/backups");
    }
    assertThatThrownBy(() -> StoreLocation.parse("s3://backups/x?ns=tenant"))
        .isInstanceOf(NamiException.class)
        .hasMessage(
            "unexpected parameter: a location uri takes no ns, use"
                + " s3://BUCKET[/PATH][?endpoint=URL][&region=R][&pathStyle=true] or"
                + " file:///ABSOLUTE/DIR. parameter=\"ns\" uri=\"s3://backups/x?ns=tenant\"");
  }

  // ---- every rule has a failing example ----

  @Test
  void namespaceNameMustBeADnsLabel() {
    String rule =
        "invalid namespace name: must be a DNS label [a-z0-9]([-a-z0-9]*[a-z0-9])?,"
            + " at most 63 characters.";
    rejected(
        "s3://b-1/data?ns=Tenant_A", rule + " ns=\"Tenant_A\" uri=\"s3://b-1/data?ns=Tenant_A\"");
    rejected("s3://b-1?ns=-a", rule + " ns=\"-a\" uri=\"s3://b-1?ns=-a\"");
    rejected("s3://b-1?ns=a-", rule + " ns=\"a-\" uri=\"s3://b-1?ns=a-\"");
    rejected("s3://b-1?ns=a.b", rule + " ns=\"a.b\" uri=\"s3://b-1?ns=a.b\"");
    rejected("file:///d?ns=", rule + " ns=\"\" uri=\"file:///d?ns=\"");
    rejected("s3://b-1?ns=t%C3%A9", rule + " ns=\"té\" uri=\"s3://b-1?ns=t%C3%A9\"");
    String tooLong = "a".repeat(64);
    rejected(
        "s3://b-1?ns=" + tooLong,
        rule + " ns=\"" + tooLong + "\" length=64 uri=\"s3://b-1?ns=" + tooLong + "\"");
    assertThatThrownBy(() -> NamespaceUri.checkName("UPPER")).hasMessage(rule + " ns=\"UPPER\"");
  }

  @Test
  void schemeMustBeS3OrFile() {
    rejected(
        "gs://bucket/data?ns=a",
        "unsupported uri scheme: must be s3 or file. scheme=\"gs\" uri=\"gs://bucket/data?ns=a\"");
    rejected(
        "bucket/data?ns=a",
        "invalid namespace uri: must look like"
            + " s3://BUCKET[/PATH]?ns=NAME[&endpoint=URL][&region=R][&pathStyle=true] or"
            + " file:///ABSOLUTE/DIR?ns=NAME. uri=\"bucket/data?ns=a\"");
    rejected(
        "",
        "invalid namespace uri: must not be empty, use"
            + " s3://BUCKET[/PATH]?ns=NAME[&endpoint=URL][&region=R][&pathStyle=true] or"
            + " file:///ABSOLUTE/DIR?ns=NAME. uri=\"\"");
    rejected(
        " s3://b-1?ns=a",
        "invalid namespace uri: leading or trailing whitespace is not allowed. uri=\" s3://b-1?ns=a\"");
    rejected(
        "s3://b-1?ns=a#frag",
        "invalid namespace uri: fragments (#) are not allowed. uri=\"s3://b-1?ns=a#frag\"");
  }

  @Test
  void nsIsRequired() {
    rejected(
        "s3://my-bucket/data",
        "missing namespace: a namespace uri needs the parameter ns=NAME, as in"
            + " s3://BUCKET[/PATH]?ns=NAME[&endpoint=URL][&region=R][&pathStyle=true] or"
            + " file:///ABSOLUTE/DIR?ns=NAME. uri=\"s3://my-bucket/data\"");
    assertThatThrownBy(() -> NamespaceUri.parse("file:///d?region=x"))
        .hasMessageStartingWith("missing namespace");
  }

  @Test
  void bucketMustBePresentAndValid() {
    rejected(
        "s3:///data?ns=a",
        "missing bucket: an s3 uri must name a bucket, s3://BUCKET[/PATH]. uri=\"s3:///data?ns=a\"");
    rejected(
        "s3://?ns=a",
        "missing bucket: an s3 uri must name a bucket, s3://BUCKET[/PATH]. uri=\"s3://?ns=a\"");
    rejected(
        "s3:bucket?ns=a", "invalid s3 uri: must be s3://BUCKET[/PATH]. uri=\"s3:bucket?ns=a\"");
    String rule =
        "invalid bucket name: must be 3 to 63 characters of a-z, 0-9, '.' and '-',"
            + " starting and ending with a letter or digit.";
    rejected("s3://My_Bucket?ns=a", rule + " bucket=\"My_Bucket\" uri=\"s3://My_Bucket?ns=a\"");
    rejected("s3://ab?ns=a", rule + " bucket=\"ab\" uri=\"s3://ab?ns=a\"");
    rejected(
        "s3://key:secret@bucket?ns=a",
        rule + " bucket=\"key:secret@bucket\" uri=\"s3://key:secret@bucket?ns=a\"");
  }

  @Test
  void filePathMustBeAbsolute() {
    rejected(
        "file://data/dir?ns=a",
        "invalid file uri: the directory must be an absolute path, file:///ABSOLUTE/DIR"
            + " (three slashes, no host). uri=\"file://data/dir?ns=a\"");
    rejected(
        "file://?ns=a",
        "invalid file uri: the directory must be an absolute path, file:///ABSOLUTE/DIR"
            + " (three slashes, no host). uri=\"file://?ns=a\"");
    rejected(
        "file:data?ns=a",
        "invalid file uri: the directory must be an absolute path, file:///ABSOLUTE/DIR."
            + " uri=\"file:data?ns=a\"");
  }

  @Test
  void pathSegmentsMustBeNonEmptyAndNotDots() {
    rejected(
        "s3://b-1/a//b?ns=x",
        "invalid path: segments must be non-empty and not '.' or '..'. segment=\"\""
            + " uri=\"s3://b-1/a//b?ns=x\"");
    rejected(
        "file:///srv/../etc?ns=x",
        "invalid path: segments must be non-empty and not '.' or '..'. segment=\"..\""
            + " uri=\"file:///srv/../etc?ns=x\"");
    rejected(
        "file:///srv/%zz?ns=x",
        "malformed percent-encoding in uri path: use %XX escapes. path=\"/srv/%zz\""
            + " uri=\"file:///srv/%zz?ns=x\"");
  }

  @Test
  void s3PathsLeaveRoomForTheNamespacesKeys() {
    String path = "p".repeat(256);
    rejected(
        "s3://b-1/" + path + "?ns=x",
        "invalid path: at most 255 bytes of UTF-8, the rest of S3's 1024-byte keys is for the"
            + " namespace's own. length=256 uri=\"s3://b-1/"
            + path
            + "?ns=x\"");
    assertThat(NamespaceUri.parse("s3://b-1/" + "p".repeat(255) + "?ns=x").keyPrefix())
        .hasSize(258);
  }

  @Test
  void onlyKnownParametersEachOnce() {
    rejected(
        "s3://b-1?ns=a&nss=b",
        "unknown uri parameter: allowed are ns, endpoint, region, pathStyle. parameter=\"nss\""
            + " uri=\"s3://b-1?ns=a&nss=b\"");
    rejected(
        "s3://b-1?NS=a",
        "unknown uri parameter: allowed are ns, endpoint, region, pathStyle. parameter=\"NS\""
            + " uri=\"s3://b-1?NS=a\"");
    rejected(
        "s3://b-1?ns=a&ns=b",
        "duplicate uri parameter: each parameter may appear once. parameter=\"ns\""
            + " uri=\"s3://b-1?ns=a&ns=b\"");
    rejected(
        "s3://b-1?ns=a&pathStyle",
        "malformed uri parameter: expected key=value. parameter=\"pathStyle\""
            + " uri=\"s3://b-1?ns=a&pathStyle\"");
    rejected(
        "s3://b-1?ns=a&",
        "malformed uri parameter: expected key=value. parameter=\"\" uri=\"s3://b-1?ns=a&\"");
    rejected(
        "s3://b-1?ns=%zz",
        "malformed percent-encoding in uri parameter: use %XX escapes. parameter=\"ns=%zz\""
            + " uri=\"s3://b-1?ns=%zz\"");
    rejected(
        "file:///d?ns=a&endpoint=http%3A%2F%2Fx",
        "unexpected parameter: file uris take only ns, the others are for s3."
            + " parameter=\"endpoint\" uri=\"file:///d?ns=a&endpoint=http%3A%2F%2Fx\"");
  }

  @Test
  void endpointMustBeAnAbsoluteHttpUrl() {
    String rule =
        "invalid endpoint: must be an absolute http or https URL with a host, e.g."
            + " http://127.0.0.1:9000.";
    rejected(
        "s3://b-1?ns=a&endpoint=localhost:9000",
        rule + " endpoint=\"localhost:9000\" uri=\"s3://b-1?ns=a&endpoint=localhost:9000\"");
    rejected(
        "s3://b-1?ns=a&endpoint=ftp%3A%2F%2Fhost",
        rule + " endpoint=\"ftp://host\" uri=\"s3://b-1?ns=a&endpoint=ftp%3A%2F%2Fhost\"");
    rejected(
        "s3://b-1?ns=a&endpoint=http%3A%2F%2F",
        rule + " endpoint=\"http://\" uri=\"s3://b-1?ns=a&endpoint=http%3A%2F%2F\"");
    rejected(
        "s3://b-1?ns=a&endpoint=http%3A%2F%2Fh%20st",
        rule + " endpoint=\"http://h st\" uri=\"s3://b-1?ns=a&endpoint=http%3A%2F%2Fh%20st\"");
  }

  @Test
  void pathStyleMustBeTrueOrFalse() {
    rejected(
        "s3://b-1?ns=a&pathStyle=yes",
        "invalid pathStyle: must be true or false. pathStyle=\"yes\""
            + " uri=\"s3://b-1?ns=a&pathStyle=yes\"");
    rejected(
        "s3://b-1?ns=a&pathStyle=TRUE",
        "invalid pathStyle: must be true or false. pathStyle=\"TRUE\""
            + " uri=\"s3://b-1?ns=a&pathStyle=TRUE\"");
  }

  @Test
  void regionMustBeARegionName() {
    rejected(
        "s3://b-1?ns=a&region=US_EAST_1",
        "invalid region: must be lowercase letters, digits and '-', e.g. us-east-1."
            + " region=\"US_EAST_1\" uri=\"s3://b-1?ns=a&region=US_EAST_1\"");
    rejected(
        "s3://b-1?ns=a&region=",
        "invalid region: must be lowercase letters, digits and '-', e.g. us-east-1."
            + " region=\"\" uri=\"s3://b-1?ns=a&region=\"");
  }
}
