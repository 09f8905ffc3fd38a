package io.namidb.writer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code POST /v1/query} on a local directory. */
class QueryApiLocalIT extends QueryApiContract {
  private final Path dir;

  QueryApiLocalIT() {
    try {
      dir = Files.createTempDirectory(WriterProcess.logDir(), "query-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  String namespaceUri() {
    return "file://" + dir.toAbsolutePath() + "?ns=query";
  }

  @Override
  Map<String, String> environment() {
    return Map.of();
  }
}
