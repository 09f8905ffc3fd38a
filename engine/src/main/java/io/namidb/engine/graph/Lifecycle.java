package io.namidb.engine.graph;

import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.graph.NamespaceWriter.State;
import java.util.logging.Logger;

/**
 * Where a {@link NamespaceWriter} stands: STARTING until recovery has fenced the WAL, then WRITER
 * until it turns FENCED, FAILED or CLOSED, never back. Every part asks it before it commits
 * anything (a WAL segment, a freeze, a manifest, a deletion): only a WRITER commits.
 *
 * <p>Its monitor also guards intake: the committer queues a write only while {@link #accepting()}
 * holds under the monitor, so that a {@link #stop} sees every write queued before it; the stop hook
 * then fails them.
 */
final class Lifecycle {
  private static final Logger LOG = Logger.getLogger(Lifecycle.class.getName());

  private final String location;
  private volatile State state = State.STARTING;
  private volatile String reason = "";
  private volatile boolean closing;
  private volatile Runnable onStop = () -> {};

  Lifecycle(String location) {
    this.location = location;
  }

  /** Runs {@code hook} after every {@link #stop}, outside the monitor. */
  void onStop(Runnable hook) {
    this.onStop = hook;
  }

  State state() {
    return state;
  }

  /** Why the writer is FENCED or FAILED; empty otherwise. */
  String reason() {
    return reason;
  }

  boolean isWriter() {
    return state == State.WRITER;
  }

  /** Whether {@link NamespaceWriter#close} has begun. */
  boolean closing() {
    return closing;
  }

  /** Whether a write may be queued now; ask under this object's monitor to queue atomically. */
  boolean accepting() {
    return state == State.WRITER && !closing;
  }

  /**
   * Throws the reason this writer may commit nothing unless it is the WRITER.
   *
   * @throws NamiException FENCED or TRANSIENT, as {@link #refusal()}
   */
  void checkWriter() {
    if (state != State.WRITER) {
      throw refusal();
    }
  }

  /** The error a writer that is not accepting writes answers with. */
  NamiException refusal() {
    State now = state;
    return switch (now) {
      case FENCED -> new FencedException(reason);
      case FAILED -> new NamiException(Kind.TRANSIENT, reason);
      default ->
          new NamiException(
              Kind.TRANSIENT,
              "writer not accepting writes. state=" + now + " location=" + location);
    };
  }

  /** STARTING → WRITER, once recovery has fenced the WAL. */
  synchronized void started() {
    if (state == State.STARTING) {
      state = State.WRITER;
    }
  }

  /**
   * During recovery, STARTING → FENCED: a newer writer was seen. Returns the exception to throw.
   */
  FencedException fencedWhileStarting(String why) {
    String message = "fenced: " + why + ". location=" + location;
    synchronized (this) {
      state = State.FENCED;
      reason = message;
    }
    return new FencedException(message);
  }

  /**
   * WRITER or STARTING → {@code newState} (FENCED or FAILED) with its reason, logged; a writer
   * already stopped keeps its first state and reason. Then runs the stop hook.
   */
  void stop(State newState, String why) {
    synchronized (this) {
      if (state == State.WRITER || state == State.STARTING) {
        state = newState;
        reason = why;
        if (newState == State.FENCED) {
          LOG.warning(why);
        } else {
          LOG.severe(why);
        }
      }
    }
    onStop.run();
  }

  /** Intake stops: {@link #accepting()} is false from now on. */
  synchronized void beginClose() {
    closing = true;
  }

  /** The end of {@link NamespaceWriter#close}: a writer not already stopped is CLOSED. */
  synchronized void closed() {
    if (state == State.WRITER || state == State.STARTING) {
      state = State.CLOSED;
      reason = "writer closed";
    }
  }
}
