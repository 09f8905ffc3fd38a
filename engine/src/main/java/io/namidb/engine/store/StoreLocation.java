package io.namidb.engine.store;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A place objects live, without a namespace: a bucket and key prefix on S3 (or an S3-compatible
 * store), or a local directory. Namespaces ({@link NamespaceUri}) and backup destinations are
 * locations. Written as a URI:
 *
 * <pre>
 * s3://BUCKET[/PATH][?endpoint=URL][&amp;region=R][&amp;pathStyle=true]
 * file:///ABSOLUTE/DIR
 * </pre>
 *
 * <p>{@link #toString()} is the canonical URI: parsing it gives an equal location.
 */
public final class StoreLocation {
  /** Where the objects are. */
  public enum Scheme {
    S3,
    FILE
  }

  private final Scheme scheme;
  private final String bucket;
  private final String path;
  private final URI endpoint;
  private final String region;
  private final boolean pathStyle;

  StoreLocation(
      Scheme scheme, String bucket, String path, URI endpoint, String region, boolean pathStyle) {
    this.scheme = Objects.requireNonNull(scheme);
    this.bucket = bucket;
    this.path = Objects.requireNonNull(path);
    this.endpoint = endpoint;
    this.region = region;
    this.pathStyle = pathStyle;
  }

  /**
   * Parses a location URI ({@code s3://bucket/path} or {@code file:///dir}; no {@code ns}).
   *
   * @throws io.namidb.engine.NamiException {@code INVALID_INPUT}, quoting the bad value and the
   *     rule
   */
  public static StoreLocation parse(String uri) {
    return UriParser.parse(uri, false).location();
  }

  /** The location of a local directory (made absolute and normalised). */
  public static StoreLocation ofDirectory(Path dir) {
    String p = dir.toAbsolutePath().normalize().toString();
    return new StoreLocation(Scheme.FILE, null, p, null, null, false);
  }

  public Scheme scheme() {
    return scheme;
  }

  /**
   * The bucket of an S3 location.
   *
   * @throws IllegalStateException for a local directory
   */
  public String bucket() {
    if (scheme != Scheme.S3) {
      throw new IllegalStateException("a file location has no bucket. location=" + this);
    }
    return bucket;
  }

  /**
   * The path: for S3 the key prefix without leading or trailing {@code /} ({@code ""} for the whole
   * bucket); for a directory its absolute file system path.
   */
  public String path() {
    return path;
  }

  /**
   * The prefix of every key stored here, relative to the bucket: {@code PATH/}, or {@code ""} for
   * the bucket's top. Always {@code ""} for a directory (keys are relative to it).
   */
  public String keyPrefix() {
    return scheme == Scheme.S3 && !path.isEmpty() ? path + "/" : "";
  }

  /**
   * The directory of a file location.
   *
   * @throws IllegalStateException for an S3 location
   */
  public Path directory() {
    if (scheme != Scheme.FILE) {
      throw new IllegalStateException("an s3 location has no directory. location=" + this);
    }
    return Path.of(path);
  }

  /** The S3 endpoint to use instead of AWS's ({@code endpoint=} parameter). */
  public Optional<URI> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /** The region ({@code region=} parameter). */
  public Optional<String> region() {
    return Optional.ofNullable(region);
  }

  /** Whether to address the bucket in the path rather than the host name. */
  public boolean pathStyle() {
    return pathStyle;
  }

  /**
   * The location one segment deeper: {@code s3://b/data} + {@code tenant} → {@code
   * s3://b/data/tenant}.
   */
  public StoreLocation resolve(String segment) {
    UriParser.checkSegment(segment, this.toString());
    String child;
    if (scheme == Scheme.FILE) {
      child = path.endsWith("/") ? path + segment : path + "/" + segment;
    } else {
      child = path.isEmpty() ? segment : path + "/" + segment;
    }
    return new StoreLocation(scheme, bucket, child, endpoint, region, pathStyle);
  }

  /**
   * Whether {@code other} lies at or below this location in the same store (same scheme, bucket and
   * endpoint; region and path style do not change which objects are meant): deleting this
   * location's objects would delete {@code other}'s.
   */
  public boolean encloses(StoreLocation other) {
    if (scheme != other.scheme
        || !Objects.equals(bucket, other.bucket)
        || !Objects.equals(endpoint, other.endpoint)) {
      return false;
    }
    String mine = path.endsWith("/") || path.isEmpty() ? path : path + "/";
    return other.path.equals(path) || (other.path + "/").startsWith(mine);
  }

  /** The canonical URI, e.g. {@code s3://b/data?endpoint=http%3A%2F%2F127.0.0.1%3A9000}. */
  @Override
  public String toString() {
    return base() + parameters("");
  }

  /** {@code s3://BUCKET[/PATH]} or {@code file:///DIR}, without parameters. */
  String base() {
    if (scheme == Scheme.FILE) {
      return "file://" + UriParser.encodePath(path);
    }
    return "s3://" + bucket + (path.isEmpty() ? "" : "/" + UriParser.encodePath(path));
  }

  /** The query string with {@code first} (e.g. {@code ns=x}) ahead of this location's own. */
  String parameters(String first) {
    StringBuilder q = new StringBuilder();
    if (!first.isEmpty()) {
      q.append('&').append(first);
    }
    if (endpoint != null) {
      q.append("&endpoint=").append(URLEncoder.encode(endpoint.toString(), StandardCharsets.UTF_8));
    }
    if (region != null) {
      q.append("&region=").append(URLEncoder.encode(region, StandardCharsets.UTF_8));
    }
    if (pathStyle) {
      q.append("&pathStyle=true");
    }
    return q.length() == 0 ? "" : "?" + q.substring(1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreLocation l
        && scheme == l.scheme
        && Objects.equals(bucket, l.bucket)
        && path.equals(l.path)
        && Objects.equals(endpoint, l.endpoint)
        && Objects.equals(region, l.region)
        && pathStyle == l.pathStyle;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, bucket, path, endpoint, region, pathStyle);
  }
}
