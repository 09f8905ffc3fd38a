package io.namidb.engine.manifest;

import io.namidb.engine.NamiException;

/** Another process wrote the manifest version this one tried to create. */
public class ManifestVersionExistsException extends NamiException {
  private static final long serialVersionUID = 1L;
  private final long version;
  private final long winnerEpoch;

  public ManifestVersionExistsException(String location, long version, long winnerEpoch) {
    super(
        Kind.CONFLICT,
        "manifest version exists. location="
            + location
            + " version="
            + version
            + " winnerEpoch="
            + winnerEpoch);
    this.version = version;
    this.winnerEpoch = winnerEpoch;
  }

  public long version() {
    return version;
  }

  public long winnerEpoch() {
    return winnerEpoch;
  }
}
