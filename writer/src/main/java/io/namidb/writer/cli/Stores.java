package io.namidb.writer.cli;

import io.namidb.engine.NamiException;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.engine.store.S3ObjectStore;
import io.namidb.engine.store.StoreLocation;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Opens a second store (a backup destination or restore source). Its S3 credentials come from the
 * default chain, or from {@code <PREFIX>AWS_ACCESS_KEY_ID} / {@code <PREFIX>AWS_SECRET_ACCESS_KEY}
 * when both are set ({@code NAMI_TO_} for {@code backup --to}, {@code NAMI_FROM_} for {@code
 * restore --from}), so a backup bucket can have credentials of its own.
 */
final class Stores {
  private Stores() {}

  static StoreLocation parseLocation(String uri, String option) {
    try {
      return StoreLocation.parse(uri);
    } catch (NamiException e) {
      throw new NamiException(NamiException.Kind.INVALID_INPUT, option + ": " + e.getMessage());
    }
  }

  static ObjectStore open(StoreLocation location, String envPrefix, Map<String, String> env) {
    String key = env.get(envPrefix + "AWS_ACCESS_KEY_ID");
    String secret = env.get(envPrefix + "AWS_SECRET_ACCESS_KEY");
    if (location.scheme() == StoreLocation.Scheme.S3 && key != null && secret != null) {
      return S3ObjectStore.builder(location)
          .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
          .build();
    }
    return ObjectStores.open(location);
  }
}
