package io.namidb.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.NamespaceReader;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.Node;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code nami load / backup / purge / restore / verify} as a user runs them, against real MinIO:
 * the round trip equals the original, a backup taken while writes flow restores to a state with
 * every write acknowledged before it started, and a restore into a non-empty namespace is refused
 * without writing anything.
 */
@WithMinio
class BackupRestoreMinioIT {
  private static Map<String, String> env;

  @BeforeAll
  static void credentials(MinioBucket s3) {
    TestCredentials.useFor(s3);
    env = WriterProcess.minioEnv(s3);
  }

  private static TreeMap<String, String> dump(String uri) {
    TreeMap<String, String> out = new TreeMap<>();
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri));
        NamespaceReader reader = NamespaceReader.open(store)) {
      GraphView view = reader.view();
      for (String label : view.labels()) {
        for (Node n : view.scan(label)) {
          out.put(n.id().toString(), new TreeMap<>(n.props()).toString());
        }
      }
      for (String type : view.edgeTypes()) {
        for (Edge e : view.scanEdges(type)) {
          out.put(e.id().toString(), new TreeMap<>(e.props()).toString());
        }
      }
    }
    return out;
  }

  private static WriterProcess.Result nami(String... args) {
    return WriterProcess.run(env, args);
  }

  private static void load(String uri, int people) throws Exception {
    Path dir = Files.createTempDirectory("nami-load");
    Path schema = Files.writeString(dir.resolve("schema.json"), TestGraph.SCHEMA);
    List<String> nodes = new ArrayList<>();
    List<String> edges = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      nodes.add(TestGraph.person("p" + i, "{\"age\":" + i + "}"));
      if (i > 0) {
        edges.add(TestGraph.knows("p" + i, "p" + (i - 1), "{\"since\":" + i + "}"));
      }
    }
    Path n = Files.write(dir.resolve("nodes.jsonl"), nodes);
    Path e = Files.write(dir.resolve("edges.jsonl"), edges);
    WriterProcess.Result r =
        nami("load", "--uri", uri, "--schema", schema.toString(), n.toString(), e.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("loaded " + people + " nodes and " + (people - 1) + " edges");
  }

  @Test
  void backupPurgeRestoreRoundTripEqualsTheOriginal(MinioBucket s3) throws Exception {
    String uri = s3.namespaceUri("data", "round-trip");
    String to =
        "s3://" + s3.bucket() + "/backups/round-trip?endpoint=" + s3.endpoint() + "&pathStyle=true";
    load(uri, 300);
    TreeMap<String, String> original = dump(uri);
    assertThat(original).hasSize(300 + 299);

    WriterProcess.Result backup = nami("backup", "--uri", uri, "--to", to, "--keep-last", "2");
    assertThat(backup.exitCode()).as(backup.stderr()).isZero();
    String location = backup.stdout().trim();
    assertThat(location).matches("s3://.*/backups/round-trip/\\d{8}T\\d{6}Z-v\\d+.*");

    WriterProcess.Result dry = nami("purge", "--uri", uri);
    assertThat(dry.exitCode()).isZero();
    assertThat(dry.stdout()).contains("would purge");
    assertThat(dump(uri)).as("a dry run deletes nothing").isEqualTo(original);

    assertThat(nami("purge", "--uri", uri, "--yes").exitCode()).isZero();
    assertThat(dump(uri)).isEmpty();

    WriterProcess.Result restore = nami("restore", "--uri", uri, "--from", location);
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    assertThat(dump(uri)).isEqualTo(original);
    WriterProcess.Result verify = nami("verify", "--uri", uri);
    assertThat(verify.exitCode()).as(verify.stdout()).isZero();
    assertThat(verify.stdout()).startsWith("ok ");

    // the same restore asked for again (a rebuilt resource without status) does nothing
    List<String> before = keys(uri);
    WriterProcess.Result again = nami("restore", "--uri", uri, "--from", location);
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stdout()).contains("was already restored from").contains("nothing to do");
    assertThat(keys(uri)).isEqualTo(before);

    // a restore of another backup into the now non-empty namespace is refused, writes nothing
    String other = s3.namespaceUri("data", "round-trip-other");
    load(other, 3);
    WriterProcess.Result otherBackup = nami("backup", "--uri", other, "--to", to);
    assertThat(otherBackup.exitCode()).as(otherBackup.stderr()).isZero();
    WriterProcess.Result refused =
        nami("restore", "--uri", uri, "--from", otherBackup.stdout().trim());
    assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(3);
    assertThat(refused.stderr())
        .contains("restore target is not empty")
        .contains("restored from s3://" + s3.bucket() + "/backups/round-trip/");
    assertThat(keys(uri)).isEqualTo(before);
    assertThat(dump(uri)).isEqualTo(original);
  }

  @Test
  void tenantsSharingADestinationPruneOnlyTheirOwnBackups(MinioBucket s3) throws Exception {
    String acme = s3.namespaceUri("data", "acme");
    String globex = s3.namespaceUri("data", "globex");
    String to = "s3://" + s3.bucket() + "/shared?endpoint=" + s3.endpoint() + "&pathStyle=true";
    load(acme, 5);
    load(globex, 7);
    List<String> globexBackups = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      WriterProcess.Result g = nami("backup", "--uri", globex, "--to", to, "--keep-last", "5");
      assertThat(g.exitCode()).as(g.stderr()).isZero();
      globexBackups.add(g.stdout().trim());
      awaitNextSecond(); // backup names have one-second resolution
    }
    for (int round = 0; round < 3; round++) {
      WriterProcess.Result a = nami("backup", "--uri", acme, "--to", to, "--keep-last", "1");
      assertThat(a.exitCode()).as(a.stderr()).isZero();
      awaitNextSecond();
    }
    try (ObjectStore shared = ObjectStores.openLocation(to)) {
      List<io.namidb.engine.backup.Backups.BackupInfo> left =
          io.namidb.engine.backup.Backups.list(shared);
      assertThat(left)
          .filteredOn(b -> b.source().endsWith("/data/acme"))
          .as("acme keeps its newest one")
          .hasSize(1);
      assertThat(left)
          .filteredOn(b -> b.source().endsWith("/data/globex"))
          .as("acme's --keep-last 1 left globex's backups alone")
          .hasSize(2);
    }
    for (String location : globexBackups) {
      String target = s3.namespaceUri("data", "globex-" + globexBackups.indexOf(location));
      assertThat(nami("restore", "--uri", target, "--from", location).exitCode()).isZero();
      assertThat(dump(target)).isEqualTo(dump(globex));
    }
  }

  @Test
  void aDestinationInsideTheNamespacesPrefixIsRefusedBeforeAnythingIsWritten(MinioBucket s3)
      throws Exception {
    String uri = s3.namespaceUri("data", "inside");
    load(uri, 2);
    List<String> before = keys(uri);
    String inside =
        "s3://"
            + s3.bucket()
            + "/data/inside/backups?endpoint="
            + s3.endpoint()
            + "&pathStyle=true";
    WriterProcess.Result r = nami("backup", "--uri", uri, "--to", inside);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("--to lies inside the namespace's own prefix");
    assertThat(keys(uri)).isEqualTo(before);
  }

  @Test
  void purgeRemovingTombstonesLeavesNoObjectUnderThePrefix(MinioBucket s3) throws Exception {
    String uri = s3.namespaceUri("data", "erased");
    load(uri, 4);
    WriterProcess.Result refused = nami("purge", "--uri", uri, "--remove-tombstones");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stderr()).contains("--remove-tombstones needs --yes");
    assertThat(keys(uri)).isNotEmpty();

    WriterProcess.Result purge = nami("purge", "--uri", uri, "--yes", "--remove-tombstones");
    assertThat(purge.exitCode()).as(purge.stderr()).isZero();
    assertThat(purge.stdout()).contains("tombstones included; the prefix is empty");
    assertThat(keys(uri)).isEmpty();
    // an empty prefix is a new namespace again
    load(uri, 2);
    assertThat(dump(uri)).hasSize(2 + 1);
  }

  @Test
  void backupTakenWhileWritesFlowRestoresEveryWriteAcknowledgedBeforeIt(MinioBucket s3)
      throws Exception {
    String uri = s3.namespaceUri("data", "live");
    String to =
        "s3://" + s3.bucket() + "/backups/live?endpoint=" + s3.endpoint() + "&pathStyle=true";
    load(uri, 50);
    String location;
    List<String> ackedBefore;
    try (WriterProcess server = WriterProcess.serveReady("live", uri, env);
        WriteStream stream = new WriteStream(server.http(), "w", 4).start()) {
      awaitAcks(stream, 50);
      ackedBefore = stream.acknowledged();
      WriterProcess.Result backup = nami("backup", "--uri", uri, "--to", to);
      assertThat(backup.exitCode()).as(backup.stderr()).isZero();
      location = backup.stdout().trim();
      awaitAcks(stream, stream.acknowledged().size() + 20); // writes go on after the backup
    }
    String target = s3.namespaceUri("data", "live-restored");
    WriterProcess.Result restore = nami("restore", "--uri", target, "--from", location);
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    TreeMap<String, String> restored = dump(target);
    assertThat(ackedBefore).isNotEmpty();
    for (String key : ackedBefore) {
      assertThat(restored).as("acknowledged before the backup began").containsKey("Person:" + key);
    }
    assertThat(nami("verify", "--uri", target).exitCode()).isZero();
  }

  @Test
  void shuffledObjectCopyOfALiveNamespaceRestoresToAConsistentState(MinioBucket s3)
      throws Exception {
    String uri = s3.namespaceUri("data", "synced");
    load(uri, 20);
    String copyUri =
        "s3://" + s3.bucket() + "/copies/synced?endpoint=" + s3.endpoint() + "&pathStyle=true";
    List<String> acked;
    try (WriterProcess server =
            WriterProcess.serve(
                "synced",
                uri,
                env,
                List.of("-Dnami.writer.flush-size=64K", "-Dnami.writer.flush-interval=1s"));
        ObjectStore source = ObjectStores.open(NamespaceUri.parse(uri));
        ObjectStore copy = ObjectStores.openLocation(copyUri)) {
      server.awaitReady();
      try (WriteStream stream = new WriteStream(server.http(), "s", 4).start()) {
        // copy only once flushes have written SSTs, so the copy races flushes and compactions
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofMinutes(1))
            .until(() -> source.list("sst/").size() >= 2);
        // like `aws s3 sync`: list once, copy in random order while writes and flushes go on
        List<ObjectInfo> listed = new ArrayList<>(source.list(""));
        java.util.Collections.shuffle(listed, new java.util.Random(7));
        for (ObjectInfo info : listed) {
          try {
            copy.putIfAbsent(info.key(), source.get(info.key()));
          } catch (io.namidb.engine.store.ObjectNotFoundException gone) {
            // collected meanwhile: a sync skips it too
          }
        }
        acked = stream.acknowledged();
      }
    }
    String target = s3.namespaceUri("data", "synced-restored");
    WriterProcess.Result restore = nami("restore", "--uri", target, "--from", copyUri);
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    TreeMap<String, String> restored = dump(target);
    assertThat(nami("verify", "--uri", target).exitCode()).isZero();
    // the loaded chain p0 <- p1 <- ... is whole: nothing half-applied
    for (int i = 0; i < 20; i++) {
      assertThat(restored).containsKey("Person:p" + i);
    }
    // every restored stream write was acknowledged at some point: nothing invented
    for (String key : restored.keySet()) {
      if (key.startsWith("Person:s-")) {
        assertThat(acked).contains(key.substring("Person:".length()));
      }
    }
  }

  /** Until the wall clock is in the next second: backups taken in one second share a name. */
  private static void awaitNextSecond() {
    long second = java.time.Instant.now().getEpochSecond();
    org.awaitility.Awaitility.await()
        .pollInterval(java.time.Duration.ofMillis(20))
        .until(() -> java.time.Instant.now().getEpochSecond() > second);
  }

  private static void awaitAcks(WriteStream stream, int n) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofMinutes(1))
        .until(() -> stream.acknowledged().size() >= n);
  }

  private static List<String> keys(String uri) {
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri))) {
      return store.list("").stream().map(ObjectInfo::key).toList();
    }
  }
}
