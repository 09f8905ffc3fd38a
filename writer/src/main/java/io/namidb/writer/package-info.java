/** The per-namespace writer service and the {@code nami} CLI, on Quarkus. */
package io.namidb.writer;
