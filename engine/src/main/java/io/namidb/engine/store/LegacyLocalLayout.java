package io.namidb.engine.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The local store's first on-disk layout, kept only to read it once and move its files to their
 * plain paths ({@link LocalObjectStore} migrates on open; see docs/design/0001-object-stores.md).
 *
 * <p>A key {@code s1/s2/.../sn} was the file {@code ROOT/e(s1).d/e(s2).d/.../e(sn)}: every segment
 * but the last a directory with the suffix {@code .d}, the last a file. {@code e} kept {@code A-Z
 * a-z 0-9 - _ .} and percent-encoded every other UTF-8 byte, a leading {@code .} and the final
 * {@code d} of a file name ending in {@code .d}. An encoding longer than {@value #MAX_NAME}
 * characters was cut into continuation directories {@code +CHUNK+} and a last name {@code +CHUNK}.
 * Only canonical names were keys; anything else in the tree was foreign and ignored.
 */
final class LegacyLocalLayout {
  static final String DIR_SUFFIX = ".d";

  /** Longest encoded segment kept as one file name. */
  static final int MAX_NAME = 200;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private LegacyLocalLayout() {}

  /** A file of the old layout and the key it held. */
  record Entry(String key, Path file) {}

  /** Whether {@code dir} holds a namespace (or backup) written in the old layout. */
  static boolean isLegacyRoot(Path dir) {
    return Files.isDirectory(dir.resolve("manifest" + DIR_SUFFIX), LinkOption.NOFOLLOW_LINKS);
  }

  /** Where the old layout kept {@code key} below {@code root} (tests build old trees with it). */
  static Path pathOf(Path root, String key) {
    String[] segments = key.split("/", -1);
    Path p = root;
    for (int i = 0; i < segments.length; i++) {
      for (String name : names(segments[i], i < segments.length - 1)) {
        p = p.resolve(name);
      }
    }
    return p;
  }

  /** Every object of the old layout below {@code root}, in no particular order. */
  static List<Entry> files(Path root) throws IOException {
    List<Entry> out = new ArrayList<>();
    walk(root, "", "", out, new ArrayList<>());
    return out;
  }

  /** Every directory of the old layout below {@code root}, deepest first. */
  static List<Path> directories(Path root) throws IOException {
    List<Path> dirs = new ArrayList<>();
    walk(root, "", "", new ArrayList<>(), dirs);
    return dirs;
  }

  private static void walk(Path dir, String base, String pending, List<Entry> out, List<Path> dirs)
      throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // moved while we listed
        }
        if (!a.isDirectory() && !a.isRegularFile()) {
          continue;
        }
        String name = entry.getFileName().toString();
        if (a.isDirectory() && isContinuation(name)) {
          walk(entry, base, pending + name.substring(1, name.length() - 1), out, dirs);
          dirs.add(entry);
          continue;
        }
        String segment = decodeNames(pending, name, a.isDirectory());
        if (segment == null) {
          continue;
        }
        if (a.isDirectory()) {
          walk(entry, base + segment + "/", "", out, dirs);
          dirs.add(entry);
        } else {
          out.add(new Entry(base + segment, entry));
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      // gone meanwhile: another process migrated it
    }
  }

  /** The file names that held one key segment. */
  static List<String> names(String segment, boolean directory) {
    String encoded = encodeSegment(segment, directory);
    if (encoded.length() <= MAX_NAME) {
      return List.of(encoded);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < encoded.length(); i += MAX_NAME) {
      boolean last = i + MAX_NAME >= encoded.length();
      String chunk = encoded.substring(i, Math.min(encoded.length(), i + MAX_NAME));
      names.add(last ? "+" + chunk : "+" + chunk + "+");
    }
    return names;
  }

  private static boolean isContinuation(String name) {
    return name.length() == MAX_NAME + 2 && name.startsWith("+") && name.endsWith("+");
  }

  static String encodeSegment(String segment, boolean directory) {
    byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
    StringBuilder s = new StringBuilder(bytes.length + 4);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (isKept(b) && !(i == 0 && b == '.')) {
        s.append((char) b);
      } else {
        s.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    if (directory) {
      s.append(DIR_SUFFIX);
    } else if (s.length() >= 2
        && s.charAt(s.length() - 2) == '.'
        && s.charAt(s.length() - 1) == 'd') {
      s.setLength(s.length() - 1);
      s.append("%64");
    }
    return s.toString();
  }

  /**
   * The key segment that continuation chunks {@code pending} plus the entry {@code name} encoded,
   * or null if they are not the canonical names of a segment.
   */
  static String decodeNames(String pending, String name, boolean directory) {
    String encoded;
    if (name.startsWith("+")) {
      if (pending.isEmpty() || name.length() < 2 || name.length() > MAX_NAME + 1) {
        return null;
      }
      encoded = pending + name.substring(1);
    } else {
      if (!pending.isEmpty()) {
        return null;
      }
      encoded = name;
    }
    String segment = decodeEncoded(encoded, directory);
    if (segment == null || !names(segment, directory).equals(split(pending, name))) {
      return null;
    }
    return segment;
  }

  private static List<String> split(String pending, String name) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < pending.length(); i += MAX_NAME) {
      names.add("+" + pending.substring(i, Math.min(pending.length(), i + MAX_NAME)) + "+");
    }
    names.add(name);
    return names;
  }

  private static String decodeEncoded(String encoded, boolean directory) {
    if (encoded.isEmpty() || encoded.startsWith(".")) {
      return null;
    }
    if (directory) {
      if (!encoded.endsWith(DIR_SUFFIX) || encoded.length() == DIR_SUFFIX.length()) {
        return null;
      }
      encoded = encoded.substring(0, encoded.length() - DIR_SUFFIX.length());
    }
    ByteBuffer bytes = ByteBuffer.allocate(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        if (i + 2 >= encoded.length()) {
          return null;
        }
        int hi = Character.digit(encoded.charAt(i + 1), 16);
        int lo = Character.digit(encoded.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.put((byte) (hi << 4 | lo));
        i += 2;
      } else if (c < 0x80 && isKept(c)) {
        bytes.put((byte) c);
      } else {
        return null;
      }
    }
    bytes.flip();
    String segment;
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes);
      segment = chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    if (segment.isEmpty() || segment.chars().anyMatch(Character::isISOControl)) {
      return null;
    }
    return segment;
  }

  private static boolean isKept(int b) {
    return (b >= 'A' && b <= 'Z')
        || (b >= 'a' && b <= 'z')
        || (b >= '0' && b <= '9')
        || b == '-'
        || b == '_'
        || b == '.';
  }
}
