package io.namidb.writer;

import static io.namidb.writer.TestGraph.knows;
import static io.namidb.writer.TestGraph.nodes;
import static io.namidb.writer.TestGraph.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One storage credential per tenant, confined by {@code docs/policies/tenant-minio-policy.json}
 * (the policy docs/kubernetes.md gives to platform teams), on a real MinIO with two users made
 * through its admin API: a tenant's writer, backup, purge and restore work with its own credential;
 * that credential cannot list, read or write anything of the other tenant; and a writer or backup
 * given the wrong tenant's credential refuses with a message that says so and writes nothing.
 */
@WithMinio
class TenantCredentialsMinioIT {
  private static final String ACME_SECRET = "acme-secret-key-0123456789";
  private static final String GLOBEX_SECRET = "globex-secret-key-0123456789";

  private static MinioBucket s3;

  @BeforeAll
  static void tenants(MinioBucket bucket) throws Exception {
    s3 = bucket;
    TestCredentials.useFor(bucket); // the test's own reads use the root credential
    MinioAdminClient admin =
        MinioAdminClient.builder()
            .endpoint(bucket.endpoint().toString())
            .credentials(bucket.accessKey(), bucket.secretKey())
            .build();
    String template =
        Files.readString(Path.of("..", "docs", "policies", "tenant-minio-policy.json"));
    for (String tenant : List.of("acme", "globex")) {
      String policy =
          template
              .replace("${DATA_BUCKET}", bucket.bucket())
              .replace("${DATA_PREFIX}", "data/" + tenant)
              .replace("${BACKUP_BUCKET}", bucket.bucket())
              .replace("${BACKUP_PREFIX}", "backups/" + tenant);
      assertThat(policy).doesNotContain("${");
      admin.addCannedPolicy("namidb-" + tenant, policy);
      admin.addUser(tenant, UserInfo.Status.ENABLED, secretOf(tenant), null, null);
      admin.setPolicy(tenant, false, "namidb-" + tenant);
    }
  }

  private static String secretOf(String tenant) {
    return tenant.equals("acme") ? ACME_SECRET : GLOBEX_SECRET;
  }

  private static Map<String, String> envOf(String tenant) {
    return Map.of(
        "AWS_ACCESS_KEY_ID", tenant,
        "AWS_SECRET_ACCESS_KEY", secretOf(tenant),
        "AWS_REGION", s3.region());
  }

  private static String uriOf(String tenant) {
    return s3.namespaceUri("data", tenant);
  }

  private static String backupsOf(String tenant) {
    return "s3://"
        + s3.bucket()
        + "/backups/"
        + tenant
        + "?endpoint="
        + s3.endpoint()
        + "&pathStyle=true";
  }

