package io.namidb.engine.store;

import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses namespace and location URIs by hand, so that every rejection names its rule and quotes the
 * value ({@link java.net.URI} would accept too much and explain too little).
 */
final class UriParser {
  private static final String NAMESPACE_FORMS =
      "s3://BUCKET[/PATH]?ns=NAME[&endpoint=URL][&region=R][&pathStyle=true]"
          + " or file:///ABSOLUTE/DIR?ns=NAME";
  private static final String LOCATION_FORMS =
      "s3://BUCKET[/PATH][?endpoint=URL][&region=R][&pathStyle=true] or file:///ABSOLUTE/DIR";

  /** The longest S3 path: leaves room for a namespace name, a backup folder and 512-byte keys. */
  static final int MAX_S3_PATH_BYTES = 255;

  private static final Set<String> S3_PARAMETERS = Set.of("endpoint", "region", "pathStyle");
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** A parsed URI: the location and, for namespace URIs, the namespace name. */
  record Parsed(StoreLocation location, String namespace) {}

  private UriParser() {}

  static Parsed parse(String uri, boolean namespace) {
    String forms = namespace ? NAMESPACE_FORMS : LOCATION_FORMS;
    String what = namespace ? "namespace uri" : "location uri";
    if (uri == null || uri.isBlank()) {
      throw invalid("invalid " + what + ": must not be empty, use " + forms + ". uri=" + q(uri));
    }
    if (uri.indexOf('#') >= 0) {
      throw invalid("invalid " + what + ": fragments (#) are not allowed. uri=" + q(uri));
    }
    if (!uri.strip().equals(uri)) {
      throw invalid(
          "invalid " + what + ": leading or trailing whitespace is not allowed. uri=" + q(uri));
    }
    int colon = uri.indexOf(':');
    if (colon <= 0 || !SCHEME.matcher(uri.substring(0, colon)).matches()) {
      throw invalid("invalid " + what + ": must look like " + forms + ". uri=" + q(uri));
    }
    String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = uri.substring(colon + 1);
    int question = rest.indexOf('?');
    String hier = question < 0 ? rest : rest.substring(0, question);
    String query = question < 0 ? "" : rest.substring(question + 1);
    Map<String, String> params = parameters(query, uri);

    String ns = params.remove("ns");
    if (namespace && ns == null) {
      throw invalid(
          "missing namespace: a namespace uri needs the parameter ns=NAME, as in "
              + forms
              + ". uri="
              + q(uri));
    }
    if (!namespace && ns != null) {
      throw invalid(
          "unexpected parameter: a location uri takes no ns, use "
              + forms
              + ". parameter=\"ns\" uri="
              + q(uri));
    }
    if (namespace) {
      try {
        NamespaceUri.checkName(ns);
      } catch (NamiException e) {
        throw invalid(e.getMessage() + " uri=" + q(uri));
      }
    }

    StoreLocation location =
        switch (scheme) {
          case "s3" -> s3(hier, params, uri);
          case "file" -> file(hier, params, uri);
          default ->
              throw invalid(
                  "unsupported uri scheme: must be s3 or file. scheme="
                      + q(uri.substring(0, colon))
                      + " uri="
                      + q(uri));
        };
    return new Parsed(location, ns);
  }

  private static StoreLocation s3(String hier, Map<String, String> params, String uri) {
    if (!hier.startsWith("//")) {
      throw invalid("invalid s3 uri: must be s3://BUCKET[/PATH]. uri=" + q(uri));
    }
    String authority = hier.substring(2);
    String path = "";
    int slash = authority.indexOf('/');
    if (slash >= 0) {
      path = authority.substring(slash + 1);
      authority = authority.substring(0, slash);
    }
    if (authority.isEmpty()) {
      throw invalid(
          "missing bucket: an s3 uri must name a bucket, s3://BUCKET[/PATH]. uri=" + q(uri));
    }
    if (!BUCKET.matcher(authority).matches() || authority.contains("..")) {
      throw invalid(
          "invalid bucket name: must be 3 to 63 characters of a-z, 0-9, '.' and '-', starting and"
              + " ending with a letter or digit. bucket="
              + q(authority)
              + " uri="
              + q(uri));
    }
    String decoded = decodePath(path, uri);
    if (decoded.endsWith("/")) {
      decoded = decoded.substring(0, decoded.length() - 1);
    }
    if (!decoded.isEmpty()) {
      for (String segment : decoded.split("/", -1)) {
        checkSegment(segment, uri);
      }
      int length = decoded.getBytes(StandardCharsets.UTF_8).length;
      if (length > MAX_S3_PATH_BYTES) {
        throw invalid(
            "invalid path: at most "
                + MAX_S3_PATH_BYTES
                + " bytes of UTF-8, the rest of S3's 1024-byte keys is for the namespace's own."
                + " length="
                + length
                + " uri="
                + q(uri));
      }
      try {
        Keys.checkKey(decoded);
      } catch (IllegalArgumentException e) {
        throw invalid(
            e.getMessage().replace("invalid object key", "invalid path") + " uri=" + q(uri));
      }
    }

    URI endpoint = null;
    String rawEndpoint = params.get("endpoint");
    if (rawEndpoint != null) {
      endpoint = endpoint(rawEndpoint, uri);
    }
    String region = params.get("region");
    if (region != null && !REGION.matcher(region).matches()) {
      throw invalid(
          "invalid region: must be lowercase letters, digits and '-', e.g. us-east-1. region="
              + q(region)
              + " uri="
              + q(uri));
    }
    boolean pathStyle = false;
    String rawPathStyle = params.get("pathStyle");
    if (rawPathStyle != null) {
      if (!rawPathStyle.equals("true") && !rawPathStyle.equals("false")) {
        throw invalid(
            "invalid pathStyle: must be true or false. pathStyle="
                + q(rawPathStyle)
                + " uri="
                + q(uri));
      }
      pathStyle = rawPathStyle.equals("true");
    }
    return new StoreLocation(
        StoreLocation.Scheme.S3, authority, decoded, endpoint, region, pathStyle);
  }

