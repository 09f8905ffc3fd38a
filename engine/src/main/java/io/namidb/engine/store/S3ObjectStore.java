package io.namidb.engine.store;

import io.namidb.engine.NamiException.Kind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Objects in an S3 bucket (or an S3-compatible store: MinIO, R2, ...) below a key prefix, on the
 * AWS SDK for Java v2 with the Apache HTTP client.
 *
 * <ul>
 *   <li>Create-if-absent is {@code PUT} with {@code If-None-Match: *}: 412 Precondition Failed
 *       becomes {@link ObjectExistsException}; 409 {@code ConditionalRequestConflict} (another
 *       conditional write to the key in flight) is retried.
 *   <li>Transient failures (5xx, throttling, I/O errors, timeouts, and that 409) are retried by the
 *       SDK's own standard retry strategy: bounded attempts, exponential backoff with full jitter
 *       (separate, slower backoff for throttling), circuit breaker off so every call gets all its
 *       attempts. What still fails is an {@link ObjectStoreException} of kind {@code TRANSIENT};
 *       access and bucket problems are {@code CONFIGURATION}.
 *   <li>Ranged reads send a {@code Range} header. A server that ignores it (200 with the whole
 *       object) still yields the range, cut out here; a partial answer for other bytes than asked
 *       for is refused. Listing pages through {@code ListObjectsV2}.
 *   <li>Credentials come from the SDK default chain (environment, system properties, web identity,
 *       profile, container and instance roles) unless the builder is given others.
 *   <li>With a custom endpoint (S3-compatible stores) request checksums are only sent where S3
 *       requires them: several compatible stores reject the SDK's default trailing checksums.
 *       NamiDB's formats carry their own checksums.
 * </ul>
 */
public final class S3ObjectStore extends AbstractObjectStore {
  private final S3Client s3;
  private final SdkAutoCloseable ownedCredentials;
  private final String bucket;
  private final String prefix;
  private final String location;
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3ObjectStore(Builder b, S3Client s3, SdkAutoCloseable ownedCredentials) {
    this.s3 = s3;
    this.ownedCredentials = ownedCredentials;
    this.bucket = b.location.bucket();
    this.prefix = Keys.checkRoot(b.location.keyPrefix());
    this.location = b.location.base();
  }

  /** A store rooted at an S3 location (its bucket and key prefix, endpoint, region, path style). */
  public static Builder builder(StoreLocation location) {
    return new Builder(location);
  }

