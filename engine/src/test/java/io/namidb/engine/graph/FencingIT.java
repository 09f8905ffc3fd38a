package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.FencedException;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.engine.testing.ChildProcess;
import io.namidb.engine.wal.WalLog;
import io.namidb.engine.wal.WalSegment;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Epoch fencing and crash recovery against real MinIO, in one JVM and across OS processes. */
@WithMinio
class FencingIT {
  private static final Path LOGS = Path.of("target", "writer-processes");

  private static ObjectStore open(String uri) {
    return ObjectStores.open(NamespaceUri.parse(uri));
  }

  private static NamespaceWriter writer(String uri) {
    NamespaceWriter w = NamespaceWriter.open(open(uri), WriterConfig.defaults());
    w.evolveSchema(Writes.json(io.namidb.engine.testing.WriterProcess.SCHEMA));
    return w;
  }

  /** Keys of live Person nodes written by {@code prefix} (prop writer=prefix). */
  private static Set<String> visible(NamespaceWriter w, String prefix) {
    return w.view().scan("Person").stream()
        .filter(n -> prefix.equals(n.props().get("writer")))
        .map(n -> (String) n.key())
        .collect(Collectors.toSet());
  }

  private static WriteBatch node(String key, String writer) {
    return WriteBatch.builder()
        .node(new Node(NodeKey.of("Person", key), Map.of("writer", writer)))
        .build();
  }

  private static long ackLsn(ChildProcess p, String key) {
    for (String l : p.lines()) {
      String[] parts = l.split(" ");
      if (parts.length == 3 && parts[0].equals("ack") && parts[1].equals(key)) {
        return Long.parseLong(parts[2]);
      }
    }
    throw new AssertionError("no ack for " + key);
  }

