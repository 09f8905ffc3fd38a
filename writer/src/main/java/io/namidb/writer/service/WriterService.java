package io.namidb.writer.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.engine.store.StoreStats;
import io.namidb.writer.metrics.WriterMetrics;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Owns the namespace this process serves: its object store and its {@link NamespaceWriter}.
 *
 * <p><b>Lifecycle.</b> {@link #start} opens the writer on a thread of its own ({@code
 * nami-writer-open}: probe, claim, WAL replay, fence), so HTTP answers from the first moment:
 * {@code STARTING} until the open finished, then {@code WRITER}. An open that fails is logged and
 * ends the process with exit code 1. On shutdown the writer is closed: intake stops, what was
 * accepted is committed and answered.
 *
 * <p><b>Losing the namespace.</b> The engine notices a newer writer at its next WAL or manifest
 * PUT. So that an idle writer also stops being ready, the thread {@code nami-fence-watch} looks at
 * the next WAL segment id every {@code nami.writer.fence-check-interval} (one HEAD): a segment
 * there with a higher epoch means a newer writer fenced the WAL, and this service then reports
 * {@code FENCED} and refuses writes and reads with 503 {@code fenced}. While fenced, the same
 * thread reads the newest manifest each round to learn who holds the namespace now ({@link
 * #holder}). The first time the state leaves {@code WRITER} it logs why, once.
 */
@ApplicationScoped
public class WriterService {
  private static final Logger LOG = Logger.getLogger(WriterService.class);

  @Inject WriterSettings settings;
  @Inject WriterMetrics metrics;

  private volatile NamespaceUri uri;
  private volatile ObjectStore store;
  private volatile NamespaceWriter writer;
  private volatile String openFailure;
  private volatile boolean stopping;
  private volatile int exitCode;
  private final AtomicBoolean lossLogged = new AtomicBoolean();

  /** {@link System#nanoTime} when this service was first seen FENCED; 0 before. */
  private volatile long fencedSinceNanos;

  /** The holder the newest manifest named, last time the fence watch looked; null before. */
  private volatile NamespaceHolder holder;

  private final Object lifecycle = new Object();
  private Thread opener;
  private volatile Thread watcher;

  /** Starts opening the namespace in the background; returns at once. */
  public void start(NamespaceUri namespace) {
    synchronized (lifecycle) {
      if (uri != null) {
        throw new IllegalStateException("writer service already started. ns=" + uri.name());
      }
      uri = namespace;
      metrics.bind(this);
      opener = new Thread(this::open, "nami-writer-open");
      opener.setDaemon(true);
      opener.start();
    }
  }

  private void open() {
    NamespaceUri ns = uri;
    LOG.infof("opening namespace. ns=%s uri=%s", ns.name(), ns);
    try {
      store = ObjectStores.open(ns);
      NamespaceWriter opened = NamespaceWriter.open(store, writerConfig());
      opened.onGroupCommit(metrics::groupCommitted);
      synchronized (lifecycle) {
        if (stopping) {
          opened.close();
          store.close();
          return;
        }
        writer = opened;
      }
      LOG.infof(
          "serving namespace. ns=%s epoch=%d manifestVersion=%d walSegment=%d writer=%s",
          ns.name(),
          opened.epoch(),
          opened.manifestVersion(),
          opened.walSegment(),
          opened.writerId());
      watcher = new Thread(this::watch, "nami-fence-watch");
      watcher.setDaemon(true);
      watcher.start();
    } catch (RuntimeException | LinkageError e) {
      openFailure = "could not open the namespace. ns=" + ns.name() + " cause=" + e.getMessage();
      LOG.error(openFailure, e);
      exitCode = 1;
      Quarkus.asyncExit(1);
    }
  }

  private WriterConfig writerConfig() {
    WriterSettings.Writer w = settings.writer();
    WriterConfig defaults = WriterConfig.defaults();
    return defaults
        .withGroupCommit(w.groupCommitWindow(), defaults.groupCommitMaxBytes())
        .withFlush(w.flushSize().asLongValue(), w.flushInterval(), defaults.compactAfter())
        .toBuilder()
        .maxMemtableBytes(w.maxMemtableSize().asLongValue())
        .build();
  }

  /** Looks for a newer writer while idle, and logs once when this one stops being the writer. */
  private void watch() {
    long intervalMillis = Math.max(50, settings.writer().fenceCheckInterval().toMillis());
    while (!stopping) {
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
      try {
        checkSuperseded();
      } catch (RuntimeException e) {
        LOG.debugf("fence check failed; will retry. ns=%s cause=%s", uri.name(), e.getMessage());
      }
      lookUpHolder();
      logLossOnce();
    }
  }

  /** The engine checks the next WAL id; if a newer epoch wrote it, the writer turns FENCED. */
  private void checkSuperseded() {
    NamespaceWriter w = writer;
    if (w != null) {
      w.checkSuperseded();
    }
  }

  /**
   * While fenced: reads the newest manifest (one LIST of {@code manifest/}, one GET), whose writer
   * id and epoch are the namespace's holder. Read again each round, so a third writer that took
   * over in the meantime is the one named.
   */
  private void lookUpHolder() {
    ObjectStore s = store;
    if (s == null || state() != State.FENCED) {
      return;
    }
    try {
      new ManifestStore(s).latest().map(NamespaceHolder::of).ifPresent(h -> holder = h);
    } catch (RuntimeException e) {
      LOG.debugf("holder lookup failed; will retry. ns=%s cause=%s", uri.name(), e.getMessage());
    }
  }

  /**
   * Who holds the namespace this writer lost, as the newest manifest names it: empty unless {@code
   * FENCED}, and until the fence watch has read the manifest (within one {@code
   * nami.writer.fence-check-interval} of the fencing).
   */
  public Optional<NamespaceHolder> holder() {
    return state() == State.FENCED ? Optional.ofNullable(holder) : Optional.empty();
  }

  /**
   * How long this writer has been FENCED, counted from the first time a caller (the fence watch,
   * every 2 s, or a health check) saw it; empty while it is not fenced.
   */
  public Optional<Duration> fencedFor() {
    if (state() != State.FENCED) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    if (fencedSinceNanos == 0) {
      fencedSinceNanos = now;
    }
    return Optional.of(Duration.ofNanos(now - fencedSinceNanos));
  }

  private void logLossOnce() {
    fencedFor();
    State s = state();
    if ((s == State.FENCED || s == State.FAILED) && lossLogged.compareAndSet(false, true)) {
      LOG.warnf(
          "writer lost the namespace: not ready, writes answer 503. ns=%s state=%s reason=%s%s",
          uri.name(), s, stateReason(), holder().map(h -> " holder: " + h.describe()).orElse(""));
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    NamespaceWriter w;
    synchronized (lifecycle) {
      stopping = true;
      w = writer;
    }
    if (watcher != null) {
      watcher.interrupt();
    }
    if (w == null) {
      return; // not started, failed, or still opening (the opener closes what it opens)
    }
    LOG.infof("stopping: intake closed, committing accepted writes. ns=%s", uri.name());
    if (w.state() == State.FENCED) {
      lookUpHolder(); // the newest holder, for the last words below
      writeTerminationMessage();
    }
    w.close();
    store.close();
    LOG.infof("writer stopped. ns=%s walSegment=%d", uri.name(), w.walSegment());
  }

  /**
   * Leaves why this fenced writer stops, and who holds the namespace, in {@code
   * nami.writer.termination-message-path} when that file exists: on Kubernetes the container's
   * termination message, which the operator shows while the pod waits in CrashLoopBackOff.
   */
  private void writeTerminationMessage() {
    Path path = Path.of(settings.writer().terminationMessagePath());
    if (!Files.isRegularFile(path)) {
      return;
    }
    String message =
        "writer stopped while fenced. ns="
            + uri.name()
            + " "
            + stateReason()
            + holder().map(h -> "\nholder: " + h.describe()).orElse("")
            + "\n";
    try {
      Files.writeString(path, message, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      LOG.debugf("termination message not written. path=%s cause=%s", path, e.getMessage());
    }
  }

  /** Exit code of {@code nami serve}: 1 when the namespace could not be opened. */
  public int exitCode() {
    return exitCode;
  }

  /** The namespace served, or null before {@link #start}. */
  public NamespaceUri namespace() {
    return uri;
  }

  /**
   * The state as clients see it: the engine's, except {@code STARTING} until the open finished,
   * {@code FAILED} when it failed, and {@code FENCED} once the watch saw a newer writer.
   */
  public State state() {
    NamespaceWriter w = writer;
    if (w == null) {
      if (openFailure != null) {
        return State.FAILED;
      }
      return stopping ? State.CLOSED : State.STARTING;
    }
    return w.state();
  }

  /** Why the state is not {@code WRITER}; empty when it is. */
  public String stateReason() {
    NamespaceWriter w = writer;
    if (w == null) {
      return openFailure != null ? openFailure : "";
    }
    return w.stateReason();
  }

  /** The writer, or null while starting. */
  public NamespaceWriter writerOrNull() {
    return writer;
  }

  /** The store's request counters (zero before the store is opened). */
  public StoreStats storeStats() {
    ObjectStore s = store;
    return s == null ? StoreStats.NONE : s.stats();
  }

  /**
   * The writer if it holds the namespace.
   *
   * @throws NamiException FENCED when another writer took it, TRANSIENT while starting, stopping or
   *     failed
   */
  public NamespaceWriter current() {
    NamespaceWriter w = writer;
    State s = state();
    if (w != null && s == State.WRITER) {
      return w;
    }
    if (s == State.FENCED) {
      throw new FencedException(stateReason());
    }
    String why = stateReason();
    throw new NamiException(
        NamiException.Kind.TRANSIENT,
        "writer not available. state="
            + s
            + " ns="
            + (uri == null ? "" : uri.name())
            + (why.isEmpty() ? "" : " reason=" + why));
  }

  /** The schema writes are checked against (the current manifest's). */
  public Schema schema() {
    return current().schema();
  }

  /**
   * Merges an additive schema change (the body of {@code PUT /v1/schema}); writes a new manifest
   * only when something is added. Returns the schema now in force.
   *
   * @throws io.namidb.engine.schema.SchemaConflictException a non-additive change (409)
   */
  public Schema evolveSchema(JsonNode change) {
    return current().evolveSchema(change);
  }

  /**
   * Submits a batch; completes with its LSN once durable. Refusals come as failed futures with a
   * {@link NamiException}.
   */
  public CompletableFuture<Long> write(WriteBatch batch) {
    NamespaceWriter w;
    try {
      w = current();
    } catch (NamiException e) {
      return CompletableFuture.failedFuture(e);
    }
    return w.write(batch);
  }
}
