package io.namidb.writer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** SIGTERM during a write stream on the local directory store. */
class GracefulShutdownLocalIT extends GracefulShutdownContract {
  private final Path dir;

  GracefulShutdownLocalIT() {
    try {
      dir = Files.createTempDirectory(WriterProcess.logDir(), "drain-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  String namespaceUri() {
    return "file://" + dir.toAbsolutePath() + "?ns=drain";
  }

  @Override
  Map<String, String> environment() {
    return Map.of();
  }
}
