package io.namidb.engine.backup;

import io.namidb.engine.store.ObjectStore;
import java.util.Optional;

/**
 * {@code restore.json} in a namespace's prefix: the backup it was restored from ({@link
 * ObjectStore#location()} of the backup, no endpoint or credentials), that backup's manifest
 * version and the manifest version the restore wrote. The fact lives with the data, so a restore
 * asked for again (a GitOps rebuild of the resource, a Kubernetes restore without status) finds it
 * and does nothing. Written before the restored manifest; outside {@code manifest/}, {@code sst/}
 * and {@code wal/}, so GC never touches it; {@link Purge} deletes it with the data.
 */
record RestoreMarker(int format, String from, long sourceVersion, long version, String restoredAt) {
  static final String KEY = "restore.json";
  static final int FORMAT = 1;

  byte[] encode() {
    return JsonObjects.encode(this);
  }

  static Optional<RestoreMarker> read(ObjectStore namespace) {
    return JsonObjects.read(namespace, KEY, RestoreMarker.class);
  }
}
