package io.namidb.engine.store;

import static io.namidb.engine.FuzzContract.refusedOnlyAs;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.namidb.engine.NamiException.Kind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes namespace and location URIs (DESIGN §2): any string parses or is refused as INVALID_INPUT,
 * and what parses has a canonical form that parses back to the same value. Corpus (UTF-8 text):
 * {@code src/test/resources/io/namidb/engine/store/NamespaceUriFuzzTestInputs/parse/}.
 */
class NamespaceUriFuzzTest {

  @FuzzTest
  @Timeout(10)
  void parse(byte[] data) {
    if (data == null) {
      return;
    }
    String uri = new String(data, StandardCharsets.UTF_8);
    refusedOnlyAs(
        () -> {
          NamespaceUri ns = NamespaceUri.parse(uri);
          assertThat(NamespaceUri.parse(ns.toString())).isEqualTo(ns);
          assertThat(ns.keyPrefix()).endsWith(ns.name() + "/");
          ns.root();
        },
        Kind.INVALID_INPUT);
    refusedOnlyAs(
        () -> {
          StoreLocation location = StoreLocation.parse(uri);
          assertThat(StoreLocation.parse(location.toString())).isEqualTo(location);
        },
        Kind.INVALID_INPUT);
  }
}
