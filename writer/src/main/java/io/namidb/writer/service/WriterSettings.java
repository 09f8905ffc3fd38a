package io.namidb.writer.service;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the writer service ({@code nami.*} in application.properties, or env {@code
 * NAMI_HTTP_MAX_BODY_SIZE}, {@code NAMI_WRITER_FLUSH_INTERVAL}, ...).
 */
@ConfigMapping(prefix = "nami")
public interface WriterSettings {
  Http http();

  Writer writer();

  /** The HTTP API. */
  interface Http {
    /** Largest request body accepted; larger ones get 413 {@code too_large}. */
    @WithDefault("16M")
    MemorySize maxBodySize();

    /**
     * The token file ({@code nami serve --auth-tokens FILE}, env {@code NAMI_AUTH_TOKENS}): when
     * set, every request but health probes and metrics needs a bearer token it lists.
     */
    Optional<String> authTokens();

    /** How often the token file is read again, so that rotated tokens take effect. */
    @WithDefault("2s")
    Duration authReloadInterval();

    /**
     * How often the certificate and key of {@code --tls-cert}/{@code --tls-key} are read again, so
     * that a renewed certificate is served (the TLS registry's reload period).
     */
    @WithDefault("1m")
    Duration tlsReloadInterval();

    /**
     * How long {@code POST /v1/write} waits for its batch to become durable before it answers 503
     * {@code unavailable}: the outcome is then unknown (the batch may still commit), and since
     * writes are upserts and deletes, retrying it is safe.
     */
    @WithDefault("60s")
    Duration writeTimeout();
  }

  /** The namespace writer (engine defaults where not set here). */
  interface Writer {
    /**
     * How long the committer waits for more batches after the first one before it writes a WAL
     * segment. 0: at once, with whatever queued while the previous PUT was in flight.
     */
    @WithDefault("0s")
    Duration groupCommitWindow();

    /** The memtable is flushed to SSTs when it holds about this much ... */
    @WithDefault("64M")
    MemorySize flushSize();

    /** ... or when its oldest write is this old. */
    @WithDefault("30s")
    Duration flushInterval();

    /**
     * While the active and frozen memtables hold more than this (flushes failing or behind), writes
     * get 503 {@code unavailable} with Retry-After instead of growing the heap until it runs out.
     */
    @WithDefault("256M")
    MemorySize maxMemtableSize();

    /**
     * How often an idle writer checks whether a newer writer took the namespace (one HEAD of the
     * next WAL segment), so that it turns not-ready without waiting for its next write.
     */
    @WithDefault("2s")
    Duration fenceCheckInterval();

    /**
     * How long a fenced writer stays live (not ready) before {@code /q/health/live} turns DOWN, so
     * that Kubernetes restarts it: the restarted process claims the namespace again (or, when
     * another writer keeps holding it, is fenced again and restarted with a growing back-off).
     */
    @WithDefault("30s")
    Duration fencedLivenessGrace();

    /**
     * Where a writer that stops while fenced writes why, and who holds the namespace: Kubernetes'
     * termination message file, so that a pod in CrashLoopBackOff still says who keeps taking the
     * namespace. Written only when the file exists (the kubelet creates it in a container).
     */
    @WithDefault("/dev/termination-log")
    String terminationMessagePath();
  }
}
