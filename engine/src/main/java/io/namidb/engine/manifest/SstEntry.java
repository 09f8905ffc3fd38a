package io.namidb.engine.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One live SST named by a manifest.
 *
 * @param kind {@code node} or {@code edge}
 * @param name the label (node SST) or edge type (edge SST)
 * @param direction {@code out} or {@code in} for edge SSTs, null for node SSTs
 * @param key the object key, relative to the namespace
 * @param minKey smallest key in the SST, as its JSON text
 * @param maxKey largest key in the SST, as its JSON text
 * @param rows number of rows (tombstones included)
 * @param size object size in bytes
 * @param checksum CRC32C of the whole object, hex
 * @param level compaction level (0: fresh from a flush)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SstEntry(
    String kind,
    String name,
    String direction,
    String key,
    String minKey,
    String maxKey,
    long rows,
    long size,
    String checksum,
    int level) {}
