package io.namidb.engine.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.store.ObjectNotFoundException;
import io.namidb.engine.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The small JSON records backups and restores leave beside the data they describe. */
final class JsonObjects {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private JsonObjects() {}

  static byte[] encode(Object record) {
    try {
      return JSON.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The record at {@code key}, empty when there is none.
   *
   * @throws CorruptObjectException if the object is not such a record
   */
  static <T> Optional<T> read(ObjectStore store, String key, Class<T> type) {
    byte[] bytes;
    try {
      bytes = store.get(key);
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(bytes, type));
    } catch (IOException e) {
      throw new CorruptObjectException(
          "unreadable " + key + ". location=" + store.location() + " key=" + key, e);
    }
  }
}