  /** Every key under {@code prefix}, listed with the root credential. */
  private static List<String> keysUnder(String prefix) {
    try (S3Client root = s3.client()) {
      return root
          .listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix(prefix))
          .contents()
          .stream()
          .map(S3Object::key)
          .sorted()
          .toList();
    }
  }

  /** Serves {@code tenant}'s namespace with its own credential and writes a small graph. */
  private static void writeGraph(String tenant, int people) {
    try (WriterProcess writer =
        WriterProcess.serveReady(tenant + "-own", uriOf(tenant), envOf(tenant))) {
      Http http = writer.http();
      assertThat(http.put("/v1/schema", TestGraph.SCHEMA).status()).isEqualTo(200);
      for (int i = 0; i < people; i++) {
        Http.Reply r =
            http.post("/v1/write", nodes(person(tenant + "-" + i, "{\"age\":" + i + "}")));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
      }
      Http.Reply edge =
          http.post(
              "/v1/write",
              "{\"edges\":[" + knows(tenant + "-1", tenant + "-0", "{\"since\":1}") + "]}");
      assertThat(edge.status()).as("%s", edge).isEqualTo(200);
      writer.stopCleanly();
    }
  }

  private static Http.Reply readNode(String tenant, String key) {
    try (WriterProcess writer =
        WriterProcess.serveReady(tenant + "-read", uriOf(tenant), envOf(tenant))) {
      Http.Reply r = writer.http().get("/v1/nodes/Person/" + key);
      writer.stopCleanly();
      return r;
    }
  }

  @Test
  void aTenantsOwnCredentialRunsItsWriterBackupPurgeAndRestore() {
    writeGraph("acme", 3);
    List<String> written = keysUnder("data/acme/");
    assertThat(written).isNotEmpty();

    WriterProcess.Result backup =
        WriterProcess.run(
            envOf("acme"), "backup", "--uri", uriOf("acme"), "--to", backupsOf("acme"));
    assertThat(backup.exitCode()).as(backup.stderr()).isZero();
    String location = backup.stdout().trim();
    assertThat(location).contains("/backups/acme/");

    WriterProcess.Result purge =
        WriterProcess.run(envOf("acme"), "purge", "--uri", uriOf("acme"), "--yes");
    assertThat(purge.exitCode()).as(purge.stderr()).isZero();
    WriterProcess.Result restore =
        WriterProcess.run(envOf("acme"), "restore", "--uri", uriOf("acme"), "--from", location);
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    WriterProcess.Result verify =
        WriterProcess.run(envOf("acme"), "verify", "--uri", uriOf("acme"));
    assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();

    Http.Reply node = readNode("acme", "acme-2");
    assertThat(node.status()).as("%s", node).isEqualTo(200);
    assertThat(node.json().get("props").get("age").asInt()).isEqualTo(2);
  }

  @Test
  void aTenantsCredentialCannotListReadOrWriteAnythingOfAnotherTenant() {
    writeGraph("globex", 2);
    WriterProcess.Result backup =
        WriterProcess.run(
            envOf("globex"), "backup", "--uri", uriOf("globex"), "--to", backupsOf("globex"));
    assertThat(backup.exitCode()).as(backup.stderr()).isZero();
    List<String> globexData = keysUnder("data/globex/");
    List<String> globexBackups = keysUnder("backups/globex/");
    assertThat(globexData).isNotEmpty();
    assertThat(globexBackups).isNotEmpty();

    try (S3Client acme = s3.client("acme", ACME_SECRET)) {
      // acme's own prefix works with acme's credential: the refusals below are the policy's
      acme.putObject(
          b -> b.bucket(s3.bucket()).key("data/acme/probe"),
          RequestBody.fromString("acme", StandardCharsets.UTF_8));
      assertThat(acme.listObjectsV2(b -> b.bucket(s3.bucket()).prefix("data/acme/")).contents())
          .isNotEmpty();
      acme.deleteObject(b -> b.bucket(s3.bucket()).key("data/acme/probe"));

      for (String prefix : List.of("data/globex/", "backups/globex/", "data/", "backups/", "")) {
        assertDenied(
            "list " + prefix,
            c -> c.listObjectsV2(b -> b.bucket(s3.bucket()).prefix(prefix)),
            acme);
      }
      for (String key : List.of(globexData.get(0), globexBackups.get(0))) {
        assertDenied(
            "read " + key, c -> c.getObjectAsBytes(b -> b.bucket(s3.bucket()).key(key)), acme);
        assertDenied(
            "overwrite " + key,
            c ->
                c.putObject(
                    b -> b.bucket(s3.bucket()).key(key),
                    RequestBody.fromString("acme was here", StandardCharsets.UTF_8)),
            acme);
        assertDenied(
            "delete " + key, c -> c.deleteObject(b -> b.bucket(s3.bucket()).key(key)), acme);
      }
      assertDenied(
          "create data/globex/wal/x",
          c ->
              c.putObject(
                  b -> b.bucket(s3.bucket()).key("data/globex/wal/x"),
                  RequestBody.fromString("x", StandardCharsets.UTF_8)),
          acme);
    }
    assertThat(keysUnder("data/globex/")).isEqualTo(globexData);
    assertThat(keysUnder("backups/globex/")).isEqualTo(globexBackups);
    assertThat(readNode("globex", "globex-1").status()).isEqualTo(200);
  }

  @Test
  void theWrongTenantsCredentialIsRefusedWithAClearErrorAndNothingIsWritten() {
    writeGraph("globex", 2);
    List<String> before = keysUnder("data/globex/");

    // a writer for globex started with acme's credential: it must not come up half-open
    int port = WriterProcess.freePort();
    WriterProcess.Result serve =
        WriterProcess.run(
            envOf("acme"), "serve", "--uri", uriOf("globex"), "--port", Integer.toString(port));
    assertThat(serve.exitCode()).as(serve.stdout() + serve.stderr()).isNotZero();
    assertThat(serve.stdout() + serve.stderr())
        .contains("access denied")
        .contains("data/globex")
        .doesNotContain(ACME_SECRET);

    // a namespace that does not exist yet under a prefix acme may not write: nothing is created
    WriterProcess.Result fresh =
        WriterProcess.run(
            envOf("acme"),
            "serve",
            "--uri",
            uriOf("initech"),
            "--port",
            Integer.toString(WriterProcess.freePort()));
    assertThat(fresh.exitCode()).isNotZero();
    assertThat(fresh.stdout() + fresh.stderr()).contains("access denied");
    assertThat(keysUnder("data/initech/")).isEmpty();

    // acme backing globex up, or backing itself up into globex's destination, is refused too
    WriterProcess.Result steal =
        WriterProcess.run(
            envOf("acme"), "backup", "--uri", uriOf("globex"), "--to", backupsOf("acme"));
    assertThat(steal.exitCode()).isNotZero();
    assertThat(steal.stderr()).contains("access denied");
    assertThat(keysUnder("backups/acme/")).noneMatch(k -> k.contains("globex"));
    writeGraph("acme", 2);
    List<String> globexBackups = keysUnder("backups/globex/");
    WriterProcess.Result plant =
        WriterProcess.run(
            envOf("acme"), "backup", "--uri", uriOf("acme"), "--to", backupsOf("globex"));
    assertThat(plant.exitCode()).isNotZero();
    assertThat(plant.stderr()).contains("access denied");
    assertThat(keysUnder("backups/globex/")).isEqualTo(globexBackups);

    // a secret key that does not match is named as such
    Map<String, String> wrongSecret =
        Map.of(
            "AWS_ACCESS_KEY_ID",
            "globex",
            "AWS_SECRET_ACCESS_KEY",
            ACME_SECRET,
            "AWS_REGION",
            s3.region());
    WriterProcess.Result badKey =
        WriterProcess.run(
            wrongSecret,
            "serve",
            "--uri",
            uriOf("globex"),
            "--port",
            Integer.toString(WriterProcess.freePort()));
    assertThat(badKey.exitCode()).isNotZero();
    assertThat(badKey.stdout() + badKey.stderr())
        .contains("secret key")
        .doesNotContain(ACME_SECRET);

    assertThat(keysUnder("data/globex/")).as("globex's namespace is untouched").isEqualTo(before);
  }

  private static void assertDenied(String what, Consumer<S3Client> call, S3Client client) {
    S3Exception e = catchThrowableOfType(S3Exception.class, () -> call.accept(client));
    assertThat(e).as("%s with acme's credential must be refused", what).isNotNull();
    assertThat(e.statusCode()).as(what).isEqualTo(403);
  }
}
