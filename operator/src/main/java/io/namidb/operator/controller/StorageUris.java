package io.namidb.operator.controller;

import io.namidb.operator.api.BackupDestination;
import io.namidb.operator.api.RestoreSpec;
import io.namidb.operator.api.StorageSpec;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The URIs handed to the {@code nami} commands (DESIGN §2): the spec's URI with {@code endpoint}
 * and {@code region} fields folded into its query, so the writer image needs nothing but the URI
 * contract. An endpoint implies {@code pathStyle=true} (what MinIO and most S3-compatible stores
 * need) unless the URI already says otherwise.
 */
public final class StorageUris {
  private static final Pattern PATH_STYLE = Pattern.compile("[?&]pathStyle=");

  private StorageUris() {}

  /** {@code NAMI_URI} of the namespace. */
  public static String namespace(StorageSpec storage) {
    return withStore(storage.getUri(), storage.getEndpoint(), storage.getRegion());
  }

  /**
   * {@code --to} of {@code nami backup}: a folder that names the tenant's storage namespace, so
   * that tenants sharing a destination keep their backups apart. A destination whose last path
   * segment already is that name is used as it is ({@code s3://backups/tenant-acme} for {@code
   * ns=tenant-acme}); otherwise the name is appended ({@code s3://backups} → {@code
   * s3://backups/tenant-acme}).
   */
  public static String backupDestination(BackupDestination destination, StorageSpec storage) {
    String uri = destination.getUri();
    int query = uri.indexOf('?');
    String base = (query < 0 ? uri : uri.substring(0, query)).replaceAll("/+$", "");
    String rest = query < 0 ? "" : uri.substring(query);
    String ns = namespaceName(storage);
    String tenant = base.endsWith("/" + ns) ? base : base + "/" + ns;
    return withStore(tenant + rest, destination.getEndpoint(), destination.getRegion());
  }

  /** The {@code ns} of {@code storage.uri}: the storage namespace's name. */
  public static String namespaceName(StorageSpec storage) {
    return query(storage.getUri()).getOrDefault("ns", "");
  }

  /** {@code --from} of {@code nami restore}. */
  public static String restoreSource(RestoreSpec restore) {
    return withStore(restore.getFrom(), restore.getEndpoint(), restore.getRegion());
  }

  /**
   * {@code location} without its query: the backup's place in its bucket, without the endpoint,
   * region and path style it was written with (null stays null).
   */
  public static String withoutStoreParameters(String location) {
    if (location == null) {
      return null;
    }
    int query = location.indexOf('?');
    return query < 0 ? location : location.substring(0, query);
  }

  /**
   * What names one storage namespace, for telling whether two resources share it: the scheme, the
   * store's endpoint (spec field or {@code endpoint=} in the query; empty for AWS), the bucket, the
   * path without outer slashes and {@code ns}. Region and path style do not change which objects
   * are meant.
   */
  public static String identity(StorageSpec storage) {
    URI uri;
    try {
      uri = URI.create(storage.getUri());
    } catch (IllegalArgumentException e) {
      return "unparsable|" + storage.getUri();
    }
    Map<String, String> query = query(storage.getUri());
    String endpoint =
        storage.getEndpoint() != null && !storage.getEndpoint().isBlank()
            ? storage.getEndpoint()
            : query.getOrDefault("endpoint", "");
    endpoint = endpoint.strip().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
    String bucket = uri.getAuthority() == null ? "" : uri.getAuthority();
    return String.join(
        "|", String.valueOf(uri.getScheme()), endpoint, bucket, path, query.getOrDefault("ns", ""));
  }

  /** The decoded query parameters of {@code uri}. */
  private static Map<String, String> query(String uri) {
    Map<String, String> query = new HashMap<>();
    int start = uri.indexOf('?');
    if (start < 0) {
      return query;
    }
    int fragment = uri.indexOf('#', start);
    String raw = uri.substring(start + 1, fragment < 0 ? uri.length() : fragment);
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        query.put(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  static String withStore(String uri, String endpoint, String region) {
    StringBuilder out = new StringBuilder(uri);
    if (endpoint != null && !endpoint.isBlank()) {
      append(out, "endpoint", URLEncoder.encode(endpoint, StandardCharsets.UTF_8));
      if (!PATH_STYLE.matcher(uri).find()) {
        append(out, "pathStyle", "true");
      }
    }
    if (region != null && !region.isBlank()) {
      append(out, "region", region);
    }
    return out.toString();
  }

  private static void append(StringBuilder uri, String key, String value) {
    uri.append(uri.indexOf("?") < 0 ? '?' : '&').append(key).append('=').append(value);
  }
}
