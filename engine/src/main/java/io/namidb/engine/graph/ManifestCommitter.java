package io.namidb.engine.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.ManifestVersionExistsException;
import io.namidb.engine.schema.Schema;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Commits a writer's manifest versions (DESIGN §4.4): each is the current one with a change
 * applied, created with If-None-Match, one at a time under one lock, and only while the lifecycle
 * says WRITER (asked on every attempt). A version taken by someone else means another writer owns
 * the namespace: FENCED. A version that is our own earlier commit, landed although it reported
 * failure, is built on. Holds the current manifest and the schema it carries.
 */
final class ManifestCommitter {
  private final ManifestStore manifests;
  private final WriterConfig config;
  private final String writerId;
  private final String location;
  private final Lifecycle lifecycle;
  private final NamespaceWriter.Stats stats;
  private final Object lock = new Object();

  /** When this writer committed each of its manifest versions, on its own clock (GC). */
  private final Map<Long, Long> committedAt = new ConcurrentHashMap<>();

  private volatile Manifest current;
  private volatile Schema schema = Schema.EMPTY;

  ManifestCommitter(
      ManifestStore manifests,
      WriterConfig config,
      String writerId,
      String location,
      Lifecycle lifecycle,
      NamespaceWriter.Stats stats) {
    this.manifests = manifests;
    this.config = config;
    this.writerId = writerId;
    this.location = location;
    this.lifecycle = lifecycle;
    this.stats = stats;
  }

  /** Starts from the version recovery claimed. */
  void claimed(Manifest claim) {
    committedAt.put(claim.version(), config.clock().millis());
    schema = Schema.fromJson(claim.schema());
    current = claim;
  }

  Manifest current() {
    return current;
  }

  /** The schema of the current manifest: writes are validated against it. */
  Schema schema() {
    return schema;
  }

  /** When this writer committed each version it still knows of, on its own clock (read-only). */
  Map<Long, Long> committedAt() {
    return Collections.unmodifiableMap(committedAt);
  }

  /** GC deleted {@code version}: forget it. */
  void forget(long version) {
    committedAt.remove(version);
  }

  /**
   * Writes the next manifest version: {@code change} applied to the current one.
   *
   * @throws FencedException if another writer wrote that version
   * @throws NamiException the lifecycle's refusal if this writer is not the WRITER
   */
  /**
   * Called with each manifest this writer commits, on the committing thread, right after the commit
   * (it must only hand work off: the vector indexer queues builds).
   */
  void onCommitted(java.util.function.Consumer<Manifest> listener) {
    onCommitted = listener;
  }

  private volatile java.util.function.Consumer<Manifest> onCommitted = m -> {};

  Manifest commit(UnaryOperator<Manifest> change) {
    synchronized (lock) {
      for (int attempt = 0; ; attempt++) {
        lifecycle.checkWriter(); // a FAILED or FENCED writer commits nothing more
        Manifest before = current;
        Manifest next =
            change
                .apply(before)
                .next(
                    before.writerEpoch(),
                    writerId,
                    config.ids().newId(),
                    config.clock().instant().toString());
        try {
          manifests.create(next);
          committedAt.put(next.version(), config.clock().millis());
          current = next;
          stats.manifestsWritten.incrementAndGet();
          onCommitted.accept(next);
          return next;
        } catch (ManifestVersionExistsException e) {
          Manifest taken =
              e.winnerEpoch() == before.writerEpoch() ? readQuietly(next.version()) : null;
          if (attempt == 0 && taken != null && writerId.equals(taken.writerId())) {
            // an earlier commit of ours landed although it reported failure: build on it
            current = taken;
            continue;
          }
          String reason =
              "fenced: another writer wrote manifest version "
                  + next.version()
                  + ". location="
                  + location
                  + " ourEpoch="
                  + before.writerEpoch()
                  + " theirEpoch="
                  + e.winnerEpoch();
          lifecycle.stop(State.FENCED, reason);
          throw new FencedException(reason);
        }
      }
    }
  }

  /**
   * Applies an additive schema change and commits it; a change that adds nothing writes nothing.
   * Read, evolve and commit happen under the commit lock, so no other commit slips in between.
   */
  Schema evolveSchema(JsonNode change) {
    lifecycle.checkWriter();
    synchronized (lock) {
      Schema before = Schema.fromJson(current.schema());
      Schema evolved = before.evolve(change);
      if (evolved.equals(before)) {
        return before;
      }
      commit(m -> m.withSchema(evolved.toJson()));
      schema = evolved;
      return evolved;
    }
  }

  /**
   * A newer epoch's claim, if the version after the current one exists and carries a higher epoch
   * (one GET). Read failures answer empty: the next commit or check will tell.
   */
  Optional<Manifest> newerClaim() {
    Manifest now = current;
    Manifest next;
    try {
      next = manifests.read(now.version() + 1);
    } catch (NamiException e) { // not there (the usual answer), or unreadable right now
      return Optional.empty();
    }
    return next.writerEpoch() > now.writerEpoch() ? Optional.of(next) : Optional.empty();
  }

  /** Manifest {@code version}, or null if it cannot be read now. */
  Manifest readQuietly(long version) {
    try {
      return manifests.read(version);
    } catch (NamiException e) {
      return null;
    }
  }

  /** Manifest {@code version} as stored (the current one without a read). */
  Manifest read(long version) {
    Manifest now = current;
    return version == now.version() ? now : manifests.read(version);
  }

  /** The epoch a manifest version carries (a read). */
  long epochOf(long version) {
    return manifests.read(version).writerEpoch();
  }
}
