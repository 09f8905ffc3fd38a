package io.namidb.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/** Key rules and key order shared by every store. */
final class Keys {
  /**
   * The longest key in UTF-8 bytes. S3 allows 1024 for the whole key, root prefix included; half of
   * it is left to roots (namespace paths), and every store applies the same limit.
   */
  static final int MAX_KEY_BYTES = 512;

  /** The longest segment in UTF-8 bytes (MinIO's limit: a segment is a file name there). */
  static final int MAX_SEGMENT_BYTES = 255;

  /**
   * Ascending order of the keys' UTF-8 bytes. For well-formed strings that is code point order,
   * which differs from {@link String#compareTo} (UTF-16 units) above U+FFFF.
   */
  static final Comparator<String> UTF8_ORDER = Keys::compareUtf8;

  private Keys() {}

  /**
   * Checks an object key: non-empty, at most {@value #MAX_KEY_BYTES} UTF-8 bytes and {@value
   * #MAX_SEGMENT_BYTES} per segment, no leading or trailing {@code /}, no empty segment, no control
   * characters, well-formed UTF-16.
   *
   * @throws IllegalArgumentException naming the rule and the key
   */
  static String checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("invalid object key: must not be empty. key=" + key);
    }
    if (key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
      throw new IllegalArgumentException(
          "invalid object key: '/'-separated non-empty segments, no leading or trailing '/'. key="
              + quote(key));
    }
    checkCharacters("object key", key);
    int length = key.getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "invalid object key: at most "
              + MAX_KEY_BYTES
              + " bytes of UTF-8. length="
              + length
              + " key="
              + quote(key));
    }
    for (String segment : key.split("/", -1)) {
      int n = segment.getBytes(StandardCharsets.UTF_8).length;
      if (n > MAX_SEGMENT_BYTES) {
        throw new IllegalArgumentException(
            "invalid object key: at most "
                + MAX_SEGMENT_BYTES
                + " bytes of UTF-8 per segment. segmentLength="
                + n
                + " key="
                + quote(key));
      }
    }
    return key;
  }

  /** Checks a listing prefix: empty, or a key beginning (may end with {@code /}). */
  static String checkPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("invalid list prefix: must not be null, use \"\"");
    }
    if (prefix.startsWith("/") || prefix.contains("//")) {
      throw new IllegalArgumentException(
          "invalid list prefix: no leading '/' and no empty segment. prefix=" + quote(prefix));
    }
    checkCharacters("list prefix", prefix);
    return prefix;
  }

  /** Checks a store's root prefix: empty, or non-empty segments each followed by {@code /}. */
  static String checkRoot(String root) {
    if (root == null) {
      throw new IllegalArgumentException("invalid store root: must not be null, use \"\"");
    }
    if (!root.isEmpty()) {
      if (!root.endsWith("/")) {
        throw new IllegalArgumentException(
            "invalid store root: must be empty or end with '/'. root=" + quote(root));
      }
      checkKey(root.substring(0, root.length() - 1));
    }
    return root;
  }

  private static void checkCharacters(String what, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "invalid " + what + ": control characters are not allowed. value=" + quote(s));
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            "invalid " + what + ": not well-formed UTF-16 (unpaired surrogate). value=" + quote(s));
      }
    }
  }

  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** {@code "value"} with quotes and backslashes escaped, for messages. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
