package io.namidb.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.CorruptObjectException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SST ids a stored manifest may name: every one readers can order by its numbers. */
class ManifestSstIdTest {
  private static final String OBJECT = "mem:/ns/" + Manifest.key(1);

  @Test
  void sequencesOfEightOrMoreDigitsAreAccepted() {
    for (String seq : List.of("00000001", "99999999", "100000000", "9223372036854775807")) {
      assertThat(ManifestStore.decode(OBJECT, 1, manifestNaming(seq)).ssts()).hasSize(1);
    }
  }

  @Test
  void sequencesBeyondALongAreCorrupt() {
    for (String seq : List.of("9223372036854775808", "10000000000000000000", "0000001")) {
      assertThatThrownBy(() -> ManifestStore.decode(OBJECT, 1, manifestNaming(seq)))
          .isInstanceOf(CorruptObjectException.class)
          .hasMessageContaining("key does not name an sst");
    }
  }

  private static byte[] manifestNaming(String sequence) {
    SstEntry sst =
        new SstEntry(
            "node",
            "Person",
            null,
            "sst/nodes/Person/00000000000000000001-" + sequence + ".parquet",
            "a",
            "b",
            1,
            10,
            "00000000",
            0);
    return ManifestStore.encode(
        new Manifest(1, 1, 1, "w", "c", "2026-01-01T00:00:00Z", 0, null, List.of(sst), false));
  }
}
