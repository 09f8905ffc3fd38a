package io.namidb.writer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The HTTP API on the embedded default: a local directory ({@code file://}). */
class HttpApiLocalIT extends HttpApiContract {
  private final Path dir;

  HttpApiLocalIT() {
    try {
      dir = Files.createTempDirectory(WriterProcess.logDir(), "local-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  String namespaceUri() {
    return "file://" + dir.toAbsolutePath() + "?ns=api";
  }

  @Override
  Map<String, String> environment() {
    return Map.of();
  }
}