  @Override
  protected void doPutIfAbsent(String key, byte[] data) {
    ensureOpen();
    try {
      s3.putObject(
          b ->
              b.bucket(bucket).key(prefix + key).ifNoneMatch("*").contentLength((long) data.length),
          RequestBody.fromBytes(data));
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        throw new ObjectExistsException(location, key);
      }
      throw failure("putIfAbsent", key, e);
    } catch (SdkException | IllegalStateException e) {
      throw failure("putIfAbsent", key, e);
    }
  }

  @Override
  protected void doPut(String key, byte[] data) {
    ensureOpen();
    try {
      s3.putObject(
          b -> b.bucket(bucket).key(prefix + key).contentLength((long) data.length),
          RequestBody.fromBytes(data));
    } catch (SdkException | IllegalStateException e) {
      throw failure("put", key, e);
    }
  }

  @Override
  protected byte[] doGet(String key) {
    ensureOpen();
    try {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)).asByteArrayUnsafe();
    } catch (S3Exception e) {
      if (isMissingKey(e)) {
        throw new ObjectNotFoundException(location, key);
      }
      throw failure("get", key, e);
    } catch (SdkException | IllegalStateException e) {
      throw failure("get", key, e);
    }
  }

  @Override
  protected byte[] doGetRange(String key, long offset, int length) {
    ensureOpen();
    if (length == 0) {
      if (doHead(key).isEmpty()) {
        throw new ObjectNotFoundException(location, key);
      }
      return new byte[0];
    }
    long last = offset > Long.MAX_VALUE - length ? Long.MAX_VALUE - 1 : offset + length - 1;
    try {
      ResponseBytes<GetObjectResponse> r =
          s3.getObjectAsBytes(
              b -> b.bucket(bucket).key(prefix + key).range("bytes=" + offset + "-" + last));
      return rangeOf(key, offset, length, r.response(), r.asByteArrayUnsafe());
    } catch (S3Exception e) {
      if (isMissingKey(e)) {
        throw new ObjectNotFoundException(location, key);
      }
      if (e.statusCode() == 416) {
        return new byte[0]; // the object exists and ends at or before offset
      }
      throw failure("getRange", key, e);
    } catch (SdkException | IllegalStateException e) {
      throw failure("getRange", key, e);
    }
  }

  /**
   * The bytes asked for, out of what the server answered a ranged GET with. 206 carries a {@code
   * Content-Range} that must start at {@code offset}; a 200 without one is the whole object (a
   * server or proxy that ignores {@code Range}), cut down to the range here. Any other answer is
   * refused rather than taken for the range.
   */
  private byte[] rangeOf(String key, long offset, int length, GetObjectResponse r, byte[] body) {
    int status = r.sdkHttpResponse().statusCode();
    String contentRange = r.contentRange();
    if (status == 200 && contentRange == null) {
      int from = (int) Math.min(offset, body.length);
      return Arrays.copyOfRange(body, from, (int) Math.min((long) body.length, from + length));
    }
    long[] range = status == 206 ? parseContentRange(contentRange) : null;
    if (range != null && range[0] == offset && body.length == range[1] - range[0] + 1) {
      if (body.length <= length) {
        return body;
      }
      return Arrays.copyOf(body, length);
    }
    throw new ObjectStoreException(
        Kind.INTERNAL,
        "s3 answered a ranged read with other bytes than asked for. op=getRange location="
            + location
            + " key="
            + key
            + " offset="
            + offset
            + " length="
            + length
            + " status="
            + status
            + " contentRange="
            + contentRange
            + " bodyLength="
            + body.length);
  }

  /** First and last byte of {@code bytes FIRST-LAST/TOTAL} (TOTAL may be {@code *}), or null. */
  private static long[] parseContentRange(String contentRange) {
    if (contentRange == null) {
      return null;
    }
    String v = contentRange.trim();
    if (!v.regionMatches(true, 0, "bytes ", 0, 6)) {
      return null;
    }
    int dash = v.indexOf('-', 6);
    int slash = v.indexOf('/', 6);
    if (dash < 0 || slash < dash) {
      return null;
    }
    try {
      long first = Long.parseLong(v.substring(6, dash).trim());
      long last = Long.parseLong(v.substring(dash + 1, slash).trim());
      return first >= 0 && last >= first ? new long[] {first, last} : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  protected Optional<ObjectInfo> doHead(String key) {
    ensureOpen();
    try {
      HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(prefix + key));
      return Optional.of(new ObjectInfo(key, r.contentLength(), r.eTag()));
    } catch (S3Exception e) {
      if (isMissingKey(e)) {
        return Optional.empty();
      }
      throw failure("head", key, e);
    } catch (SdkException | IllegalStateException e) {
      throw failure("head", key, e);
    }
  }

  @Override
  protected List<ObjectInfo> doList(String listPrefix) {
    ensureOpen();
    List<ObjectInfo> out = new ArrayList<>();
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + listPrefix)).contents()) {
        String key = o.key().substring(prefix.length());
        if (!key.isEmpty()) { // a "folder" marker for the root itself is no object of ours
          out.add(new ObjectInfo(key, o.size(), o.eTag()));
        }
      }
    } catch (SdkException | IllegalStateException e) {
      throw failure("list", listPrefix, e);
    }
    // S3 lists in UTF-8 byte order; not every compatible store does.
    out.sort((a, b) -> compareKeys(a.key(), b.key()));
    return out;
  }

  @Override
  protected void doDelete(String key) {
    ensureOpen();
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(prefix + key));
    } catch (S3Exception e) {
      if (isMissingKey(e)) {
        return;
      }
      throw failure("delete", key, e);
    } catch (SdkException | IllegalStateException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      s3.close();
      if (ownedCredentials != null) {
        ownedCredentials.close();
      }
    }
  }

  @Override
  public String toString() {
    return "S3ObjectStore[" + location + "]";
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new ObjectStoreException(Kind.INTERNAL, "object store closed. location=" + location);
    }
  }

  private static boolean isMissingKey(S3Exception e) {
    return e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e));
  }

  /** Whether S3 refused a write because a conditional write to the same key was in flight. */
  static boolean isConditionalConflict(Throwable t) {
    return t instanceof S3Exception e
        && e.statusCode() == 409
        && ("ConditionalRequestConflict".equals(errorCode(e))
            || "OperationAborted".equals(errorCode(e)));
  }

  private static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  /** Maps a failure that survived the SDK's retries to the kind a caller can act on. */
  ObjectStoreException failure(String op, String key, RuntimeException e) {
    return failure(op, key, location, e);
  }

  static ObjectStoreException failure(String op, String key, String location, RuntimeException e) {
    String where = "op=" + op + " location=" + location + " key=" + key;
    if (e instanceof S3Exception s) {
      String code = errorCode(s);
      String detail =
          where + " status=" + s.statusCode() + " code=" + code + " requestId=" + s.requestId();
      return new ObjectStoreException(kindOf(s), refusal(s.statusCode(), code) + detail, e);
    }
    if (e instanceof SdkClientException c && isConfigurationProblem(c)) {
      return new ObjectStoreException(
          Kind.CONFIGURATION, "s3 client not configured. " + where + " error=" + c.getMessage(), e);
    }
    if (e instanceof IllegalStateException) {
      return new ObjectStoreException(
          Kind.INTERNAL, "s3 client unusable (closed?). " + where + " error=" + e.getMessage(), e);
    }
    return new ObjectStoreException(
        Kind.TRANSIENT, "s3 request failed. " + where + " error=" + e.getMessage(), e);
  }

  /**
   * What a refused request means for the operator of the credential: S3 answers 403 for an unknown
   * key id, a wrong secret and a policy that does not cover the object alike, and only the error
   * code tells them apart. Never includes the credential itself.
   */
  private static String refusal(int status, String code) {
    if ("InvalidAccessKeyId".equals(code)) {
      return "s3 does not know this access key id: check the credential (AWS_ACCESS_KEY_ID) given"
          + " to this namespace. ";
    }
    if ("SignatureDoesNotMatch".equals(code)) {
      return "s3 refused the request's signature: the secret key does not belong to this access"
          + " key id (AWS_SECRET_ACCESS_KEY). ";
    }
    if (status == 403) {
      return "s3 access denied: this credential may not do this here; check that it is this"
          + " namespace's own and that its policy covers the namespace's prefix (and its backup"
          + " destination). ";
    }
    return "s3 request failed. ";
  }

  static Kind kindOf(S3Exception e) {
    int status = e.statusCode();
    String code = errorCode(e);
    if (status == 401
        || status == 403
        || "NoSuchBucket".equals(code)
        || "PermanentRedirect".equals(code)
        || "AuthorizationHeaderMalformed".equals(code)
        || status == 301) {
      return Kind.CONFIGURATION;
    }
    if (status >= 500 || status == 429 || status == 409 || e.isThrottlingException()) {
      return Kind.TRANSIENT;
    }
    return Kind.INTERNAL;
  }

  private static boolean isConfigurationProblem(SdkClientException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("Unable to load credentials") || m.contains("Unable to load region");
  }

  /** Builds an {@link S3ObjectStore}; defaults suit production. */
  public static final class Builder {
    private final StoreLocation location;
    private AwsCredentialsProvider credentials;
    private int maxAttempts = 8;
    private Duration baseDelay = Duration.ofMillis(100);
    private Duration maxDelay = Duration.ofSeconds(10);
    private Duration throttlingBaseDelay = Duration.ofMillis(500);
    private Duration throttlingMaxDelay = Duration.ofSeconds(20);
    private Duration connectionTimeout = Duration.ofSeconds(10);
    private Duration socketTimeout = Duration.ofSeconds(60);
    private int maxConnections = 64;

    private Builder(StoreLocation location) {
      if (location.scheme() != StoreLocation.Scheme.S3) {
        throw new IllegalArgumentException("not an s3 location. location=" + location);
      }
      this.location = location;
    }

    /** Credentials to use instead of the SDK default chain (tests, explicit configuration). */
    public Builder credentials(AwsCredentialsProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials);
      return this;
    }

    /** Attempts per call in all, first included (default 8). */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1. maxAttempts=" + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Backoff between attempts: full-jitter exponential from {@code base} up to {@code max}
     * (default 100 ms to 10 s); throttling backs off five times slower. {@link Duration#ZERO}
     * retries immediately (tests).
     */
    public Builder backoff(Duration base, Duration max) {
      this.baseDelay = Objects.requireNonNull(base);
      this.maxDelay = Objects.requireNonNull(max);
      this.throttlingBaseDelay = base.multipliedBy(5);
      this.throttlingMaxDelay = max.multipliedBy(2);
      return this;
    }

    /** HTTP connect and socket (read) timeouts (default 10 s and 60 s). */
    public Builder timeouts(Duration connect, Duration socket) {
      this.connectionTimeout = Objects.requireNonNull(connect);
      this.socketTimeout = Objects.requireNonNull(socket);
      return this;
    }

    /** Pooled HTTP connections (default 64). */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    public S3ObjectStore build() {
      SdkAutoCloseable owned = null;
      AwsCredentialsProvider provider = credentials;
      if (provider == null) {
        DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
        owned = chain;
        provider = chain;
      }
      S3ClientBuilder b =
          S3Client.builder()
              .credentialsProvider(provider)
              .httpClientBuilder(
                  ApacheHttpClient.builder()
                      .connectionTimeout(connectionTimeout)
                      .socketTimeout(socketTimeout)
                      .maxConnections(maxConnections))
              .overrideConfiguration(o -> o.retryStrategy(retryStrategy()))
              .forcePathStyle(location.pathStyle());
      Optional<URI> endpoint = location.endpoint();
      endpoint.ifPresent(
          uri ->
              b.endpointOverride(uri)
                  .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                  .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
      if (location.region().isPresent()) {
        b.region(Region.of(location.region().get()));
      } else if (endpoint.isPresent()) {
        b.region(Region.US_EAST_1); // S3-compatible stores mostly ignore the region
      } else {
        b.region(defaultRegion()).crossRegionAccessEnabled(true);
      }
      return new S3ObjectStore(this, b.build(), owned);
    }

    private RetryStrategy retryStrategy() {
      return AwsRetryStrategy.standardRetryStrategy().toBuilder()
          .maxAttempts(maxAttempts)
          .backoffStrategy(backoffStrategy(baseDelay, maxDelay))
          .throttlingBackoffStrategy(backoffStrategy(throttlingBaseDelay, throttlingMaxDelay))
          .retryOnException(S3ObjectStore::isConditionalConflict)
          .circuitBreakerEnabled(false)
          .build();
    }

    private static BackoffStrategy backoffStrategy(Duration base, Duration max) {
      return base.isZero()
          ? BackoffStrategy.retryImmediately()
          : BackoffStrategy.exponentialDelay(base, max);
    }

    private static Region defaultRegion() {
      try {
        return new DefaultAwsRegionProviderChain().getRegion();
      } catch (SdkClientException e) {
        return Region.US_EAST_1; // cross-region access finds the bucket's real region
      }
    }
  }
}
