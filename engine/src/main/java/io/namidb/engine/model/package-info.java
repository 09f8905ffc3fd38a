/**
 * The data model every layer shares: node and edge identities ({@link
 * io.namidb.engine.model.NodeKey}, {@link io.namidb.engine.model.EdgeKey}), nodes and edges with
 * their property maps ({@link io.namidb.engine.model.Props}), write batches, traversal directions
 * and the binary value codec that the WAL and the edge SSTs share.
 *
 * <p>It sits at the bottom of the engine beside {@code store} and depends on nothing above it:
 * {@code graph → manifest/wal/sst/schema → model/store}. {@code PackageLayeringTest} checks that no
 * package below {@code graph} imports it.
 */
package io.namidb.engine.model;
