package io.namidb.engine.graph;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.ObjectExistsException;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalLog;
import io.namidb.engine.wal.WalSegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * Opening a namespace for writing (DESIGN §4.1–4.2), in this order: probe the store's conditional
 * create, claim the next epoch, check that every SST the claimed manifest names exists, replay the
 * WAL from its checkpoint into the memtable, and fence the log at the first free id. Runs once, on
 * the opening thread, before any other part of the writer exists.
 */
final class Recovery {
  private static final Logger LOG = Logger.getLogger(Recovery.class.getName());
  private static final String PROBE_PREFIX = "probe/";

  private final ObjectStore store;
  private final WriterConfig config;
  private final String writerId;
  private final WalLog wal;
  private final Lifecycle lifecycle;
  private final NamespaceWriter.Stats stats;
  private Manifest claim;
  private Tables tables;

  Recovery(
      ObjectStore store,
      WriterConfig config,
      String writerId,
      WalLog wal,
      Lifecycle lifecycle,
      NamespaceWriter.Stats stats) {
    this.store = store;
    this.config = config;
    this.writerId = writerId;
    this.wal = wal;
    this.lifecycle = lifecycle;
    this.stats = stats;
  }

  /**
   * Runs it: afterwards {@code manifests} holds the claimed version and the returned tables hold
   * every replayed batch, positioned at the fence segment.
   *
   * @throws NamiException CONFIGURATION if the store ignores conditional creates; FENCED if another
   *     writer claimed a newer epoch meanwhile; CORRUPT if a WAL segment is damaged or missing
   */
  Tables run(ManifestStore manifestStore, ManifestCommitter manifests, SstReaders readers) {
    probeConditionalCreate();
    claim =
        manifestStore.claim(writerId, config.ids()::newId, config.clock(), config.claimAttempts());
    stats.manifestsWritten.incrementAndGet();
    manifests.claimed(claim);
    LOG.info(
        () ->
            "claimed namespace. location="
                + store.location()
                + " epoch="
                + claim.writerEpoch()
                + " version="
                + claim.version()
                + " writer="
                + writerId);
    tables = new Tables(claim, readers);
    verifyLiveSsts();
    long id = replayFrom(claim.walCheckpoint() + 1);
    tables.segmentWritten(fence(id));
    return tables;
  }

  /** Refuses stores that accept a second create of the same key (they cannot fence). */
  private void probeConditionalCreate() {
    String key = PROBE_PREFIX + writerId;
    byte[] marker = writerId.getBytes(StandardCharsets.UTF_8);
    try {
      store.putIfAbsent(key, marker);
    } catch (ObjectExistsException e) {
      // A retry of our own create whose first response was lost finds the object: ours if it
      // holds our marker (the key names this writer alone).
      if (!Arrays.equals(store.get(key), marker)) {
        throw new NamiException(
            Kind.INTERNAL,
            "probe object taken by other content. location=" + store.location() + " key=" + key);
      }
    }
    try {
      store.putIfAbsent(key, marker);
    } catch (ObjectExistsException expected) {
      store.delete(key);
      return;
    }
    store.delete(key);
    throw new NamiException(
        Kind.CONFIGURATION,
        "object store ignores conditional writes (If-None-Match): a second create of the same key"
            + " succeeded, so writers could not be fenced; refusing to write. location="
            + store.location()
            + " key="
            + key);
  }

  /**
   * A normal open never rolls back silently: every SST the manifest names must exist (DESIGN §4.6).
   */
  private void verifyLiveSsts() {
    for (SstEntry sst : claim.ssts()) {
      if (store.head(sst.key()).isEmpty()) {
        throw new CorruptObjectException(
            "manifest names a missing object; refusing to open (restore from a backup). location="
                + store.location()
                + " version="
                + claim.version()
                + " object="
                + sst.key());
      }
    }
  }

  /**
   * Applies segments {@code from, from+1, ...} up to the end of the log, read ahead (a takeover may
   * find thousands of small segments); returns the first free id. A missing segment with a later
   * one above it is a hole and refuses the open (CORRUPT).
   */
  private long replayFrom(long from) {
    return wal.replay(from, this::applyReplayed);
  }

  private void applyReplayed(WalSegment segment) {
    if (segment.epoch() > claim.writerEpoch()) {
      throw lifecycle.fencedWhileStarting(
          "a newer writer wrote the wal. segment="
              + segment.id()
              + " segmentEpoch="
              + segment.epoch());
    }
    for (WriteBatch batch : segment.batches()) {
      tables.apply(batch);
    }
    if (!segment.batches().isEmpty()) {
      tables.dataApplied(segment.id());
    }
    stats.segmentsReplayed.incrementAndGet();
  }

  /**
   * Puts an empty fence segment at the first free id. Where a zombie writer got there first, its
   * segment is replayed (it may have acknowledged those writes) and the next id is tried.
   */
  private long fence(long id) {
    while (true) {
      WalSegment fence =
          new WalSegment(
              WalSegment.Kind.FENCE,
              id,
              claim.writerEpoch(),
              writerId,
              config.ids().newId(),
              List.of());
      WalLog.PutOutcome outcome = wal.put(id, fence.encode());
      if (outcome.written()) {
        stats.segmentsWritten.incrementAndGet();
        return id;
      }
      if (outcome.existing().epoch() == claim.writerEpoch()) {
        throw new CorruptObjectException(
            "a wal segment carries this writer's fresh epoch but not its bytes. location="
                + store.location()
                + " segment="
                + id
                + " epoch="
                + claim.writerEpoch());
      }
      applyReplayed(outcome.existing());
      id++;
    }
  }
}
