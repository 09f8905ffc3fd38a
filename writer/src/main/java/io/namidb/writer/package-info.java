/**
 * The per-namespace writer service and the {@code nami} CLI, on Quarkus (DESIGN §8).
 *
 * <ul>
 *   <li>{@code cli}: the command line ({@code nami serve|status|...}), parsed with picocli before
 *       Quarkus boots, so flags decide whether the HTTP server listens at all;
 *   <li>{@code service}: the {@link io.namidb.writer.service.WriterService} that owns the
 *       namespace's {@link io.namidb.engine.graph.NamespaceWriter};
 *   <li>{@code http}: the JSON API and the one mapping of engine error kinds to status codes;
 *   <li>{@code health}, {@code metrics}: readiness while holding the epoch, Prometheus meters.
 * </ul>
 */
package io.namidb.writer;
