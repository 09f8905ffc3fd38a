package io.namidb.operator.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the operator tests check: crds/, charts/, examples/. */
public final class RepoFiles {
  private RepoFiles() {}

  /** The repository root: the first directory upward from the working directory with crds/. */
  public static Path root() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("crds")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root with crds/ not found above " + dir);
  }

  public static Path committedCrd() {
    return committedCrd(Crds.FILE_NAME);
  }

  /** {@code crds/<file>}, what users install. */
  public static Path committedCrd(String file) {
    return root().resolve("crds").resolve(file);
  }

  /** The chart's copy of {@code crds/<file>}. */
  public static Path chartCrd(String file) {
    return chart().resolve("crds").resolve(file);
  }

  /** The CRD file quarkus-operator-sdk generated in this build. */
  public static Path generatedCrd(String file) {
    return root().resolve("operator/target/kubernetes").resolve(file);
  }

  public static Path chart() {
    return root().resolve("charts").resolve("namidb-operator");
  }

  public static Path examples() {
    return root().resolve("examples");
  }
}
