package io.namidb.writer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The bad-input matrix on the local directory store. */
class BadInputLocalIT extends BadInputContract {
  private final Path dir;

  BadInputLocalIT() {
    try {
      dir = Files.createTempDirectory(WriterProcess.logDir(), "bad-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  String namespaceUri() {
    return "file://" + dir.toAbsolutePath() + "?ns=bad";
  }

  @Override
  Map<String, String> environment() {
    return Map.of();
  }
}
