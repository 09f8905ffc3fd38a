package io.namidb.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the real servers that {@code dev/testbin} installs (MinIO, etcd, kube-apiserver, ...).
 *
 * <p>The directory is, in order: the system property {@value #DIR_PROPERTY}, the environment
 * variable {@value #DIR_ENV}, or {@code ~/.cache/namidb/testbin}, the script's default. A missing
 * binary is an error that says how to install it, never a reason to skip a test.
 */
public final class Testbin {
  public static final String DIR_PROPERTY = "namidb.testbin";
  public static final String DIR_ENV = "NAMIDB_TESTBIN";

  private Testbin() {}

  /** The testbin directory (it may not exist yet). */
  public static Path dir() {
    String configured = System.getProperty(DIR_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(DIR_ENV);
    }
    if (configured == null || configured.isBlank()) {
      return Path.of(System.getProperty("user.home"), ".cache", "namidb", "testbin");
    }
    return Path.of(configured);
  }

  /**
   * The executable {@code bin/NAME} of the testbin directory.
   *
   * @throws IllegalStateException when it is not installed, with the command that installs it
   */
  public static Path binary(String name) {
    Path binary = dir().resolve("bin").resolve(name);
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "test server binary missing: run dev/testbin to install the real test servers. binary="
              + name
              + " path="
              + binary);
    }
    return binary;
  }
}
