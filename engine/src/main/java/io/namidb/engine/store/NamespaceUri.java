package io.namidb.engine.store;

import io.namidb.engine.NamiException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A namespace URI (DESIGN §2, a contract):
 *
 * <pre>
 * s3://BUCKET[/PATH]?ns=NAME[&amp;endpoint=URL][&amp;region=R][&amp;pathStyle=true]
 * file:///ABSOLUTE/DIR?ns=NAME
 * </pre>
 *
 * <p>The namespace's objects live under {@code [PATH/]NAME/} of the bucket, or in {@code DIR/NAME}.
 * {@code NAME} is a DNS label: {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, at most 63 characters. Query
 * values are URL-decoded; every parameter appears at most once; anything else is rejected with an
 * {@code INVALID_INPUT} {@link NamiException} that quotes the bad value and states the rule.
 *
 * @param location where the namespace lives, without the namespace (its parent)
 * @param name the namespace name
 */
public record NamespaceUri(StoreLocation location, String name) {
  /** The rule for namespace names, as stated in messages. */
  public static final String NAME_RULE =
      "must be a DNS label [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  public NamespaceUri {
    Objects.requireNonNull(location, "location");
    checkName(name);
  }

  /**
   * Parses a namespace URI.
   *
   * @throws NamiException {@code INVALID_INPUT}, quoting the bad value and the rule
   */
  public static NamespaceUri parse(String uri) {
    UriParser.Parsed parsed = UriParser.parse(uri, true);
    return new NamespaceUri(parsed.location(), parsed.namespace());
  }

  /**
   * Checks a namespace name.
   *
   * @throws NamiException {@code INVALID_INPUT} unless it is a DNS label of at most 63 characters
   */
  public static String checkName(String name) {
    if (name == null || name.length() > 63 || !NAME.matcher(name).matches()) {
      throw new NamiException(
          NamiException.Kind.INVALID_INPUT,
          "invalid namespace name: "
              + NAME_RULE
              + ". ns="
              + Keys.quote(name)
              + (name != null && name.length() > 63 ? " length=" + name.length() : ""));
    }
    return name;
  }

  /**
   * Where the namespace's own objects are: {@code [PATH/]NAME} of the bucket, or {@code DIR/NAME}.
   */
  public StoreLocation root() {
    return location.resolve(name);
  }

  /**
   * The prefix of the namespace's objects: relative to the bucket for S3 ({@code data/tenant-acme/}
   * for {@code s3://b/data?ns=tenant-acme}), relative to the directory for files ({@code NAME/}).
   */
  public String keyPrefix() {
    return location.keyPrefix() + name + "/";
  }

  /** The canonical URI: parameters in the order ns, endpoint, region, pathStyle. */
  @Override
  public String toString() {
    return location.base() + location.parameters("ns=" + name);
  }
}
