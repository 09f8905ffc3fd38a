package io.namidb.engine.store;

import java.util.Objects;

/**
 * Metadata of one stored object.
 *
 * @param key the key relative to the store's root
 * @param size size in bytes
 * @param etag a normalised entity tag (see {@link #normalizeEtag}), or empty where the backend has
 *     none; normalised on construction, so two infos compare equal whatever quoting the backend
 *     used
 */
public record ObjectInfo(String key, long size, String etag) {

  public ObjectInfo {
    Objects.requireNonNull(key, "key");
    etag = normalizeEtag(etag);
  }

  /**
   * An entity tag without its HTTP decoration: surrounding whitespace, a weak-validator {@code W/}
   * prefix and surrounding double quotes are removed ({@code W/"abc"} and {@code "abc"} both give
   * {@code abc}); null gives the empty string. Stores differ in how they quote ETags, so raw ETag
   * strings are never compared.
   */
  public static String normalizeEtag(String etag) {
    if (etag == null) {
      return "";
    }
    String e = etag.strip();
    if (e.startsWith("W/") || e.startsWith("w/")) {
      e = e.substring(2);
    }
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e;
  }
}
