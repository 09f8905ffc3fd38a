package io.namidb.engine.store;

import io.namidb.engine.NamiException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Objects as files below a local directory: the embedded default ({@code file:///DIR?ns=NAME}).
 * Gives the same guarantees as S3, not merely the same API:
 *
 * <ul>
 *   <li><b>Create-if-absent</b> writes the data to a temporary file in {@value #TEMP_DIR}, fsyncs
 *       it, hard-links it to the object's name ({@code link(2)} fails if the name exists, so of any
 *       number of racing creators, in any processes, exactly one wins and no object is ever
 *       replaced), removes the temporary name and fsyncs the object's directory. A rename would
 *       silently replace an existing object and is used only by {@link #put}.
 *   <li><b>Put</b> writes and fsyncs a temporary file, renames it over the object atomically and
 *       fsyncs the directory.
 *   <li>Directories are created as needed and the entry of each new directory is fsynced in its
 *       parent before the object in it is acknowledged.
 * </ul>
 *
 * <h2>Layout</h2>
 *
 * A key {@code s1/s2/.../sn} is the file {@code ROOT/e(s1).d/e(s2).d/.../e(sn)}: every segment but
 * the last is a directory with the suffix {@code .d}, the last a file. {@code e} keeps {@code A-Z
 * a-z 0-9 - _ .} and percent-encodes every other UTF-8 byte, a leading {@code .} and the final
 * {@code d} of a file name ending in {@code .d}. So {@code a/b} and {@code a/b/c} can coexist
 * ({@code a.d/b} is a file, {@code a.d/b.d/c} is in a directory), names are plain ASCII whatever
 * the platform's file name encoding, and no key ever maps to a name starting with {@code .}: the
 * temporary directory and foreign dot files are never listed. Namespace keys look as expected:
 * {@code manifest.d/00000000000000000042.json}. An encoded segment longer than {@value #MAX_NAME}
 * characters (file names are limited to 255 bytes) is cut into chunks: directories {@code +CHUNK+}
 * and a last name {@code +CHUNK}; {@code +} is always percent-encoded otherwise, so these never
 * collide with whole names. Only canonical names are listed: foreign files are ignored.
 *
 * <p>Empty directories left by deletes are kept (removing them would race with creators). ETags are
 * empty: computing one would mean reading the whole file on every listing.
 */
public final class LocalObjectStore extends AbstractObjectStore {
  /** The directory below the root that holds files being written. */
  static final String TEMP_DIR = ".tmp";

  static final String DIR_SUFFIX = ".d";

  private final Path root;
  private final Path tempDir;
  private final String location;
  private final RandomGenerator random;
  private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();

  /** A store rooted at {@code root} (created on the first write), temp names from SecureRandom. */
  public LocalObjectStore(Path root) {
    this(root, new SecureRandom());
  }

  /**
   * A store rooted at {@code root}; {@code random} names temporary files (uniqueness across
   * processes is enforced by creating them exclusively; the generator only makes clashes rare).
   */
  public LocalObjectStore(Path root, RandomGenerator random) {
    this.root = root.toAbsolutePath().normalize();
    this.tempDir = this.root.resolve(TEMP_DIR);
    this.location = StoreLocation.ofDirectory(this.root).toString();
    this.random = random;
  }

  /** The directory this store is rooted at. */
  public Path root() {
    return root;
  }

  /** The file that holds {@code key} (whether or not it exists). */
  public Path pathOf(String key) {
    String[] segments = Keys.checkKey(key).split("/", -1);
    Path p = root;
    for (int i = 0; i < segments.length; i++) {
      for (String name : names(segments[i], i < segments.length - 1)) {
        p = p.resolve(name);
      }
    }
    return p;
  }

  @Override
  protected void doPutIfAbsent(String key, byte[] data) {
    Path target = pathOf(key);
    try {
      ensureDirectory(target.getParent());
      Path temp = writeTemp(data);
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        throw new ObjectExistsException(location, key);
      } finally {
        Files.deleteIfExists(temp);
      }
      fsyncDirectory(target.getParent());
    } catch (UnsupportedOperationException e) {
      throw new ObjectStoreException(
          Kind.CONFIGURATION,
          "local store needs hard links for create-if-absent; this file system has none. location="
              + location,
          e);
    } catch (IOException e) {
      throw ioFailure("putIfAbsent", key, e);
    }
  }

  @Override
  protected void doPut(String key, byte[] data) {
    Path target = pathOf(key);
    try {
      ensureDirectory(target.getParent());
      Path temp = writeTemp(data);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
      fsyncDirectory(target.getParent());
    } catch (IOException e) {
      throw ioFailure("put", key, e);
    }
  }

  @Override
  protected byte[] doGet(String key) {
    try {
      return Files.readAllBytes(pathOf(key));
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new ObjectNotFoundException(location, key);
    } catch (IOException e) {
      throw ioFailure("get", key, e);
    }
  }

  @Override
  protected byte[] doGetRange(String key, long offset, int length) {
    try (FileChannel ch = FileChannel.open(pathOf(key), StandardOpenOption.READ)) {
      long size = ch.size();
      if (offset >= size || length == 0) {
        return new byte[0];
      }
      int n = (int) Math.min(length, size - offset);
      ByteBuffer buf = ByteBuffer.allocate(n);
      long position = offset;
      while (buf.hasRemaining()) {
        int read = ch.read(buf, position);
        if (read < 0) {
          break;
        }
        position += read;
      }
      return buf.position() == n ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new ObjectNotFoundException(location, key);
    } catch (IOException e) {
      throw ioFailure("getRange", key, e);
    }
  }

  @Override
  protected Optional<ObjectInfo> doHead(String key) {
    try {
      BasicFileAttributes a = Files.readAttributes(pathOf(key), BasicFileAttributes.class);
      return a.isRegularFile() ? Optional.of(new ObjectInfo(key, a.size(), "")) : Optional.empty();
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw ioFailure("head", key, e);
    }
  }

  @Override
  protected List<ObjectInfo> doList(String prefix) {
    // Start in the deepest directory the prefix names completely, then prune by prefix.
    Path start = root;
    String base = "";
    int slash = prefix.lastIndexOf('/');
    if (slash >= 0) {
      for (String segment : prefix.substring(0, slash).split("/", -1)) {
        for (String name : names(segment, true)) {
          start = start.resolve(name);
        }
      }
      base = prefix.substring(0, slash + 1);
    }
    List<ObjectInfo> out = new ArrayList<>();
    try {
      walk(start, base, "", prefix, out);
    } catch (IOException e) {
      throw ioFailure("list", prefix, e);
    }
    out.sort((a, b) -> compareKeys(a.key(), b.key()));
    return out;
  }

  @Override
  protected void doDelete(String key) {
    Path target = pathOf(key);
    try {
      if (Files.deleteIfExists(target)) {
        fsyncDirectory(target.getParent());
      }
    } catch (IOException e) {
      throw ioFailure("delete", key, e);
    }
  }

  @Override
  public String location() {
    return location;
  }

  /** Nothing to release: files are opened per call. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "LocalObjectStore[" + location + "]";
  }

  /**
   * Lists {@code dir}, whose entries encode segments after the key prefix {@code base}; {@code
   * pending} holds the chunks of a long name split over continuation directories so far.
   */
  private void walk(Path dir, String base, String pending, String prefix, List<ObjectInfo> out)
      throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // deleted while we listed
        }
        if (!a.isDirectory() && !a.isRegularFile()) {
          continue; // links and devices are never ours
        }
        String name = entry.getFileName().toString();
        if (a.isDirectory() && isContinuation(name)) {
          walk(entry, base, pending + name.substring(1, name.length() - 1), prefix, out);
          continue;
        }
        String segment = decodeNames(pending, name, a.isDirectory());
        if (segment == null) {
          continue;
        }
        if (a.isDirectory()) {
          String keyPrefix = base + segment + "/";
          if (keyPrefix.startsWith(prefix) || prefix.startsWith(keyPrefix)) {
            walk(entry, keyPrefix, "", prefix, out);
          }
        } else if ((base + segment).startsWith(prefix)) {
          out.add(new ObjectInfo(base + segment, a.size(), ""));
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      // nothing stored under this prefix
    }
  }

  /** Writes {@code data} to a fresh fsynced file in the temporary directory. */
  private Path writeTemp(byte[] data) throws IOException {
    ensureDirectory(tempDir);
    while (true) {
      long name;
      synchronized (random) {
        name = random.nextLong();
      }
      Path temp = tempDir.resolve("w-" + Long.toHexString(name) + ".tmp");
      FileChannel ch;
      try {
        ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        continue; // another writer drew the same name: draw again
      }
      try (ch) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(temp);
        throw e;
      }
      return temp;
    }
  }

  /**
   * Creates {@code dir} and its missing ancestors, and makes sure every directory inside the root
   * on the way has a durable entry in its parent (fsynced at least once by this store), so an
   * object acknowledged in it survives a machine crash. Directories outside the root that already
   * exist are taken as they are.
   */
  private void ensureDirectory(Path dir) throws IOException {
    if (durableDirs.contains(dir)) {
      return;
    }
    boolean inside = dir.startsWith(root) && !dir.equals(root);
    if (!inside && Files.isDirectory(dir)) {
      durableDirs.add(dir);
      return;
    }
    Path parent = dir.getParent();
    ensureDirectory(parent);
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      // created by someone else, maybe not fsynced yet: fsync the parent ourselves
    }
    fsyncDirectory(parent);
    durableDirs.add(dir);
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private ObjectStoreException ioFailure(String op, String key, IOException e) {
    Kind kind = e instanceof AccessDeniedException ? Kind.CONFIGURATION : Kind.INTERNAL;
    return new ObjectStoreException(
        kind,
        "local store i/o failed. op="
            + op
            + " location="
            + location
            + " key="
            + key
            + " error="
            + e,
        e);
  }

  // ---- name encoding (see the class javadoc) ----

  /** Longest encoded segment kept as one file name (file systems allow 255 bytes). */
  static final int MAX_NAME = 200;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * The file names that hold one key segment: its encoding, or, when that is longer than {@value
   * #MAX_NAME}, the encoding cut into chunks of {@value #MAX_NAME}: continuation directories {@code
   * +CHUNK+} and a last name {@code +CHUNK}. No encoding contains {@code +} (it is
   * percent-encoded), so split names never collide with whole ones.
   */
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

  /** The whole encoding of a segment: kept bytes, {@code %XX} for the rest. */
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

  /** The key segment a single file or directory name encodes, or null if it is not ours. */
  static String decodeName(String name, boolean directory) {
    return decodeNames("", name, directory);
  }

  /**
   * The key segment that continuation chunks {@code pending} plus the entry {@code name} encode, or
   * null if they are not the canonical names of a segment (foreign files, dot files).
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
    // Only the canonical spelling is ours: two names must never list as one key.
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
      return null; // not a valid key segment: a foreign file
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
