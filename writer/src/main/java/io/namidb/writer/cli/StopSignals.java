package io.namidb.writer.cli;

import io.quarkus.runtime.Quarkus;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT end {@code nami serve} as a normal stop: the application shuts down gracefully
 * (in-flight requests answered, the writer closed after committing what it accepted) and the
 * process exits 0. Without this the JVM reports a signal death (143 / 130), which Kubernetes and
 * scripts read as a failure.
 */
final class StopSignals {
  private StopSignals() {}

  /** Replaces the handlers of TERM and INT; call once the application runs. */
  static void install() {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> Quarkus.asyncExit(0));
    }
  }
}