  private static StoreLocation file(String hier, Map<String, String> params, String uri) {
    if (!params.isEmpty()) {
      throw invalid(
          "unexpected parameter: file uris take only ns, the others are for s3. parameter="
              + q(params.keySet().iterator().next())
              + " uri="
              + q(uri));
    }
    String path;
    if (hier.startsWith("//")) {
      String afterSlashes = hier.substring(2);
      int slash = afterSlashes.indexOf('/');
      String host = slash < 0 ? afterSlashes : afterSlashes.substring(0, slash);
      if (!host.isEmpty() || slash < 0) {
        throw invalid(
            "invalid file uri: the directory must be an absolute path, file:///ABSOLUTE/DIR"
                + " (three slashes, no host). uri="
                + q(uri));
      }
      path = afterSlashes.substring(slash);
    } else if (hier.startsWith("/")) {
      path = hier; // file:/abs/dir, as java.io.File#toURI writes it
    } else {
      throw invalid(
          "invalid file uri: the directory must be an absolute path, file:///ABSOLUTE/DIR. uri="
              + q(uri));
    }
    String decoded = decodePath(path, uri);
    if (decoded.length() > 1 && decoded.endsWith("/")) {
      decoded = decoded.substring(0, decoded.length() - 1);
    }
    if (!decoded.equals("/")) {
      for (String segment : decoded.substring(1).split("/", -1)) {
        checkSegment(segment, uri);
      }
    }
    if (decoded.indexOf('\0') >= 0) {
      throw invalid("invalid file uri: the path contains a NUL byte. uri=" + q(uri));
    }
    return new StoreLocation(StoreLocation.Scheme.FILE, null, decoded, null, null, false);
  }

  /** A path segment: non-empty, not {@code .} or {@code ..}. */
  static void checkSegment(String segment, String uri) {
    if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
      throw invalid(
          "invalid path: segments must be non-empty and not '.' or '..'. segment="
              + q(segment)
              + " uri="
              + q(uri));
    }
    if (segment.indexOf('/') >= 0) {
      throw invalid("invalid path segment: must not contain '/'. segment=" + q(segment));
    }
  }

  private static URI endpoint(String raw, String uri) {
    String rule =
        "invalid endpoint: must be an absolute http or https URL with a host, e.g."
            + " http://127.0.0.1:9000. endpoint=";
    URI endpoint;
    try {
      endpoint = new URI(raw);
    } catch (URISyntaxException e) {
      throw invalid(rule + q(raw) + " uri=" + q(uri));
    }
    String scheme =
        endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || endpoint.getHost() == null
        || endpoint.getRawQuery() != null
        || endpoint.getRawFragment() != null
        || endpoint.getRawUserInfo() != null) {
      throw invalid(rule + q(raw) + " uri=" + q(uri));
    }
    return endpoint;
  }

  /** {@code k=v&k=v}, values URL-decoded; each key once and known. */
  private static Map<String, String> parameters(String query, String uri) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return params;
    }
    for (String piece : query.split("&", -1)) {
      int eq = piece.indexOf('=');
      if (eq <= 0) {
        throw invalid(
            "malformed uri parameter: expected key=value. parameter="
                + q(piece)
                + " uri="
                + q(uri));
      }
      String key = piece.substring(0, eq);
      String value;
      try {
        value = URLDecoder.decode(piece.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw invalid(
            "malformed percent-encoding in uri parameter: use %XX escapes. parameter="
                + q(piece)
                + " uri="
                + q(uri));
      }
      if (!key.equals("ns") && !S3_PARAMETERS.contains(key)) {
        throw invalid(
            "unknown uri parameter: allowed are ns, endpoint, region, pathStyle. parameter="
                + q(key)
                + " uri="
                + q(uri));
      }
      if (params.putIfAbsent(key, value) != null) {
        throw invalid(
            "duplicate uri parameter: each parameter may appear once. parameter="
                + q(key)
                + " uri="
                + q(uri));
      }
    }
    return params;
  }

  /** Percent-decodes a path ({@code +} stays {@code +}), strictly UTF-8. */
  private static String decodePath(String path, String uri) {
    ByteBuffer bytes = ByteBuffer.allocate(path.length() * 4);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%') {
        int hi = i + 2 < path.length() ? Character.digit(path.charAt(i + 1), 16) : -1;
        int lo = i + 2 < path.length() ? Character.digit(path.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw invalid(
              "malformed percent-encoding in uri path: use %XX escapes. path="
                  + q(path)
                  + " uri="
                  + q(uri));
        }
        bytes.put((byte) (hi << 4 | lo));
        i += 2;
      } else {
        bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    bytes.flip();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid(
          "malformed uri path: escapes are not UTF-8. path=" + q(path) + " uri=" + q(uri));
    }
  }

  /** Percent-encodes a path for the canonical URI: unreserved characters and '/' stay. */
  static String encodePath(String path) {
    StringBuilder s = new StringBuilder(path.length());
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || c == '/') {
        s.append((char) c);
      } else {
        s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        s.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return s.toString();
  }

  private static NamiException invalid(String message) {
    return new NamiException(Kind.INVALID_INPUT, message);
  }

  private static String q(String value) {
    return Keys.quote(value);
  }
}
