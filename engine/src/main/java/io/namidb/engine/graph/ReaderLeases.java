package io.namidb.engine.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectNotFoundException;
import io.namidb.engine.store.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reader leases: how a reader in another process keeps the writer's GC off the manifest version it
 * reads. A reader puts {@code readers/<id>.json} naming its version and a time to live, and
 * rewrites it (a renewal counter goes up) well within that time; closing deletes it.
 *
 * <p>Only the writer's own clock judges a lease: the writer notes when it first saw each lease's
 * current content, and a lease protects its version until {@code ttl} has passed on the writer's
 * clock without a change. Clocks of other machines, and the store's timestamps, are never compared
 * with it. A writer that starts sees every lease as new, so a restart only lengthens protection.
 */
public final class ReaderLeases {
  static final String PREFIX = "readers/";

  /** Longest time to live a writer honours, whatever a lease asks for. */
  static final Duration MAX_TTL = Duration.ofMinutes(15);

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReaderLeases() {}

  /** The object of reader {@code readerId}. */
  static String key(String readerId) {
    return PREFIX + readerId + ".json";
  }

  /** The lease content: reader id, pinned manifest version, time to live, renewal count. */
  static byte[] encode(String readerId, long version, Duration ttl, long renewal) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", 1);
    n.put("reader", readerId);
    n.put("version", version);
    n.put("ttlSeconds", Math.max(1, ttl.toSeconds()));
    n.put("renewal", renewal);
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The writer's side: which versions live leases hold, on the writer's clock. */
  static final class Tracker {
    private record Seen(String content, long sinceMillis) {}

    private final Map<String, Seen> seen = new HashMap<>();

    /**
     * Lists the leases and returns the manifest versions that live ones hold. A lease unchanged for
     * twice its time to live is deleted (its reader is gone). An unreadable lease holds no version
     * and is deleted after twice {@link #MAX_TTL}.
     */
    synchronized Set<Long> liveVersions(ObjectStore store, long nowMillis) {
      Set<Long> versions = new HashSet<>();
      Set<String> present = new HashSet<>();
      for (ObjectInfo info : store.list(PREFIX)) {
        String key = info.key();
        String content;
        try {
          content = new String(store.get(key), StandardCharsets.UTF_8);
        } catch (ObjectNotFoundException gone) {
          continue;
        }
        present.add(key);
        Seen s = seen.get(key);
        if (s == null || !s.content().equals(content)) {
          s = new Seen(content, nowMillis);
          seen.put(key, s);
        }
        long version = -1;
        long ttl = MAX_TTL.toMillis();
        try {
          JsonNode n = JSON.readTree(content);
          version = n.path("version").asLong(-1);
          ttl = Math.min(ttl, Math.max(1000, n.path("ttlSeconds").asLong(0) * 1000));
        } catch (IOException unreadable) {
          // keeps nothing, goes after MAX_TTL
        }
        long age = nowMillis - s.sinceMillis();
        if (age < ttl) {
          if (version > 0) {
            versions.add(version);
          }
        } else if (age >= 2 * ttl) {
          store.delete(key);
          seen.remove(key);
          present.remove(key);
        }
      }
      seen.keySet().retainAll(present);
      return versions;
    }
  }
}
