package io.namidb.engine.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Builds directories in the local store's first ({@code .d}) layout, for migration tests. */
public final class LegacyLayouts {
  private LegacyLayouts() {}

  /** Writes {@code objects} (key to bytes) below {@code root} the way the first layout did. */
  public static void write(Path root, Map<String, byte[]> objects) throws IOException {
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      Path p = LegacyLocalLayout.pathOf(root, e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
  }

  /**
   * Rewrites the plain-layout store at {@code root} (e.g. a namespace a writer just closed) into
   * the first layout: what a directory written by an older NamiDB looks like.
   */
  public static void rewrite(Path root) throws IOException {
    Map<String, byte[]> objects = new LinkedHashMap<>();
    try (LocalObjectStore plain = new LocalObjectStore(root)) {
      for (ObjectInfo info : plain.list("")) {
        objects.put(info.key(), plain.get(info.key()));
      }
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(root)) {
          Files.delete(p);
        }
      }
    }
    write(root, objects);
  }
}
