package io.namidb.engine.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Objects in a sorted concurrent map, for fast tests. Same semantics as the durable stores except
 * durability itself: create-if-absent is one atomic {@link ConcurrentSkipListMap#putIfAbsent}, data
 * is copied in and out (callers may reuse their arrays), ETags are the hex MD5 of the content (as
 * S3 gives for single-part uploads).
 *
 * <p>{@link #rootedAt} gives further stores over the same objects at other prefixes, the way
 * several S3 stores share one bucket.
 */
public final class MemoryObjectStore extends AbstractObjectStore {
  private final ConcurrentSkipListMap<String, Stored> objects;
  private final String root;

  /** An empty store of its own. */
  public MemoryObjectStore() {
    this(new ConcurrentSkipListMap<>(Keys.UTF8_ORDER), "");
  }

  private MemoryObjectStore(ConcurrentSkipListMap<String, Stored> objects, String root) {
    this.objects = objects;
    this.root = Keys.checkRoot(root);
  }

  /**
   * A store over the same objects, rooted at {@code path/} below this store's root; e.g. {@code
   * rootedAt("data/tenant-a")}.
   */
  public MemoryObjectStore rootedAt(String path) {
    return new MemoryObjectStore(objects, root + Keys.checkKey(path) + "/");
  }

  @Override
  protected void doPutIfAbsent(String key, byte[] data) {
    if (objects.putIfAbsent(root + key, Stored.of(data)) != null) {
      throw new ObjectExistsException(location(), key);
    }
  }

  @Override
  protected void doPut(String key, byte[] data) {
    objects.put(root + key, Stored.of(data));
  }

  @Override
  protected byte[] doGet(String key) {
    return stored(key).data().clone();
  }

  @Override
  protected byte[] doGetRange(String key, long offset, int length) {
    byte[] data = stored(key).data();
    if (offset >= data.length) {
      return new byte[0];
    }
    int from = (int) offset;
    int to = (int) Math.min((long) data.length, offset + length);
    byte[] out = new byte[to - from];
    System.arraycopy(data, from, out, 0, out.length);
    return out;
  }

  @Override
  protected Optional<ObjectInfo> doHead(String key) {
    Stored s = objects.get(root + key);
    return s == null
        ? Optional.empty()
        : Optional.of(new ObjectInfo(key, s.data().length, s.etag()));
  }

  @Override
  protected List<ObjectInfo> doList(String prefix) {
    String from = root + prefix;
    List<ObjectInfo> out = new ArrayList<>();
    for (Map.Entry<String, Stored> e : objects.tailMap(from, true).entrySet()) {
      if (!e.getKey().startsWith(from)) {
        break; // keys with one prefix are contiguous in UTF-8 order
      }
      Stored s = e.getValue();
      out.add(new ObjectInfo(e.getKey().substring(root.length()), s.data().length, s.etag()));
    }
    return out;
  }

  @Override
  protected void doDelete(String key) {
    objects.remove(root + key);
  }

  @Override
  public String location() {
    return "memory:/" + (root.isEmpty() ? "" : root.substring(0, root.length() - 1));
  }

  @Override
  public boolean putsAreLocal() {
    return true;
  }

  /** Nothing to release. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "MemoryObjectStore[" + location() + "]";
  }

  private Stored stored(String key) {
    Stored s = objects.get(root + key);
    if (s == null) {
      throw new ObjectNotFoundException(location(), key);
    }
    return s;
  }

  private record Stored(byte[] data, String etag) {
    static Stored of(byte[] data) {
      byte[] copy = data.clone();
      return new Stored(copy, md5(copy));
    }

    private static String md5(byte[] data) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("md5 is required of every jvm", e);
      }
    }
  }
}
