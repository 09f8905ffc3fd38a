package io.namidb.engine.manifest;

import static io.namidb.engine.FuzzContract.refusedOnlyAs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.graph.Snapshot;
import io.namidb.engine.graph.SstReaders;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.store.MemoryObjectStore;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the manifest parser ({@link ManifestStore#decode}) and what opening a namespace does with
 * the result before it reads any SST: parse the schema, index the live SSTs in a {@link Snapshot}.
 * A stored manifest is refused as CORRUPT; its schema, parsed by the same code as a {@code PUT
 * /v1/schema}, as INVALID_INPUT. Corpus: {@code
 * src/test/resources/io/namidb/engine/manifest/ManifestFuzzTestInputs/decode/}.
 */
class ManifestFuzzTest {
  private static final long VERSION = 42;
  private static final String OBJECT = "mem:/ns/" + Manifest.key(VERSION);

  @FuzzTest
  @Timeout(10)
  void decode(byte[] data) {
    if (data == null) {
      return;
    }
    refusedOnlyAs(
        () -> {
          Manifest manifest = ManifestStore.decode(OBJECT, VERSION, data);
          Schema.fromJson(manifest.schema());
          new Snapshot(manifest, new SstReaders(new MemoryObjectStore(), 1 << 20));
        },
        Kind.CORRUPT,
        Kind.INVALID_INPUT);
  }
}
