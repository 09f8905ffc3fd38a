package io.namidb.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the suite runs from. */
final class Repo {
  private Repo() {}

  static Path root() {
    String configured = System.getProperty("namidb.root");
    Path start = configured != null ? Path.of(configured) : Path.of(System.getProperty("user.dir"));
    for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("dev/cluster")) && Files.isDirectory(p.resolve("charts"))) {
        return p;
      }
    }
    throw new IllegalStateException("not inside the NamiDB repository. dir=" + start);
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }
}
