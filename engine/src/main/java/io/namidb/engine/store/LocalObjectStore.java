package io.namidb.engine.store;

import io.namidb.engine.NamiException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
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
 *       replaced), removes the temporary name and fsyncs the object's directory. A name found taken
 *       is fsynced too before the store says so, so an object reported as existing is durable. A
 *       rename would silently replace an existing object and is used only by {@link #put}.
 *   <li><b>Put</b> writes and fsyncs a temporary file, renames it over the object atomically and
 *       fsyncs the directory.
 *   <li>Directories are created as needed and the entry of each new directory is fsynced in its
 *       parent before the object in it is acknowledged.
 * </ul>
 *
 * <h2>Layout: the key is the path</h2>
 *
 * The key {@code manifest/00000000000000000042.json} is the file {@code
 * ROOT/manifest/00000000000000000042.json}: every segment but the last is a directory, the last a
 * file, names as they are (UTF-8). So a plain copy of the directory to S3 ({@code aws s3 sync},
 * {@code mc mirror}) is the namespace there, and a plain download of a prefix is a namespace here.
 * Keys that cannot be laid out that way are refused with {@link ObjectStoreException} naming the
 * key ({@code INVALID_INPUT}): a segment starting with {@code .} ({@code .}, {@code ..}, and the
 * names of the temporary directory {@value #TEMP_DIR} and of other tools' hidden files), and a key
 * that is also the directory of other keys ({@code a/b} next to {@code a/b/c}: a file cannot be a
 * directory too). With a JVM whose file name encoding is not UTF-8 (a POSIX locale), keys beyond
 * ASCII are refused ({@code CONFIGURATION}) instead of being written under mangled names. NamiDB's
 * own keys never hit these rules. Listing skips dot files and directories at every depth (so
 * temporary files are never keys), symbolic links and anything that is not a valid key.
 *
 * <p>A directory written in the store's first layout ({@link LegacyLocalLayout}: {@code
 * manifest.d/…}) is migrated to the plain layout by the first operation on it ({@link
 * LocalLayoutMigration}). Empty directories left by deletes are kept (removing them would race with
 * creators). ETags are empty: computing one would mean reading the whole file on every listing.
 */
public final class LocalObjectStore extends AbstractObjectStore {
  /** The directory below the root that holds files being written. */
  static final String TEMP_DIR = ".tmp";

  private final Path root;
  private final Path tempDir;
  private final String location;
  private final RandomGenerator random;
  private final boolean unicodeNames;
  private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();
  private volatile boolean layoutChecked;

  /** A store rooted at {@code root} (created on the first write), temp names from SecureRandom. */
  public LocalObjectStore(Path root) {
    this(root, new SecureRandom());
  }

  /**
   * A store rooted at {@code root}; {@code random} names temporary files (uniqueness across
   * processes is enforced by creating them exclusively; the generator only makes clashes rare).
   */
  public LocalObjectStore(Path root, RandomGenerator random) {
    this(root, random, fileNameEncoding());
  }

  /** As above, with the JVM's file name encoding given (tests of a non-UTF-8 locale). */
  LocalObjectStore(Path root, RandomGenerator random, Charset fileNames) {
    this.root = root.toAbsolutePath().normalize();
    this.tempDir = this.root.resolve(TEMP_DIR);
    this.location = StoreLocation.ofDirectory(this.root).toString();
    this.random = random;
    this.unicodeNames = StandardCharsets.UTF_8.equals(fileNames);
  }

  /** The directory this store is rooted at. */
  public Path root() {
    return root;
  }

  /**
   * The file that holds {@code key} (whether or not it exists): {@code ROOT/key}.
   *
   * @throws IllegalArgumentException for a malformed key (see {@link ObjectStore})
   * @throws ObjectStoreException for a key this store cannot lay out plainly (see the class doc)
   */
  public Path pathOf(String key) {
    Path p = root;
    for (String segment : Keys.checkKey(key).split("/", -1)) {
      if (segment.startsWith(".")) {
        throw notLaidOut(
            key,
            "a segment starts with '.', and dot names are the store's temporary files and other"
                + " tools' hidden files there. segment="
                + Keys.quote(segment));
      }
      if (!unicodeNames && !isAscii(segment)) {
        throw new ObjectStoreException(
            Kind.CONFIGURATION,
            "local store cannot name files beyond ASCII: the JVM's file name encoding is not UTF-8;"
                + " run it with a UTF-8 locale (LANG=C.UTF-8). sun.jnu.encoding="
                + System.getProperty("sun.jnu.encoding")
                + " location="
                + location
                + " key="
                + Keys.quote(key));
      }
      p = p.resolve(segment);
    }
    return p;
  }

  @Override
  protected void doPutIfAbsent(String key, byte[] data) {
    try {
      write(
          "putIfAbsent",
          key,
          data,
          (temp, target) -> {
            try {
              Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
              if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw keysBelow(key);
              }
              // The name may be a try of the caller's own that was cut short between the link and
              // the directory's fsync (an interrupt), or another creator's that has not reached
              // it yet: an object reported as existing is durable, so a retry that finds its own
              // object may count it as written.
              fsyncDirectory(target.getParent());
              throw new ObjectExistsException(location, key);
            }
          });
    } catch (UnsupportedOperationException e) {
      throw new ObjectStoreException(
          Kind.CONFIGURATION,
          "local store needs hard links for create-if-absent; this file system has none. location="
              + location,
          e);
    }
  }

  @Override
  protected void doPut(String key, byte[] data) {
    write(
        "put",
        key,
        data,
        (temp, target) -> {
          try {
            Files.move(
                temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (IOException e) {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
              throw keysBelow(key);
            }
            throw e;
          }
        });
  }

  /** Moves a written, fsynced temporary file to the object's path. */
  private interface Publish {
    void publish(Path temp, Path target) throws IOException;
  }

  /**
   * Writes {@code data} to a temporary file, publishes it at the key's path and fsyncs the
   * directory. A directory removed behind the store's back (its cache says it exists) is created
   * again once.
   */
  private void write(String op, String key, byte[] data, Publish publish) {
    Path target = pathOf(key);
    ensurePlainLayout();
    for (int attempt = 1; ; attempt++) {
      try {
        ensureDirectory(target.getParent(), key);
        Path temp = writeTemp(data);
        try {
          publish.publish(temp, target);
        } finally {
          Files.deleteIfExists(temp);
        }
        fsyncDirectory(target.getParent());
        return;
      } catch (NoSuchFileException e) {
        if (attempt >= 2) {
          throw ioFailure(op, key, e);
        }
        durableDirs.clear();
      } catch (IOException e) {
        throw ioFailure(op, key, e);
      }
    }
  }

  @Override
  protected byte[] doGet(String key) {
    Path path = pathOf(key);
    ensurePlainLayout();
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw readFailure("get", key, path, e);
    }
  }

  @Override
  protected byte[] doGetRange(String key, long offset, int length) {
    Path path = pathOf(key);
    ensurePlainLayout();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (offset >= size || length == 0) {
        if (!Files.isRegularFile(path)) {
          throw new ObjectNotFoundException(location, key); // a directory of other keys
        }
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
    } catch (IOException e) {
      throw readFailure("getRange", key, path, e);
    }
  }

  @Override
  protected Optional<ObjectInfo> doHead(String key) {
    Path path = pathOf(key);
    ensurePlainLayout();
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return a.isRegularFile() ? Optional.of(new ObjectInfo(key, a.size(), "")) : Optional.empty();
    } catch (IOException e) {
      if (isAbsent(path, e)) {
        return Optional.empty();
      }
      throw ioFailure("head", key, e);
    }
  }

  @Override
  protected List<ObjectInfo> doList(String prefix) {
    ensurePlainLayout();
    // Start in the deepest directory the prefix names completely, then prune by prefix.
    Path start = root;
    String base = "";
    int slash = prefix.lastIndexOf('/');
    if (slash >= 0) {
      for (String segment : prefix.substring(0, slash).split("/", -1)) {
        if (!isPlainName(segment)) {
          return List.of(); // no key has this segment here
        }
        start = start.resolve(segment);
      }
      base = prefix.substring(0, slash + 1);
    }
    List<ObjectInfo> out = new ArrayList<>();
    try {
      walk(start, base, prefix, out);
    } catch (IOException e) {
      throw ioFailure("list", prefix, e);
    }
    out.sort((a, b) -> compareKeys(a.key(), b.key()));
    return out;
  }

  @Override
  protected void doDelete(String key) {
    Path target = pathOf(key);
    ensurePlainLayout();
    try {
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        if (isAbsent(target, e)) {
          return;
        }
        throw e;
      }
      if (a.isDirectory()) {
        return; // the directory of other keys, not an object
      }
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

  @Override
  public boolean putsAreLocal() {
    return true;
  }

  /** Nothing to release: files are opened per call. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "LocalObjectStore[" + location + "]";
  }

  /** Migrates a directory in the first layout, once per store, before anything else touches it. */
  private void ensurePlainLayout() {
    if (layoutChecked) {
      return;
    }
    synchronized (this) {
      if (!layoutChecked) {
        LocalLayoutMigration.run(this);
        layoutChecked = true;
      }
    }
  }

  /** Lists {@code dir}, whose entries are the segments after the key prefix {@code base}. */
  private void walk(Path dir, String base, String prefix, List<ObjectInfo> out) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String key = base + name;
        boolean under = key.startsWith(prefix);
        if (!(under || prefix.startsWith(key + "/")) || !isListedName(entry, name)) {
          continue;
        }
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // deleted while we listed
        }
        if (a.isDirectory()) {
          walk(entry, key + "/", prefix, out);
        } else if (a.isRegularFile() && under && isValidKey(key)) {
          out.add(new ObjectInfo(key, a.size(), ""));
        } // links and devices are never objects
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      // nothing stored under this prefix
    }
  }

  /** Whether a directory entry can be (part of) a key: no dot name, a name that maps back. */
  private boolean isListedName(Path entry, String name) {
    if (!isPlainName(name)) {
      return false;
    }
    // A name that is not valid UTF-8 decodes with U+FFFD and would not map back to this file.
    return name.indexOf('\uFFFD') < 0 || sameFile(entry, entry.resolveSibling(name));
  }

  private boolean isPlainName(String segment) {
    return !segment.startsWith(".") && (unicodeNames || isAscii(segment));
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isValidKey(String key) {
    try {
      Keys.checkKey(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Writes {@code data} to a fresh fsynced file in the temporary directory. */
  private Path writeTemp(byte[] data) throws IOException {
    ensureDirectory(tempDir, null);
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
   *
   * @param key the key whose directory this is, for the refusal when an object is in the way; null
   *     for the store's own directories
   */
  void ensureDirectory(Path dir, String key) throws IOException {
    if (durableDirs.contains(dir)) {
      return;
    }
    boolean inside = dir.startsWith(root) && !dir.equals(root);
    if (!inside && Files.isDirectory(dir)) {
      durableDirs.add(dir);
      return;
    }
    Path parent = dir.getParent();
    ensureDirectory(parent, key);
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        if (key != null && inside) {
          throw notLaidOut(
              key,
              "an object lies on its path, and a file cannot also be a directory. object="
                  + Keys.quote(root.relativize(dir).toString()));
        }
        throw e;
      }
      // created by someone else, maybe not fsynced yet: fsync the parent ourselves
    }
    fsyncDirectory(parent);
    durableDirs.add(dir);
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Whether a failed read of {@code path} means there is no object there. */
  private static boolean isAbsent(Path path, IOException e) {
    if (e instanceof NoSuchFileException) {
      return true;
    }
    // ENOTDIR (an object where a directory would be), EISDIR (a directory of other keys)
    return !(e instanceof AccessDeniedException) && !Files.isRegularFile(path);
  }

  private RuntimeException readFailure(String op, String key, Path path, IOException e) {
    return isAbsent(path, e) ? new ObjectNotFoundException(location, key) : ioFailure(op, key, e);
  }

  private ObjectStoreException notLaidOut(String key, String why) {
    return new ObjectStoreException(
        Kind.INVALID_INPUT,
        "key cannot be laid out in a local directory: "
            + why
            + " location="
            + location
            + " key="
            + Keys.quote(key));
  }

  private ObjectStoreException keysBelow(String key) {
    return notLaidOut(
        key, "its path is the directory of other keys, and a directory cannot also be a file.");
  }

  ObjectStoreException ioFailure(String op, String key, IOException e) {
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

  /** The JVM's file name encoding ({@code sun.jnu.encoding}); UTF-8 where it does not say. */
  private static Charset fileNameEncoding() {
    String name = System.getProperty("sun.jnu.encoding");
    try {
      return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return Charset.defaultCharset();
    }
  }
}
