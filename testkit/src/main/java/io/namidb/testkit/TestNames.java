package io.namidb.testkit;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Names for per-class test resources (buckets, Kubernetes namespaces). */
public final class TestNames {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestNames() {}

  /**
   * {@code t-<class name>-<n>}: unique in this JVM, valid as an S3 bucket name and a DNS label
   * (lowercase {@code [a-z0-9-]}, at most 63 characters, starting and ending alphanumeric).
   */
  public static String uniqueFor(ExtensionContext context) {
    String base =
        context
            .getTestClass()
            .map(Class::getSimpleName)
            .orElse("test")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
    if (base.length() > 48) {
      base = base.substring(0, 48).replaceAll("-+$", "");
    }
    return "t-" + base + "-" + COUNTER.incrementAndGet();
  }

  /** The context of the test class that {@code context} belongs to. */
  public static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }
}
