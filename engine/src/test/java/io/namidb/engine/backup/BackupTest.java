package io.namidb.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.IdGenerator;
import io.namidb.engine.NamiException;
import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.NamespaceReader;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.LocalObjectStore;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupTest {
  private final IdGenerator ids = new IdGenerator(new SplittableRandom(1));
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

  private static WriterConfig config() {
    return WriterConfig.defaults()
        .withIds(new IdGenerator(new SplittableRandom(7)))
        .withGroupCommit(Duration.ofMillis(1), 1 << 20)
        .withRetries(3, Duration.ofMillis(1));
  }

  private static NamespaceWriter open(ObjectStore store, WriterConfig config) {
    NamespaceWriter w = NamespaceWriter.open(store, config);
    try {
      w.evolveSchema(
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(
                  "{\"labels\":{\"Person\":{\"key\":\"STRING\",\"properties\":{\"i\":\"INT64\"}}},"
                      + "\"edgeTypes\":{\"KNOWS\":{\"from\":\"Person\",\"to\":\"Person\","
                      + "\"properties\":{\"i\":\"INT64\"}}}}"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w;
  }

  /** Batch i: two people a-i and b-i and a KNOWS edge between them, atomically. */
  private static WriteBatch pair(int i) {
    NodeKey a = NodeKey.of("Person", "a-" + i);
    NodeKey b = NodeKey.of("Person", "b-" + i);
    return WriteBatch.builder()
        .node(new Node(a, Map.of("i", (long) i)))
        .node(new Node(b, Map.of("i", (long) i)))
        .edge(new Edge(new EdgeKey("KNOWS", a, b), Map.of("i", (long) i)))
        .build();
  }

  /** Everything a view holds, as comparable text. */
  private static TreeMap<String, String> dump(GraphView view) {
    TreeMap<String, String> out = new TreeMap<>();
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
    return out;
  }

  private static TreeMap<String, String> dump(ObjectStore store) {
    try (NamespaceReader reader = NamespaceReader.open(store)) {
      return dump(reader.view());
    }
  }

  @Test
  void backupPurgeRestoreRoundTripEqualsTheOriginal() throws Exception {
    MemoryObjectStore root = new MemoryObjectStore();
    ObjectStore ns = root.rootedAt("data/tenant");
    MemoryObjectStore backups = new MemoryObjectStore();
    try (NamespaceWriter w = open(ns, config())) {
      for (int i = 0; i < 50; i++) {
        w.write(pair(i)).get();
        if (i == 20) {
          w.flush();
        }
      }
      w.write(WriteBatch.builder().deleteNode(NodeKey.of("Person", "a-3")).build()).get();
    }
    TreeMap<String, String> original = dump(ns);
    assertThat(original).containsKey("Person:b-3").doesNotContainKey("Person:a-3");

    String name = Backups.backup(ns, backups, backups::rootedAt, clock);
    assertThat(name)
        .isEqualTo(
            "20261124T120000Z-v" + new io.namidb.engine.manifest.ManifestStore(ns).latestVersion());
    assertThat(Backups.list(backups))
        .extracting(Backups.BackupInfo::complete)
        .containsExactly(true);

    Purge.run(ns, ids, clock);
    // left: the seal, each epoch's claim manifest and wal fence; no data
    assertThat(ns.list(""))
        .allMatch(
            o -> o.key().startsWith("manifest/") || (o.key().startsWith("wal/") && o.size() < 512));
    assertThat(dump(ns)).isEmpty();
    assertThatThrownBy(() -> NamespaceWriter.open(ns, config()))
        .isInstanceOf(NamiException.class)
        .hasMessageContaining("purged");

    Restore.Result result = Restore.run(backups.rootedAt(name), ns, ids, clock);
    assertThat(result.walSegmentsFolded()).isPositive();
    assertThat(dump(ns)).isEqualTo(original);
    assertThat(Verify.run(ns).ok()).isTrue();
    try (NamespaceWriter w = open(ns, config())) {
      assertThat(w.epoch()).isGreaterThan(result.epoch());
      w.write(pair(100)).get();
    }
  }

  @Test
  void purgeOfANamespaceThatRestartedLeavesNoObjectHoldingTenantData() throws Exception {
    ObjectStore ns = new MemoryObjectStore().rootedAt("data/tenant");
    for (int restart = 0; restart < 3; restart++) {
      try (NamespaceWriter w = open(ns, config())) {
        for (int i = 0; i < 10; i++) {
          w.write(pair(restart * 10 + i)).get();
        }
        w.flush();
      }
    }

    Purge.run(ns, ids, clock);

    List<String> holding = new ArrayList<>();
    for (ObjectInfo o : ns.list("")) {
      String text = new String(ns.get(o.key()), java.nio.charset.StandardCharsets.ISO_8859_1);
      if (o.key().startsWith("sst/")
          || text.contains("Person")
          || text.contains("KNOWS")
          || text.contains("a-1")
          || text.contains(".parquet")
          || text.contains(".edg")) {
        holding.add(o.key());
      }
    }
    assertThat(holding).as("objects left by purge that hold tenant data").isEmpty();
    // What stays is the tombstones: sealed manifests (the seal and each epoch's first version)
    // and the WAL fences; a writer still cannot claim, and restore still takes it as empty.
    assertThat(ns.list("manifest/")).hasSizeGreaterThanOrEqualTo(4);
    ManifestStore manifests = new ManifestStore(ns);
    for (ObjectInfo o : ns.list("manifest/")) {
      assertThat(manifests.read(Manifest.versionOf(o.key())).sealed()).isTrue();
    }
    assertThatThrownBy(() -> NamespaceWriter.open(ns, config()))
        .isInstanceOf(NamiException.class)
        .hasMessageContaining("purged");
    Purge.run(ns, ids, clock); // idempotent
    assertThat(dump(ns)).isEmpty();
  }

  @Test
  void restoreIntoAPurgedNamespaceSortsEverythingLaterAsNewer() throws Exception {
    MemoryObjectStore root = new MemoryObjectStore();
    ObjectStore busy = root.rootedAt("busy");
    ObjectStore target = root.rootedAt("target");
    MemoryObjectStore backups = new MemoryObjectStore();
    // the source's SSTs carry a high epoch (many restarts)
    for (int restart = 0; restart < 5; restart++) {
      try (NamespaceWriter w = open(busy, config())) {
        w.write(pair(restart)).get();
        w.flush();
      }
    }
    try (NamespaceWriter w = open(target, config())) {
      w.write(pair(99)).get();
    }
    Purge.run(target, ids, clock); // seal epoch is low
    String name = Backups.backup(busy, backups, backups::rootedAt, clock);
    Restore.run(backups.rootedAt(name), target, ids, clock);
    NodeKey a0 = NodeKey.of("Person", "a-0");
    try (NamespaceWriter w = open(target, config())) {
      w.write(WriteBatch.builder().node(new Node(a0, Map.of("i", 1000L))).build()).get();
      w.compact();
      assertThat(w.node(a0)).get().extracting(n -> n.props().get("i")).isEqualTo(1000L);
    }
    try (NamespaceReader r = NamespaceReader.open(target)) {
      assertThat(r.view().node(a0)).get().extracting(n -> n.props().get("i")).isEqualTo(1000L);
    }
  }

  @Test
  void restoreKeepsValuesWrittenUnderASchemaNewerThanTheBackupsManifest() throws Exception {
    MemoryObjectStore ns = new MemoryObjectStore();
    MemoryObjectStore copy = new MemoryObjectStore();
    try (NamespaceWriter w = open(ns, config())) {
      w.write(pair(1)).get();
      w.flush();
      // copy the flushed state, like a sync that saw the manifest before the schema change
      for (ObjectInfo info : ns.list("")) {
        copy.putIfAbsent(info.key(), ns.get(info.key()));
      }
      w.evolveSchema(
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(
                  "{\"labels\":{\"Person\":{\"key\":\"STRING\",\"properties\":{\"age\":\"INT64\"}}}}"));
      w.write(
              WriteBatch.builder()
                  .node(new Node(NodeKey.of("Person", "c"), Map.of("age", 7L)))
                  .build())
          .get();
      // the later manifest (with the new schema) and the new wal segment reach the copy too,
      // but restore picks the older complete manifest if the newer one's SSTs are missing
      for (ObjectInfo info : ns.list("")) {
        if (!copy.head(info.key()).isPresent()) {
          copy.putIfAbsent(info.key(), ns.get(info.key()));
        }
      }
    }
    MemoryObjectStore target = new MemoryObjectStore();
    Restore.run(copy, target, ids, clock);
    try (NamespaceReader r = NamespaceReader.open(target)) {
      assertThat(r.view().node(NodeKey.of("Person", "c")))
          .get()
          .extracting(n -> n.props().get("age"))
          .isEqualTo(7L);
    }
  }

  @Test
  void restoreIntoANonEmptyNamespaceIsRefusedAndWritesNothing() throws Exception {
    MemoryObjectStore root = new MemoryObjectStore();
    ObjectStore source = root.rootedAt("a");
    ObjectStore target = root.rootedAt("b");
    MemoryObjectStore backups = new MemoryObjectStore();
    try (NamespaceWriter w = open(source, config())) {
      w.write(pair(1)).get();
    }
    try (NamespaceWriter w = open(target, config())) {
      w.write(pair(2)).get();
    }
    String name = Backups.backup(source, backups, backups::rootedAt, clock);
    List<String> before = target.list("").stream().map(ObjectInfo::key).toList();
    assertThatThrownBy(() -> Restore.run(backups.rootedAt(name), target, ids, clock))
        .isInstanceOf(NamiException.class)
        .hasMessageContaining("restore target is not empty")
        .extracting(e -> ((NamiException) e).kind())
        .isEqualTo(NamiException.Kind.CONFLICT);
    assertThat(target.list("").stream().map(ObjectInfo::key).toList()).isEqualTo(before);
  }

  @Test
  void interruptedBackupIsNeverCompleteAndPruneKeepsTheNewest() throws Exception {
    MemoryObjectStore ns = new MemoryObjectStore();
    MemoryObjectStore backups = new MemoryObjectStore();
    try (NamespaceWriter w = open(ns, config())) {
      w.write(pair(1)).get();
      w.flush();
    }
    // a run that died after copying an sst but before its manifest
    String sst =
        new io.namidb.engine.manifest.ManifestStore(ns).latest().orElseThrow().ssts().get(0).key();
    ObjectStore interrupted = backups.rootedAt("20261101T000000Z-v1");
    interrupted.putIfAbsent(
        BackupRecord.KEY,
        new BackupRecord(BackupRecord.FORMAT, ns.location(), 1, "20261101T000000Z").encode());
    interrupted.putIfAbsent(sst, ns.get(sst));
    assertThat(Backups.list(backups))
        .extracting(Backups.BackupInfo::complete)
        .containsExactly(false);
    assertThatThrownBy(
            () ->
                Restore.run(
                    backups.rootedAt("20261101T000000Z-v1"), new MemoryObjectStore(), ids, clock))
        .hasMessageContaining("no complete manifest");

    for (int day = 2; day <= 5; day++) {
      Clock c = Clock.fixed(Instant.parse("2026-11-0" + day + "T00:00:00Z"), ZoneOffset.UTC);
      Backups.backup(ns, backups, backups::rootedAt, c);
    }
    long v = new io.namidb.engine.manifest.ManifestStore(ns).latestVersion();
    // an interrupted run younger than a day may still be writing: kept
    assertThat(
            Backups.prune(
                backups,
                ns.location(),
                10,
                Clock.fixed(Instant.parse("2026-11-01T12:00:00Z"), ZoneOffset.UTC)))
        .doesNotContain("20261101T000000Z-v1");
    List<String> deleted = Backups.prune(backups, ns.location(), 2, clock);
    assertThat(deleted)
        .containsExactlyInAnyOrder(
            "20261102T000000Z-v" + v, "20261103T000000Z-v" + v, "20261101T000000Z-v1");
    assertThat(Backups.list(backups))
        .extracting(Backups.BackupInfo::name)
        .containsExactly("20261104T000000Z-v" + v, "20261105T000000Z-v" + v);
    assertThat(backups.list("20261101T000000Z-v1/")).isEmpty();
    assertThatThrownBy(() -> Backups.prune(backups, ns.location(), 0, clock))
        .hasMessageContaining("keep-last");
  }

  @Test
  void backupsInALocalDirectoryAreListedAndPrunedLikeOnS3(@TempDir Path dir) throws Exception {
    // nami backup --to file:///DIR opens DIR for listing and DIR/<name> for each backup: the two
    // agree only because a local key is its path
    try (LocalObjectStore ns = new LocalObjectStore(dir.resolve("ns"));
        LocalObjectStore backups = new LocalObjectStore(dir.resolve("backups"))) {
      try (NamespaceWriter w = open(ns, config())) {
        w.write(pair(1)).get();
        w.flush();
      }
      for (int day = 1; day <= 3; day++) {
        Clock c = Clock.fixed(Instant.parse("2026-11-0" + day + "T00:00:00Z"), ZoneOffset.UTC);
        Backups.backup(ns, backups, name -> new LocalObjectStore(backups.root().resolve(name)), c);
      }
      long v = new ManifestStore(ns).latestVersion();

      assertThat(Backups.list(backups))
          .extracting(Backups.BackupInfo::name, Backups.BackupInfo::complete)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("20261101T000000Z-v" + v, true),
              org.assertj.core.groups.Tuple.tuple("20261102T000000Z-v" + v, true),
              org.assertj.core.groups.Tuple.tuple("20261103T000000Z-v" + v, true));
      assertThat(Backups.prune(backups, ns.location(), 1, clock))
          .containsExactly("20261101T000000Z-v" + v, "20261102T000000Z-v" + v);
      assertThat(Backups.list(backups))
          .extracting(Backups.BackupInfo::name)
          .containsExactly("20261103T000000Z-v" + v);
    }
  }

  @Test
  void pruneTouchesOnlyTheBackupsOfTheNamespaceBeingBackedUp() throws Exception {
    MemoryObjectStore root = new MemoryObjectStore();
    ObjectStore acme = written(root.rootedAt("data/acme"), 1);
    ObjectStore globex = written(root.rootedAt("data/globex"), 2);
    MemoryObjectStore shared = new MemoryObjectStore();
    // a backup from before backups said whose they are
    String legacy = "20261031T000000Z-v1";
    shared.rootedAt(legacy).putIfAbsent(Manifest.key(1), new byte[] {'{', '}'});
    for (int day = 1; day <= 3; day++) {
      Clock c = Clock.fixed(Instant.parse("2026-11-0" + day + "T00:00:00Z"), ZoneOffset.UTC);
      Backups.backup(acme, shared, shared::rootedAt, c);
      Backups.backup(globex, shared, shared::rootedAt, Clock.offset(c, Duration.ofHours(1)));
    }
    assertThat(Backups.list(shared)).hasSize(7);

    List<String> pruned = Backups.prune(shared, acme.location(), 1, clock);

    assertThat(Backups.list(shared)).filteredOn(b -> acme.location().equals(b.source())).hasSize(1);
    assertThat(pruned).hasSize(2).doesNotContain(legacy);
    assertThat(shared.list(legacy + "/")).isNotEmpty();
    assertThat(Backups.list(shared))
        .filteredOn(b -> globex.location().equals(b.source()))
        .as("acme's pruning left globex's backups alone")
        .hasSize(3);
    assertThat(Backups.prune(shared, globex.location(), 1, clock)).hasSize(2);
    assertThat(shared.list(legacy + "/")).isNotEmpty();
  }

  @Test
  void twoTenantsBackingUpInTheSameSecondToOneDestinationNeverMix() throws Exception {
    MemoryObjectStore root = new MemoryObjectStore();
    ObjectStore acme = written(root.rootedAt("data/acme"), 1);
    ObjectStore globex = written(root.rootedAt("data/globex"), 2);
    MemoryObjectStore shared = new MemoryObjectStore();
    String name = Backups.backup(acme, shared, shared::rootedAt, clock);
    assertThatThrownBy(() -> Backups.backup(globex, shared, shared::rootedAt, clock))
        .isInstanceOf(io.namidb.engine.CorruptObjectException.class)
        .hasMessageContaining("already holds a different object");
    assertThat(Backups.list(shared))
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.name()).isEqualTo(name);
              assertThat(b.source()).isEqualTo(acme.location());
            });
    assertThat(dump(restoreInto(shared.rootedAt(name)))).isEqualTo(dump(acme));
  }

  /** {@code ns} after one batch, {@link #pair}(i), was written to it. */
  private static ObjectStore written(ObjectStore ns, int i) throws Exception {
    try (NamespaceWriter w = open(ns, config())) {
      w.write(pair(i)).get();
    }
    return ns;
  }

  private ObjectStore restoreInto(ObjectStore backup) {
    MemoryObjectStore target = new MemoryObjectStore();
    Restore.run(backup, target, ids, clock);
    return target;
  }

  @Test
  void restoreAskedAgainFromTheSameBackupKeepsWhatWasWrittenSince() throws Exception {
    MemoryObjectStore root = new MemoryObjectStore();
    ObjectStore source = written(root.rootedAt("source"), 1);
    ObjectStore target = root.rootedAt("target");
    MemoryObjectStore backups = new MemoryObjectStore();
    String name = Backups.backup(source, backups, backups::rootedAt, clock);
    Restore.Result first = Restore.run(backups.rootedAt(name), target, ids, clock);
    assertThat(first.alreadyRestored()).isFalse();
    try (NamespaceWriter w = open(target, config())) {
      w.write(pair(2)).get();
      w.flush();
    }
    TreeMap<String, String> afterWrites = dump(target);
    List<String> objects = target.list("").stream().map(ObjectInfo::key).toList();

    Restore.Result again = Restore.run(backups.rootedAt(name), target, ids, clock);

    assertThat(again.alreadyRestored()).isTrue();
    assertThat(again.version()).isEqualTo(first.version());
    assertThat(again.sourceVersion()).isEqualTo(first.sourceVersion());
    assertThat(target.list("").stream().map(ObjectInfo::key).toList()).isEqualTo(objects);
    assertThat(dump(target)).isEqualTo(afterWrites).containsKey("Person:a-2");
  }

  @Test
  void restoreFromAnotherBackupIntoARestoredNamespaceIsRefusedNamingTheFirst() throws Exception {
    MemoryObjectStore root = new MemoryObjectStore();
    ObjectStore source = written(root.rootedAt("source"), 1);
    ObjectStore target = root.rootedAt("target");
    MemoryObjectStore backups = new MemoryObjectStore();
    String first = Backups.backup(source, backups, backups::rootedAt, clock);
    String second =
        Backups.backup(
            source, backups, backups::rootedAt, Clock.offset(clock, Duration.ofHours(1)));
    Restore.run(backups.rootedAt(first), target, ids, clock);
    List<String> objects = target.list("").stream().map(ObjectInfo::key).toList();

    assertThatThrownBy(() -> Restore.run(backups.rootedAt(second), target, ids, clock))
        .isInstanceOf(NamiException.class)
        .hasMessageContaining("restore target is not empty")
        .hasMessageContaining("restored from " + backups.rootedAt(first).location());
    assertThat(target.list("").stream().map(ObjectInfo::key).toList()).isEqualTo(objects);
  }

  @Test
  void aRestoreInterruptedBeforeItsManifestRunsAgainInFull() throws Exception {
    MemoryObjectStore source = new MemoryObjectStore();
    MemoryObjectStore backups = new MemoryObjectStore();
    try (NamespaceWriter w = open(source, config())) {
      w.write(pair(1)).get();
      w.flush();
    }
    String name = Backups.backup(source, backups, backups::rootedAt, clock);
    MemoryObjectStore done = new MemoryObjectStore();
    Restore.run(backups.rootedAt(name), done, ids, clock);
    // everything but the manifest: what a restore killed just before its last PUT leaves
    MemoryObjectStore target = new MemoryObjectStore();
    for (ObjectInfo info : done.list("")) {
      if (!info.key().startsWith("manifest/")) {
        target.putIfAbsent(info.key(), done.get(info.key()));
      }
    }
    assertThat(target.head(RestoreMarker.KEY)).isPresent();

    Restore.Result result = Restore.run(backups.rootedAt(name), target, ids, clock);

    assertThat(result.alreadyRestored()).isFalse();
    assertThat(dump(target)).isEqualTo(dump(source));
  }

  @Test
  void purgeDeletesTheRestoreMarkerAndRemovingTombstonesLeavesNothing() throws Exception {
    MemoryObjectStore backups = new MemoryObjectStore();
    ObjectStore source = written(new MemoryObjectStore(), 1);
    String name = Backups.backup(source, backups, backups::rootedAt, clock);
    ObjectStore ns = new MemoryObjectStore().rootedAt("data/tenant");
    Restore.run(backups.rootedAt(name), ns, ids, clock);
    try (NamespaceWriter w = open(ns, config())) {
      w.write(pair(2)).get();
    }

    Purge.run(ns, ids, clock);
    assertThat(ns.head(RestoreMarker.KEY)).isEmpty();
    assertThat(ns.list("")).isNotEmpty(); // the tombstones

    Purge.Plan plan = Purge.run(ns, ids, clock, true);
    assertThat(ns.list("")).isEmpty();
    assertThat(plan.objects()).isPositive();
    // an empty prefix is a new namespace: restore and writers take it
    assertThat(Restore.run(backups.rootedAt(name), ns, ids, clock).alreadyRestored()).isFalse();
    assertThat(dump(ns)).isEqualTo(dump(source));
  }

  /** A namespace with two flushes (five pairs each), and an object-by-object copy of it. */
  private static MemoryObjectStore copyOfTwoFlushes(MemoryObjectStore ns) throws Exception {
    try (NamespaceWriter w = open(ns, config())) {
      for (int i = 0; i < 10; i++) {
        w.write(pair(i)).get();
        if (i == 4 || i == 9) {
          w.flush();
        }
      }
    }
    MemoryObjectStore copy = new MemoryObjectStore();
    for (ObjectInfo info : ns.list("")) {
      copy.putIfAbsent(info.key(), ns.get(info.key()));
    }
    return copy;
  }

  private static void flipAByte(ObjectStore store, String key) {
    byte[] bytes = store.get(key);
    bytes[bytes.length / 2] ^= 0x10;
    store.put(key, bytes);
  }

  @Test
  void aDamagedOrMissingSstOfTheNewestManifestFallsBackToTheNewestCompleteOne() throws Exception {
    for (String damage : List.of("checksum", "missing")) {
      MemoryObjectStore ns = new MemoryObjectStore();
      MemoryObjectStore copy = copyOfTwoFlushes(ns);
      Manifest newest = new ManifestStore(copy).latest().orElseThrow();
      // the last SST the second flush wrote: the ones before it in the manifest are fine
      String broken = newest.ssts().get(newest.ssts().size() - 1).key();
      if (damage.equals("checksum")) {
        flipAByte(copy, broken); // same size: only the checksum tells
      } else {
        copy.delete(broken);
      }
      MemoryObjectStore target = new MemoryObjectStore();

      Restore.Result result = Restore.run(copy, target, ids, clock);

      assertThat(result.sourceVersion()).as(damage).isLessThan(newest.version());
      assertThat(result.skipped())
          .as(damage)
          .first()
          .satisfies(
              s -> {
                assertThat(s.version()).isEqualTo(newest.version());
                assertThat(s.reason())
                    .contains(damage.equals("checksum") ? "checksum mismatch" : "missing object")
                    .contains(broken);
              });
      // the older manifest plus the WAL after its checkpoint: nothing acknowledged is lost
      assertThat(dump(target)).as(damage).isEqualTo(dump(ns));
      assertThat(Verify.run(target).ok()).as(damage).isTrue();
      List<String> named =
          new ManifestStore(target)
              .latest().orElseThrow().ssts().stream()
                  .map(io.namidb.engine.manifest.SstEntry::key)
                  .toList();
      assertThat(target.list("sst/"))
          .as("%s: no SST copied for the skipped version is left behind", damage)
          .extracting(ObjectInfo::key)
          .allMatch(named::contains);
    }
  }

  @Test
  void withNoCompleteManifestTheRestoreFailsNamingWhyAndLeavesTheTargetEmpty() throws Exception {
    MemoryObjectStore copy = copyOfTwoFlushes(new MemoryObjectStore());
    ManifestStore manifests = new ManifestStore(copy);
    Manifest newest = manifests.latest().orElseThrow();
    assertThat(newest.ssts()).hasSize(6); // per flush: Person, KNOWS out, KNOWS in
    // an SST of the first flush, which every version with SSTs names; versions without SSTs gone
    io.namidb.engine.manifest.SstEntry shared = newest.ssts().get(2);
    flipAByte(copy, shared.key());
    for (ObjectInfo info : copy.list("manifest/")) {
      if (manifests.read(Manifest.versionOf(info.key())).ssts().isEmpty()) {
        copy.delete(info.key());
      }
    }
    MemoryObjectStore target = new MemoryObjectStore();

    assertThatThrownBy(() -> Restore.run(copy, target, ids, clock))
        .isInstanceOfSatisfying(
            NamiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(NamiException.Kind.INVALID_INPUT);
              assertThat(e.getMessage())
                  .startsWith("no complete manifest")
                  .contains("version=" + newest.version(), "checksum mismatch", shared.key());
            });
    assertThat(target.list("")).isEmpty();
  }

  @Test
  void restoreVerifiesWhatItWroteBeforeWritingItsManifest() throws Exception {
    MemoryObjectStore ns = new MemoryObjectStore();
    MemoryObjectStore copy = copyOfTwoFlushes(ns);
    MemoryObjectStore backend = new MemoryObjectStore();
    io.namidb.engine.store.FaultInjectingObjectStore target =
        new io.namidb.engine.store.FaultInjectingObjectStore(backend, new Random(1));
    target
        .on(io.namidb.engine.store.StoreOp.PUT_IF_ABSENT, "sst/edges/")
        .corrupt()
        .afterMatches(1)
        .times(1);

    assertThatThrownBy(() -> Restore.run(copy, target, ids, clock))
        .isInstanceOfSatisfying(
            NamiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(NamiException.Kind.CORRUPT);
              assertThat(e.getMessage()).contains("checksum mismatch");
            });
    assertThat(backend.list("manifest/")).as("no manifest names the damaged copy").isEmpty();
    assertThat(backend.head(RestoreMarker.KEY)).isEmpty();
    assertThat(backend.list("")).as("what the failed restore wrote is removed").isEmpty();

    Restore.run(copy, backend, ids, clock); // asked again, on a store that keeps what it is given
    assertThat(dump(backend)).isEqualTo(dump(ns));
  }

  @Test
  void shuffledObjectCopyOfALiveNamespaceRestoresToAConsistentPrefix() throws Exception {
    for (long seed = 1; seed <= 5; seed++) {
      Random random = new Random(seed);
      MemoryObjectStore ns = new MemoryObjectStore();
      MemoryObjectStore copy = new MemoryObjectStore();
      int written = 0;
      try (NamespaceWriter w =
          open(
              ns,
              config()
                  .withFlush(1L << 40, Duration.ofDays(1), 3)
                  .withRetention(4, Duration.ZERO))) {
        for (; written < 30; written++) {
          w.write(pair(written)).get();
        }
        w.flush();
        // copy like `aws s3 sync`: list once, copy in random order while writes, flushes,
        // compactions and GC go on
        List<ObjectInfo> listed = new ArrayList<>(ns.list(""));
        Collections.shuffle(listed, random);
        for (ObjectInfo info : listed) {
          try {
            copy.putIfAbsent(info.key(), ns.get(info.key()));
          } catch (io.namidb.engine.store.ObjectNotFoundException gone) {
            // deleted by GC meanwhile: sync skips it
          }
          if (random.nextInt(3) == 0) {
            w.write(pair(written++)).get();
          }
          if (random.nextInt(8) == 0) {
            w.flush();
          }
        }
      }
      MemoryObjectStore target = new MemoryObjectStore();
      Restore.run(copy, target, ids, clock);
      TreeSet<Integer> present = new TreeSet<>();
      try (NamespaceReader reader = NamespaceReader.open(target)) {
        GraphView view = reader.view();
        for (Node n : view.scan("Person")) {
          int i = ((Long) n.props().get("i")).intValue();
          present.add(i);
          NodeKey a = NodeKey.of("Person", "a-" + i);
          NodeKey b = NodeKey.of("Person", "b-" + i);
          assertThat(view.node(a)).as("seed %d: pair %d whole", seed, i).isPresent();
          assertThat(view.node(b)).as("seed %d: pair %d whole", seed, i).isPresent();
          assertThat(view.edges(a, "KNOWS", io.namidb.engine.model.Direction.OUT))
              .as("seed %d: edge of pair %d", seed, i)
              .hasSize(1);
        }
      }
      assertThat(present).as("seed %d: a prefix of the history", seed).isNotEmpty();
      assertThat(present.last() + 1).as("seed %d: no gaps", seed).isEqualTo(present.size());
    }
  }
}
