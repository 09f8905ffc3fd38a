package io.namidb.engine.store;

import java.util.List;
import java.util.Optional;

/**
 * A flat key space of immutable-by-convention objects: the only thing NamiDB stores data in. One
 * instance is rooted at one prefix (a namespace, or a backup location); keys are relative to it,
 * use {@code /} as separator, and are non-empty, without a leading {@code /}.
 *
 * <p><b>Keys</b> are non-empty {@code /}-separated segments (no leading or trailing {@code /}, no
 * empty segment), well-formed Unicode without control characters, at most 512 bytes of UTF-8 and
 * 255 per segment (S3 allows 1024 for root and key together; MinIO 255 per segment). A key or
 * prefix that breaks these rules is a bug of the caller: {@link IllegalArgumentException}. A key
 * should not also be a whole-segment prefix of another key ({@code a/b} next to {@code a/b/c}):
 * memory and AWS S3 stores hold such pairs, MinIO hides the deeper keys from listings, and the
 * local-directory store, whose files are the keys, refuses them; it also refuses segments starting
 * with {@code .}. NamiDB's own key layout never creates such keys.
 *
 * <h2>Contract every implementation keeps</h2>
 *
 * <ul>
 *   <li><b>Atomic objects.</b> A reader sees either no object or the whole of one written version;
 *       never a partial object. A failed write leaves either nothing or the whole object.
 *   <li><b>Durable when acknowledged.</b> Once {@link #putIfAbsent} or {@link #put} returns, the
 *       object survives a crash of this process and of the machine (local store: file and directory
 *       fsynced).
 *   <li><b>Create-if-absent is the one synchronisation primitive.</b> {@link #putIfAbsent} either
 *       creates the object or throws {@link ObjectExistsException}; of any number of concurrent
 *       callers on one key (in any processes), exactly one succeeds. It never replaces an object.
 *   <li><b>Read-after-write.</b> After a write returns, {@link #get}, {@link #head} and {@link
 *       #list} of this and every other client see it.
 *   <li><b>Missing keys</b> throw {@link ObjectNotFoundException} from {@link #get} and {@link
 *       #getRange}; {@link #head} returns empty; {@link #delete} of a missing key is a no-op.
 *   <li><b>Listing</b> returns every object under a prefix, in ascending lexicographic order of the
 *       key's UTF-8 bytes (that is code point order, not {@link String#compareTo} order), with no
 *       duplicates, across as many pages as the backend needs. The prefix is a plain string prefix:
 *       {@code list("a/b")} also returns {@code a/bc} and {@code a/b/c}.
 *   <li><b>Isolation.</b> A store sees only the objects under its root: two stores rooted at
 *       different prefixes of one bucket or directory, neither a prefix of the other, share
 *       nothing.
 *   <li><b>Arrays are not shared.</b> A store keeps no reference to the array passed to a put and
 *       returns arrays no one else holds: callers may reuse and modify them.
 *   <li><b>Errors</b> other than the two above are {@link ObjectStoreException}: {@code TRANSIENT}
 *       kind when a retry may help (the implementation has already retried with backoff), {@code
 *       INVALID_INPUT} for a well-formed key the backend cannot hold (see {@link
 *       LocalObjectStore}), otherwise {@code INTERNAL} or {@code CONFIGURATION}.
 * </ul>
 *
 * <p>Implementations are thread-safe. Every store counts its calls and bytes in {@link #stats()}.
 */
public interface ObjectStore extends AutoCloseable {

  /**
   * Creates {@code key} with {@code data} if and only if no object has that key.
   *
   * @throws ObjectExistsException if the key exists (S3: 412 Precondition Failed). Note: after a
   *     lost response and an internal retry, the existing object may be this caller's own write;
   *     callers that care read it back and compare.
   */
  void putIfAbsent(String key, byte[] data);

  /** Writes {@code key}, replacing any object of that key. Not for the commit path. */
  void put(String key, byte[] data);

  /**
   * The whole object.
   *
   * @throws ObjectNotFoundException if there is no object with that key
   */
  byte[] get(String key);

  /**
   * {@code length} bytes of the object starting at {@code offset}; fewer only when the object ends
   * earlier (none when {@code offset} is at or past its end; none when {@code length} is 0).
   *
   * @throws ObjectNotFoundException if there is no object with that key
   * @throws IllegalArgumentException if {@code offset < 0} or {@code length < 0}
   */
  byte[] getRange(String key, long offset, int length);

  /** Size and identity of the object, or empty if there is none. */
  Optional<ObjectInfo> head(String key);

  /** Every object whose key starts with {@code prefix} (empty: all), in ascending key order. */
  List<ObjectInfo> list(String prefix);

  /** Deletes the object; a missing key is not an error. */
  void delete(String key);

  /** Where this store points, for messages: {@code s3://bucket/prefix}, {@code file:///dir}. */
  String location();

  /**
   * Whether a PUT here is bounded by this machine alone (a local directory, memory), so that a
   * caller may wait for one on a thread that has a deadline of its own; a remote store's (S3) can
   * take as long as the network. False unless a store says otherwise; wrappers ask their delegate.
   */
  default boolean putsAreLocal() {
    return false;
  }

  /**
   * Counters of this store's calls and bytes, per operation. Stores that do not count (simple test
   * wrappers) return {@link StoreStats#NONE}.
   */
  default StoreStats stats() {
    return StoreStats.NONE;
  }

  /**
   * Releases clients and file handles. Idempotent. A closed S3 store fails every later call with
   * {@link ObjectStoreException}; memory and local-directory stores hold nothing to release.
   */
  @Override
  void close();
}
