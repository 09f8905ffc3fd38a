package io.namidb.engine.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.NamiException;
import io.namidb.engine.Retries;
import io.namidb.engine.UnsupportedFormatVersionException;
import io.namidb.engine.store.ObjectExistsException;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads and writes manifest versions of one namespace; the compare-and-swap at the heart of the
 * commit protocol (DESIGN §4). A version is created only with create-if-absent. When that reports
 * the version taken, the stored object is read back: if it carries this attempt's commit id, an
 * earlier attempt whose response was lost did land, and the create succeeded.
 */
public final class ManifestStore {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(SerializationFeature.INDENT_OUTPUT, true);

  /**
   * The id part of an SST key: {@code <epoch:20>-<sequence:8 to 19>}, a sequence that fits a long
   * (readers order SSTs by the numbers, not the string).
   */
  private static final Pattern SST_ID = Pattern.compile("[0-9]{20}-[0-9]{8,19}");

  private final ObjectStore store;
  private final RetryPolicy<Object> transientRetry;

  public ManifestStore(ObjectStore store) {
    this(store, Retries.transientFailures(8, Duration.ofMillis(20), Duration.ofSeconds(2)));
  }

  public ManifestStore(ObjectStore store, RetryPolicy<Object> transientRetry) {
    this.store = store;
    this.transientRetry = transientRetry;
  }

  /** The newest version's number, or 0 when the namespace has no manifest. */
  public long latestVersion() {
    long newest = 0;
    for (ObjectInfo info : store.list("manifest/")) {
      newest = Math.max(newest, Manifest.versionOf(info.key()));
    }
    return newest;
  }

  /** The newest manifest, or empty when the namespace has none. */
  public Optional<Manifest> latest() {
    long version = latestVersion();
    return version == 0 ? Optional.empty() : Optional.of(read(version));
  }

  /**
   * Reads one version.
   *
   * @throws io.namidb.engine.store.ObjectNotFoundException if it does not exist
   * @throws CorruptObjectException if it does not parse or names another version
   */
  public Manifest read(long version) {
    String key = Manifest.key(version);
    return decode(store.location() + "/" + key, version, store.get(key));
  }

  /**
   * Creates {@code manifest.version()} if it does not exist yet, retrying transient failures.
   *
   * @throws ManifestVersionExistsException if another writer created that version
   */
  public void create(Manifest manifest) {
    byte[] bytes = encode(manifest);
    String key = Manifest.key(manifest.version());
    run(
        () -> {
          try {
            store.putIfAbsent(key, bytes);
          } catch (ObjectExistsException e) {
            Manifest stored = read(manifest.version());
            if (!stored.commitId().equals(manifest.commitId())) {
              throw new ManifestVersionExistsException(
                  store.location(), manifest.version(), stored.writerEpoch());
            }
            // our own earlier attempt landed; its response was lost
          }
        });
  }

  /**
   * Claims the namespace: writes version {@code v+1} with epoch {@code e+1} on top of the newest
   * version {@code v} (epoch {@code e}). On a lost race it re-reads and tries again, bounded and
   * with jittered backoff; it never writes an epoch lower than the newest.
   *
   * @return the manifest it wrote
   * @throws NamiException CONFLICT if the namespace was purged, or if it kept losing races
   */
  public Manifest claim(String writerId, Supplier<String> commitIds, Clock clock, int attempts) {
    RetryPolicy<Manifest> onConflict =
        RetryPolicy.<Manifest>builder()
            .handle(ManifestVersionExistsException.class)
            .withMaxAttempts(attempts)
            .withBackoff(Duration.ofMillis(5), Duration.ofMillis(500))
            .withJitter(0.5)
            .build();
    try {
      return Failsafe.with(onConflict)
          .get(
              () -> {
                Manifest current = latest().orElse(Manifest.empty());
                if (current.sealed()) {
                  throw new NamiException(
                      NamiException.Kind.CONFLICT,
                      "namespace was purged and cannot be written again. location="
                          + store.location()
                          + " version="
                          + current.version());
                }
                Manifest next =
                    current.next(
                        current.writerEpoch() + 1,
                        writerId,
                        commitIds.get(),
                        clock.instant().toString());
                create(next);
                return next;
              });
    } catch (FailsafeException e) {
      throw Retries.unwrap(e);
    }
  }

