package io.namidb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between the engine's packages point one way (CONVENTIONS "Layout shows the
 * architecture"): {@code backup → graph → manifest/wal/sst/schema → model/store}. A source file may
 * name a class of its own layer or of a lower one, never of a higher one; so nothing below {@code
 * graph} imports it. A plain scan of the main source tree, no bytecode analysis.
 */
class PackageLayeringTest {
  private static final Path SOURCES = Path.of("src/main/java/io/namidb/engine");

  /** Layer of each package, by the name after {@code io.namidb.engine}; "" is the root package. */
  private static final Map<String, Integer> LAYERS =
      Map.of(
          "", 0,
          "model", 0,
          "store", 0,
          "manifest", 1,
          "wal", 1,
          "sst", 1,
          "schema", 1,
          "graph", 2,
          "backup", 3);

  private static final Pattern REFERENCE =
      Pattern.compile("\\bio\\.namidb\\.engine\\.([a-z][a-z0-9]*)\\.[A-Z]");

  @Test
  void noPackageNamesAClassOfAHigherLayer() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = packageOf(SOURCES.relativize(file));
        assertThat(LAYERS)
            .as("package io.namidb.engine.%s has no layer in this test; add it", pkg)
            .containsKey(pkg);
        violations.addAll(violations(pkg, file.toString(), Files.readString(file)));
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void aStoreClassImportingGraphIsAViolation() {
    String source = "package io.namidb.engine.sst;\nimport io.namidb.engine.graph.GraphView;\n";

    assertThat(violations("sst", "Bad.java", source))
        .containsExactly("Bad.java: sst (layer 1) names io.namidb.engine.graph (layer 2)");
    assertThat(violations("graph", "Good.java", "import io.namidb.engine.model.Node;")).isEmpty();
  }

  private static String packageOf(Path relative) {
    Path dir = relative.getParent();
    return dir == null ? "" : dir.toString().replace('/', '.');
  }

  private static List<String> violations(String pkg, String file, String source) {
    List<String> found = new ArrayList<>();
    Matcher m = REFERENCE.matcher(source);
    while (m.find()) {
      String target = m.group(1);
      Integer layer = LAYERS.get(target);
      if (layer != null && layer > LAYERS.get(pkg)) {
        found.add(
            String.format(
                "%s: %s (layer %d) names io.namidb.engine.%s (layer %d)",
                file, pkg, LAYERS.get(pkg), target, layer));
      }
    }
    return found;
  }
}
