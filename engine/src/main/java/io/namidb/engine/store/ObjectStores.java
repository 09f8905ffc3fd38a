package io.namidb.engine.store;

/** Opens the store a URI names. */
public final class ObjectStores {
  private ObjectStores() {}

  /**
   * The store of a namespace, rooted at its prefix ({@code [PATH/]NAME/} of the bucket, or {@code
   * DIR/NAME}): keys like {@code manifest/00000000000000000042.json}.
   */
  public static ObjectStore open(NamespaceUri uri) {
    return open(uri.root());
  }

  /**
   * The store at a location URI without a namespace, e.g. a backup destination: {@code
   * s3://bucket/path[?endpoint=…]} or {@code file:///dir}.
   *
   * @throws io.namidb.engine.NamiException {@code INVALID_INPUT} for a malformed URI
   */
  public static ObjectStore openLocation(String uri) {
    return open(StoreLocation.parse(uri));
  }

  /** The store rooted at {@code location}; S3 credentials from the SDK default chain. */
  public static ObjectStore open(StoreLocation location) {
    return switch (location.scheme()) {
      case S3 -> S3ObjectStore.builder(location).build();
      case FILE -> new LocalObjectStore(location.directory());
    };
  }
}