  private void run(Runnable action) {
    try {
      Failsafe.with(transientRetry).run(action::run);
    } catch (FailsafeException e) {
      throw Retries.unwrap(e);
    }
  }

  public static byte[] encode(Manifest manifest) {
    try {
      return JSON.writeValueAsBytes(manifest);
    } catch (JsonProcessingException e) {
      throw new NamiException(NamiException.Kind.INTERNAL, "cannot encode manifest", e);
    }
  }

  /** Parses and checks a manifest object. */
  public static Manifest decode(String object, long expectedVersion, byte[] bytes) {
    Manifest manifest;
    try {
      manifest = JSON.readValue(bytes, Manifest.class);
    } catch (java.io.IOException e) {
      throw new CorruptObjectException(
          "corrupt manifest: " + e.getMessage() + ". object=" + object, e);
    }
    if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
      throw new UnsupportedFormatVersionException(
          "manifest",
          object,
          manifest.formatVersion(),
          Manifest.FORMAT_VERSION,
          Manifest.FORMAT_VERSION);
    }
    if (manifest.version() != expectedVersion) {
      throw new CorruptObjectException(
          "manifest names another version. object="
              + object
              + " version="
              + manifest.version()
              + " expected="
              + expectedVersion);
    }
    if (manifest.commitId() == null || manifest.writerId() == null) {
      throw new CorruptObjectException("manifest lacks writerId or commitId. object=" + object);
    }
    for (int i = 0; i < manifest.ssts().size(); i++) {
      String problem = sstProblem(manifest.ssts().get(i));
      if (problem != null) {
        throw new CorruptObjectException(
            "corrupt manifest: bad sst entry, " + problem + ". object=" + object + " sst=" + i);
      }
    }
    return manifest;
  }

  /**
   * What is wrong with an SST entry, or null: readers, restore and GC rely on its kind, name,
   * direction and a key of the form {@link io.namidb.engine.sst.SstNames} makes.
   */
  private static String sstProblem(SstEntry sst) {
    if (sst == null) {
      return "entry is null";
    }
    boolean edge = "edge".equals(sst.kind());
    if (!edge && !"node".equals(sst.kind())) {
      return "kind must be node or edge. kind=" + sst.kind();
    }
    if (edge && !"out".equals(sst.direction()) && !"in".equals(sst.direction())) {
      return "an edge sst's direction must be out or in. direction=" + sst.direction();
    }
    if (sst.name() == null || sst.key() == null || sst.rows() < 0 || sst.size() < 0) {
      return "name and key are required, rows and size not negative. name="
          + sst.name()
          + " key="
          + sst.key()
          + " rows="
          + sst.rows()
          + " size="
          + sst.size();
    }
    String prefix = (edge ? "sst/edges/" : "sst/nodes/") + sst.name() + "/";
    String suffix = edge ? "." + sst.direction() + ".edg" : ".parquet";
    if (!sst.key().startsWith(prefix)
        || !sst.key().endsWith(suffix)
        || !isSstId(sst.key().substring(prefix.length(), sst.key().length() - suffix.length()))) {
      return "key does not name an sst of its kind and name. key=" + sst.key();
    }
    return null;
  }

  private static boolean isSstId(String id) {
    if (!SST_ID.matcher(id).matches()) {
      return false;
    }
    try {
      Long.parseLong(id.substring(21));
      return true;
    } catch (NumberFormatException e) {
      return false; // 19 digits beyond Long.MAX_VALUE
    }
  }
}
