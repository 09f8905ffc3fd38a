package io.namidb.engine.backup;

import io.namidb.engine.store.ObjectStore;
import java.util.Optional;

/**
 * {@code <backup>/backup.json}: the namespace a backup was taken of ({@link
 * ObjectStore#location()}, no endpoint or credentials) and the manifest version it holds. It is the
 * first object a backup writes, so even an interrupted backup says whose it is, and {@link
 * Backups#prune} touches only the backups of the namespace being backed up: two tenants sharing a
 * destination never rotate out each other's history.
 */
record BackupRecord(int format, String source, long sourceVersion, String createdAt) {
  static final String KEY = "backup.json";
  static final int FORMAT = 1;

  byte[] encode() {
    return JsonObjects.encode(this);
  }

  /** The record of backup {@code name}; empty for a backup made before records existed. */
  static Optional<BackupRecord> read(ObjectStore destination, String name) {
    return JsonObjects.read(destination, name + "/" + KEY, BackupRecord.class);
  }
}
