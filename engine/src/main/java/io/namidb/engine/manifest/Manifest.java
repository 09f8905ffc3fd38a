package io.namidb.engine.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/**
 * One immutable manifest version, {@code manifest/<20-digit version>.json}: the root that names
 * everything live in a namespace (DESIGN §3). Versions are written only by create-if-absent; the
 * highest version is current.
 *
 * @param formatVersion manifest format version ({@link #FORMAT_VERSION})
 * @param version this manifest's version, equal to the number in its object name
 * @param writerEpoch the epoch of the writer that owns the namespace; a writer that sees a higher
 *     epoch than its own is fenced
 * @param writerId the process that wrote this version
 * @param commitId unique per write attempt: lets a writer recognise its own manifest after a lost
 *     response
 * @param createdAt ISO-8601 UTC time of writing (informational)
 * @param walCheckpoint highest WAL segment id already folded into SSTs (0: none)
 * @param schema the namespace schema (DESIGN §5)
 * @param ssts the live SSTs
 * @param sealed true once the namespace was purged: no writer may claim it again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int formatVersion,
    long version,
    long writerEpoch,
    String writerId,
    String commitId,
    String createdAt,
    long walCheckpoint,
    JsonNode schema,
    List<SstEntry> ssts,
    boolean sealed) {

  public static final int FORMAT_VERSION = 1;

  public Manifest {
    ssts = ssts == null ? List.of() : List.copyOf(ssts);
    schema = schema == null ? JsonNodeFactory.instance.objectNode() : schema;
  }

  /** The state of a namespace that has no manifest yet (version 0, epoch 0). */
  public static Manifest empty() {
    return new Manifest(FORMAT_VERSION, 0, 0, "", "", "", 0, null, List.of(), false);
  }

  /** The object key of manifest {@code version}. */
  public static String key(long version) {
    return String.format("manifest/%020d.json", version);
  }

  /** The version in a key made by {@link #key}, or -1. */
  public static long versionOf(String key) {
    if (!key.startsWith("manifest/") || !key.endsWith(".json") || key.length() != 34) {
      return -1;
    }
    try {
      return Long.parseLong(key.substring(9, 29));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The successor version written by {@code writerId} at {@code epoch}. */
  public Manifest next(long epoch, String writerId, String commitId, String createdAt) {
    return new Manifest(
        FORMAT_VERSION,
        version + 1,
        epoch,
        writerId,
        commitId,
        createdAt,
        walCheckpoint,
        schema,
        ssts,
        sealed);
  }

  public Manifest withWalCheckpoint(long checkpoint) {
    return copy(checkpoint, schema, ssts, sealed);
  }

  public Manifest withSchema(JsonNode newSchema) {
    return copy(walCheckpoint, newSchema, ssts, sealed);
  }

  public Manifest withSsts(List<SstEntry> newSsts) {
    return copy(walCheckpoint, schema, newSsts, sealed);
  }

  /** The same manifest marked sealed: the namespace was purged and may never be claimed again. */
  public Manifest sealedForGood() {
    return copy(walCheckpoint, schema, ssts, true);
  }

  /**
   * What a purge leaves of this version: its version, epoch and WAL position, sealed, with a new
   * commit id and nothing of the tenant's (no schema, no SSTs).
   */
  public Manifest tombstone(String newCommitId) {
    return new Manifest(
        formatVersion,
        version,
        writerEpoch,
        "purge",
        newCommitId,
        createdAt,
        walCheckpoint,
        null,
        List.of(),
        true);
  }

  /** This version's identity (version, epoch, writer, commit) with other contents. */
  private Manifest copy(
      long newCheckpoint, JsonNode newSchema, List<SstEntry> newSsts, boolean newSealed) {
    return new Manifest(
        formatVersion,
        version,
        writerEpoch,
        writerId,
        commitId,
        createdAt,
        newCheckpoint,
        newSchema,
        newSsts,
        newSealed);
  }
}
