package io.namidb.engine.graph;

/**
 * A view whose manifest version the writer's GC keeps until {@link #close}: what a query reads
 * stays there however long it runs. Use with try-with-resources.
 */
public final class PinnedView implements AutoCloseable {
  private final GraphView view;
  private final Runnable release;
  private boolean closed;

  PinnedView(GraphView view, Runnable release) {
    this.view = view;
    this.release = release;
  }

  /** A view pinned elsewhere (a reader pins its own version while open): closing does nothing. */
  public static PinnedView of(GraphView view) {
    return new PinnedView(view, () -> {});
  }

  public GraphView view() {
    return view;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      release.run();
    }
  }
}