  @Test
  void secondWriterInTheSameJvmFencesTheFirst(MinioBucket s3) throws Exception {
    String uri = s3.namespaceUri("data", "same-jvm");
    try (NamespaceWriter a = writer(uri)) {
      List<String> acked = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        a.write(node("a-" + i, "a")).get();
        acked.add("a-" + i);
      }
      try (NamespaceWriter b = writer(uri)) {
        assertThat(b.epoch()).isEqualTo(a.epoch() + 1);
        assertThatThrownBy(() -> a.write(node("a-late", "a")).get())
            .hasCauseInstanceOf(FencedException.class);
        assertThat(a.state()).isEqualTo(NamespaceWriter.State.FENCED);
        for (int i = 0; i < 20; i++) {
          b.write(node("b-" + i, "b")).get();
        }
      }
      try (NamespaceWriter c = writer(uri)) {
        assertThat(visible(c, "a")).containsExactlyInAnyOrderElementsOf(acked);
        assertThat(visible(c, "b")).hasSize(20);
      }
    }
  }

  @Test
  void secondWriterProcessFencesTheFirstProcess(MinioBucket s3) throws Exception {
    String uri = s3.namespaceUri("data", "two-procs");
    try (ChildProcess a =
        ChildProcess.startWriter(
            s3.credentialsEnv(), LOGS.resolve("a.log"), uri, "a", "1000000", "4")) {
      a.await(l -> l.startsWith("ready"), 60);
      awaitAcks(a, 20);
      long bFence;
      try (ChildProcess b =
          ChildProcess.startWriter(
              s3.credentialsEnv(), LOGS.resolve("b.log"), uri, "b", "50", "4")) {
        bFence = Long.parseLong(b.await(l -> l.startsWith("ready"), 60).split(" ")[3]);
        assertThat(b.waitFor(60)).as("b finished its writes").isZero();
        assertThat(b.acked()).hasSize(50);
      }
      assertThat(a.waitFor(180)).as("a exits as fenced").isEqualTo(3);
      assertThat(a.lines()).anyMatch(l -> l.startsWith("fenced"));
      List<String> aAcked = a.acked();
      for (String key : aAcked) {
        assertThat(ackLsn(a, key)).as("a's acks precede b's fence").isLessThan(bFence);
      }
      try (NamespaceWriter c = writer(uri)) {
        assertThat(visible(c, "a"))
            .as("exactly a's acknowledged writes, nothing after b's claim")
            .containsExactlyInAnyOrderElementsOf(aAcked);
        assertThat(visible(c, "b")).hasSize(50);
      }
    }
  }

  @Test
  void pausedZombieResumedMidBatchIsFencedAndNeverOverwrites(MinioBucket s3) throws Exception {
    String uri = s3.namespaceUri("data", "zombie");
    try (ChildProcess zombie =
        ChildProcess.startWriter(
            s3.credentialsEnv(), LOGS.resolve("zombie.log"), uri, "z", "1000000", "16")) {
      zombie.await(l -> l.startsWith("ready"), 60);
      awaitAcks(zombie, 50);
      zombie.signal("STOP");
      List<Long> bSegments = new ArrayList<>();
      String bWriter;
      try (NamespaceWriter b = writer(uri)) {
        bWriter = b.writerId();
        bSegments.add(b.walSegment());
        for (int i = 0; i < 10; i++) {
          bSegments.add(b.write(node("b-" + i, "b")).get());
        }
        zombie.signal("CONT");
        assertThat(zombie.waitFor(180)).as("zombie exits as fenced").isEqualTo(3);
        for (String key : zombie.acked()) {
          assertThat(ackLsn(zombie, key)).isLessThan(bSegments.get(0));
        }
        b.write(node("b-after", "b")).get();
      }
      WalLog wal =
          new WalLog(
              open(uri),
              io.namidb.engine.Retries.transientFailures(
                  3, Duration.ofMillis(10), Duration.ofMillis(100)));
      for (long id : bSegments) {
        WalSegment segment = wal.read(id).orElseThrow();
        assertThat(segment.writerId()).as("segment %d still b's", id).isEqualTo(bWriter);
      }
      try (NamespaceWriter c = writer(uri)) {
        assertThat(visible(c, "z")).containsExactlyInAnyOrderElementsOf(zombie.acked());
        assertThat(visible(c, "b")).hasSize(11);
      }
    }
  }

  @Test
  void killNineDuringWritesLosesNoAcknowledgedWrite(MinioBucket s3) throws Exception {
    String uri = s3.namespaceUri("data", "kill9");
    Random random = new Random(20261124L);
    Set<String> acked = new HashSet<>();
    int rounds = Integer.getInteger("namidb.kill9.rounds", 20);
    for (int round = 0; round < rounds; round++) {
      String prefix = "r" + round;
      try (ChildProcess p =
          ChildProcess.startWriter(
              s3.credentialsEnv(),
              LOGS.resolve("kill9-" + round + ".log"),
              uri,
              prefix,
              "1000000",
              "8")) {
        p.await(l -> l.startsWith("ready"), 60);
        // kill at a seeded point of the stream, while writes are in flight
        awaitAcks(p, 1 + random.nextInt(60));
        p.signal("KILL");
        p.waitFor(30);
        acked.addAll(p.acked());
      }
      try (NamespaceWriter check = writer(uri)) {
        Set<String> present =
            check.view().scan("Person").stream()
                .map(n -> (String) n.key())
                .collect(Collectors.toSet());
        assertThat(present).as("round %d", round).containsAll(acked);
      }
    }
    assertThat(acked).hasSizeGreaterThan(rounds);
  }

  @Test
  void twoNamespacesInOneBucketShareNothing(MinioBucket s3) throws Exception {
    String one = s3.namespaceUri("iso", "tenant-one");
    String two = s3.namespaceUri("iso", "tenant-two");
    try (NamespaceWriter w1 = writer(one);
        NamespaceWriter w2 = writer(two)) {
      w1.write(node("x", "one")).get();
      w2.write(node("x", "two")).get();
      try (NamespaceWriter w1b = writer(one)) {
        assertThatThrownBy(() -> w1.write(node("y", "one")).get())
            .hasCauseInstanceOf(FencedException.class);
        assertThat(w2.write(node("y", "two")).get()).isPositive();
        assertThat(w2.state()).isEqualTo(NamespaceWriter.State.WRITER);
        assertThat(w1b.epoch()).isEqualTo(2);
        assertThat(w2.epoch()).isEqualTo(1);
      }
    }
    try (S3Client client = s3.client()) {
      List<String> keys =
          client
              .listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix("iso/"))
              .contents()
              .stream()
              .map(S3Object::key)
              .toList();
      assertThat(keys)
          .isNotEmpty()
          .allMatch(k -> k.startsWith("iso/tenant-one/") || k.startsWith("iso/tenant-two/"));
      // delete namespace one entirely
      try (ObjectStore store = open(one)) {
        store.list("").forEach(o -> store.delete(o.key()));
      }
    }
    try (NamespaceWriter w2 = writer(two)) {
      assertThat(visible(w2, "two")).containsExactlyInAnyOrder("x", "y");
    }
    try (NamespaceWriter w1 = writer(one)) {
      assertThat(w1.epoch()).as("namespace one starts over").isEqualTo(1);
      assertThat(w1.view().scan("Person")).isEmpty();
    }
  }

  private static void awaitAcks(ChildProcess p, int n) throws InterruptedException {
    p.await(l -> p.acked().size() >= n, 60);
  }
}
