package io.namidb.engine.store;

/**
 * Metadata of one stored object.
 *
 * @param key the key relative to the store's root
 * @param size size in bytes
 * @param etag a normalised entity tag (no surrounding quotes), or empty where the backend has none
 */
public record ObjectInfo(String key, long size, String etag) {}
